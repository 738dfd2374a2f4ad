// The embedded default's cache and rate limiter when the Node host runs as a cluster (decision 106).
// The primary holds the one memory cache and the one memory limiter; each worker asks it over the
// cluster's IPC channel. One store keeps the promises one process kept: five login attempts per
// account for the whole machine, and a permission change forgotten by every worker at once.
import type { Worker } from 'node:cluster';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Cache, CachePolicy } from '../app/platform/cache/cache';
import { createMemoryStore } from '../app/platform/cache/memory-cache';
import type { Clock } from '../app/platform/clock';
import type { LimitResult, RateLimiter } from '../app/platform/rate-limit/limiter';
import { createMemoryLimiter } from '../app/platform/rate-limit/memory-limiter';
import { resolvePolicies, type LimitPolicyName } from '../app/platform/rate-limit/policies';
import { LimitStoreTimeout, UPSTASH_LIMIT_TIMEOUT_MS } from '../app/platform/rate-limit/upstash-limiter';

/**
 * How long a worker waits for the primary's answer: as long as a limit check waits for Upstash
 * (decision 080). A primary that does not answer is an outage like Upstash's: the limiter throws
 * and checkLimit refuses the fail-closed policies; a cache read that throws is a miss.
 */
export const PRIMARY_STORE_TIMEOUT_MS = UPSTASH_LIMIT_TIMEOUT_MS;

const policyName = z.enum(['read', 'write', 'export', 'sync', 'loginUser', 'loginIp', 'public']) satisfies z.ZodType<LimitPolicyName>;
const storeRequest = z.discriminatedUnion('op', [
  // stamp: the stamp of the text this worker holds for the key; unchanged, the reply leaves the text out.
  z.object({ op: z.literal('get'), key: z.string(), stamp: z.number().int().optional() }),
  z.object({ op: z.literal('set'), key: z.string(), json: z.string(), ttlSeconds: z.number().positive() }),
  z.object({ op: z.literal('delete'), keys: z.array(z.string()) }),
  z.object({ op: z.literal('limit'), policy: policyName, key: z.string() }),
  z.object({ op: z.literal('ping') }),
]);
type StoreRequest = z.infer<typeof storeRequest>;
// Requests asked in one turn of a worker's event loop travel in one message, and their replies in one
// (decision 112): a page's access reads, limit check and lookups cost one IPC trip each way instead of
// one per call. Each request is still answered on its own (its own result or error, in order).
const requestMessage = z.object({
  cuStore: z.literal('requests'),
  requests: z.array(z.object({ id: z.number().int(), request: storeRequest })).min(1),
});
const reply = z.object({ id: z.number().int(), ok: z.boolean(), value: z.unknown().optional(), error: z.string().optional() });
const replyMessage = z.object({ cuStore: z.literal('replies'), replies: z.array(reply) });
type Reply = z.infer<typeof reply>;

/** The primary's side: one cache store and one limiter, answering every worker it is given. */
export function createPrimaryStores(clock: Clock, rateLimits: string | undefined) {
  const store = createMemoryStore();
  const limiter = createMemoryLimiter(clock, rateLimits);
  let answered = 0;
  let messages = 0;

  async function answer(request: StoreRequest): Promise<unknown> {
    switch (request.op) {
      case 'get': {
        const entry = store.entry(request.key);
        if (!entry) return undefined;
        return entry.stamp === request.stamp ? { stamp: entry.stamp } : { stamp: entry.stamp, json: entry.json };
      }
      case 'set':
        return store.set(request.key, request.json, request.ttlSeconds);
      case 'delete':
        return store.delete(request.keys);
      case 'limit':
        return limiter.limit(request.policy, request.key);
      case 'ping':
        return undefined;
    }
  }

  return {
    /** Store requests answered so far (the bench counts IPC round trips per HTTP request). */
    answered: () => answered,
    /** IPC messages those requests came in (several requests of one worker's turn share one). */
    messages: () => messages,
    /** Answers this worker's store requests for as long as it lives. */
    serve(worker: Pick<Worker, 'on' | 'send' | 'isConnected'>) {
      worker.on('message', (raw: unknown) => {
        if ((raw as { cuStore?: unknown } | null)?.cuStore !== 'requests') return; // not ours (cluster's own messages)
        const parsed = requestMessage.safeParse(raw);
        if (!parsed.success) return; // a worker of ours never sends this; it times out on its side
        answered += parsed.data.requests.length;
        messages++;
        // Started in the order sent (the memory stores answer each at once), replied in one message.
        void Promise.all(
          parsed.data.requests.map(({ id, request }) =>
            answer(request).then(
              (value): Reply => ({ id, ok: true, value }),
              (error: unknown): Reply => ({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
            ),
          ),
        ).then((replies) => {
          // A worker that died meanwhile gets nothing: its requests died with it.
          if (worker.isConnected()) worker.send({ cuStore: 'replies', replies }, () => undefined);
        });
      });
    },
  };
}

/** The worker's end of the IPC channel (process in a cluster worker; a stand-in in tests). */
export interface PrimaryChannel {
  send(message: unknown, callback: (error: Error | null) => void): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The channel of a process started by node:cluster (or child_process.fork). */
export function processChannel(): PrimaryChannel {
  return {
    send(message, callback) {
      if (!process.send || !process.connected) return callback(new Error('the cluster primary is gone (IPC channel closed)'));
      process.send(message, undefined, {}, (error) => callback(error ?? null));
    },
    onMessage: (listener) => void process.on('message', listener),
  };
}

/** The store did not answer: the cache treats it as unreachable (as Upstash down). */
export class PrimaryStoreUnavailable extends Error {
  constructor(op: string, reason: string) {
    super(`cluster primary store: ${op}: ${reason}`);
    this.name = 'PrimaryStoreUnavailable';
  }
}

/**
 * The worker's side: a Cache and a RateLimiter that ask the primary. Errors behave as the Upstash
 * adapters' do: every call throws when the primary does not answer in time or the channel is closed,
 * a limit check with LimitStoreTimeout, so checkLimit refuses sign-in, sync and export (fail closed).
 */
export function connectToPrimaryStores(options: { rateLimits?: string; timeoutMs?: number; channel?: PrimaryChannel } = {}): {
  cache: Cache;
  limiter: RateLimiter;
} {
  const channel = options.channel ?? processChannel();
  const timeoutMs = options.timeoutMs ?? PRIMARY_STORE_TIMEOUT_MS;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;

  channel.onMessage((raw) => {
    if ((raw as { cuStore?: unknown } | null)?.cuStore !== 'replies') return;
    const parsed = replyMessage.safeParse(raw);
    if (!parsed.success) return;
    for (const answer of parsed.data.replies) {
      const waiting = pending.get(answer.id);
      if (!waiting) continue; // answered after its timeout: already failed
      pending.delete(answer.id);
      clearTimeout(waiting.timer);
      if (answer.ok) waiting.resolve(answer.value);
      else waiting.reject(new PrimaryStoreUnavailable('reply', answer.error ?? 'failed'));
    }
  });

  /** Requests asked since the last flush; sent together once this turn of the event loop is done. */
  let queued: Array<{ id: number; request: StoreRequest }> = [];
  function flush() {
    const batch = queued;
    queued = [];
    channel.send({ cuStore: 'requests', requests: batch }, (error) => {
      if (!error) return;
      for (const { id, request } of batch) {
        const waiting = pending.get(id);
        if (!waiting) continue;
        pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.reject(new PrimaryStoreUnavailable(request.op, error.message));
      }
    });
  }

  function ask(request: StoreRequest, onTimeout: () => Error): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(onTimeout());
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      if (queued.length === 0) setImmediate(flush);
      queued.push({ id, request });
    });
  }
  const storeTimeout = (op: string) => () => new PrimaryStoreUnavailable(op, `no answer within ${timeoutMs} ms`);
  const policies = resolvePolicies(options.rateLimits);

  // The text of each value this worker last read, by key, with the primary's stamp for it. Every read
  // still asks the primary (one store for the machine: a value set or deleted by another worker is seen
  // at once); an unchanged value comes back as its stamp alone, not 10-20 kB of text per page again.
  const copies = new LRUCache<string, { stamp: number; json: string }>({ max: 1000 });
  const cache: Cache = {
    kind: 'primary',
    async get<T>(key: string) {
      const held = copies.get(key);
      const raw = (await ask(held ? { op: 'get', key, stamp: held.stamp } : { op: 'get', key }, storeTimeout('get'))) as
        { stamp?: unknown; json?: unknown } | undefined;
      if (raw && typeof raw.stamp === 'number' && typeof raw.json === 'string') {
        copies.set(key, { stamp: raw.stamp, json: raw.json });
        return JSON.parse(raw.json) as T;
      }
      if (raw && held && raw.stamp === held.stamp) return JSON.parse(held.json) as T;
      copies.delete(key); // gone at the primary (expired, deleted, evicted)
      return undefined;
    },
    async set<T>(key: string, value: T, policy: CachePolicy) {
      await ask({ op: 'set', key, json: JSON.stringify(value), ttlSeconds: policy.ttlSeconds }, storeTimeout('set'));
    },
    async delete(...keys: string[]) {
      if (keys.length) await ask({ op: 'delete', keys }, storeTimeout('delete'));
    },
    async ping() {
      await ask({ op: 'ping' }, storeTimeout('ping'));
    },
  };
  const limiter: RateLimiter = {
    kind: 'primary',
    policies,
    async limit(name: LimitPolicyName, key: string): Promise<LimitResult> {
      return (await ask({ op: 'limit', policy: name, key }, () => new LimitStoreTimeout(name, timeoutMs))) as LimitResult;
    },
  };
  return { cache, limiter };
}
