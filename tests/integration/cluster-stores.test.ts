// The cluster's stores (server/cluster-stores.ts, decision 106) without processes: the primary's
// side and two workers' sides joined by in-memory channels that pass messages through the same
// JSON round trip as the IPC channel. What one worker writes the other reads; a primary that does
// not answer is an outage as Upstash's is: the limiter fails closed for sign-in, sync and export,
// the cache read is a miss, and a closed channel fails at once. (The real processes:
// tests/service/web-cluster.test.ts.)
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cached, cachePolicies } from '../../app/platform/cache/cache';
import { checkLimit } from '../../app/platform/rate-limit/check-limit';
import { LimitStoreTimeout } from '../../app/platform/rate-limit/upstash-limiter';
import { connectToPrimaryStores, createPrimaryStores, PrimaryStoreUnavailable, type PrimaryChannel } from '../../server/cluster-stores';
import { testClock, testContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(() => t.close());

/** A worker's channel to `primary`, serialised as IPC serialises (JSON); a timeout far above a loaded machine's pauses. */
function joinedWorker(primary: ReturnType<typeof createPrimaryStores>, options: { rateLimits?: string } = {}) {
  const toPrimary = new EventEmitter();
  const toWorker = new EventEmitter();
  let connected = true;
  const sent = { toPrimary: 0 };
  /** Every message the primary sent this worker, as the JSON text the channel carried. */
  const received: string[] = [];
  primary.serve({
    on: ((event: string, listener: (m: unknown) => void) => toPrimary.on(event, listener)) as never,
    send: ((message: unknown, callback?: () => void) => {
      const text = JSON.stringify(message);
      received.push(text);
      setImmediate(() => toWorker.emit('message', JSON.parse(text)));
      callback?.();
      return true;
    }) as never,
    isConnected: () => connected,
  });
  const channel: PrimaryChannel = {
    send(message, callback) {
      if (!connected) return callback(new Error('channel closed'));
      sent.toPrimary++;
      setImmediate(() => toPrimary.emit('message', JSON.parse(JSON.stringify(message))));
      callback(null);
    },
    onMessage: (listener) => void toWorker.on('message', listener),
  };
  return {
    ...connectToPrimaryStores({ channel, rateLimits: options.rateLimits, timeoutMs: 5_000 }),
    disconnect: () => (connected = false),
    sent,
    received,
  };
}

/** A primary that never answers (hung, or busy for longer than the timeout). */
const silentChannel: PrimaryChannel = { send: (_message, callback) => callback(null), onMessage: () => undefined };

describe('the primary’s stores shared by two workers', () => {
  it('share one cache: a value set or deleted through one worker is what the other reads', async () => {
    const primary = createPrimaryStores(testClock(), undefined);
    const a = joinedWorker(primary);
    const b = joinedWorker(primary);
    expect(a.cache.kind).toBe('primary');
    await a.cache.set('access:version:user:7', 'v2', cachePolicies.generation);
    await a.cache.set('report', { rows: [1, 2], label: 'FCASH' }, cachePolicies.dashboard);
    expect(await b.cache.get('access:version:user:7')).toBe('v2');
    expect(await b.cache.get('report')).toEqual({ rows: [1, 2], label: 'FCASH' });
    await b.cache.delete('access:version:user:7', 'report');
    expect(await a.cache.get('access:version:user:7')).toBeUndefined();
    expect(await a.cache.get('report')).toBeUndefined();
    await expect(a.cache.ping()).resolves.toBeUndefined();
    expect(primary.answered()).toBe(8); // the two keys of one delete are one request
  });

  it('sends a value a worker already holds as its stamp alone, and a value changed or deleted elsewhere anew', async () => {
    const primary = createPrimaryStores(testClock(), undefined);
    const a = joinedWorker(primary);
    const b = joinedWorker(primary);
    const branches = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, code: `BR${String(i + 1).padStart(3, '0')}`, name: `Branch ${i + 1}` }));
    await a.cache.set('org:live-branches:v1', branches, cachePolicies.branchList);
    const textOf = (w: typeof b) => w.received.at(-1) ?? '';

    expect(await b.cache.get('org:live-branches:v1')).toEqual(branches); // first read: the text comes
    expect(textOf(b)).toContain('BR150');
    const full = textOf(b).length;
    const again = await b.cache.get<typeof branches>('org:live-branches:v1'); // unchanged: the stamp alone
    expect(again).toEqual(branches);
    expect(textOf(b)).not.toContain('BR150');
    expect(textOf(b).length).toBeLessThan(full / 20);
    again![0].name = 'changed by the reader'; // each read is its own copy, as before
    expect((await b.cache.get<typeof branches>('org:live-branches:v1'))![0].name).toBe('Branch 1');

    const renamed = branches.map((x) => (x.id === 1 ? { ...x, name: 'Renamed' } : x));
    await a.cache.set('org:live-branches:v1', renamed, cachePolicies.branchList); // another worker changes it
    expect(await b.cache.get('org:live-branches:v1')).toEqual(renamed);
    await a.cache.delete('org:live-branches:v1');
    expect(await b.cache.get('org:live-branches:v1')).toBeUndefined(); // deleted elsewhere: a miss, not the old copy
    await a.cache.set('org:live-branches:v1', branches, cachePolicies.branchList);
    expect(await b.cache.get('org:live-branches:v1')).toEqual(branches);
  });

  it('sends the requests of one turn in one message, each answered on its own and in order', async () => {
    const primary = createPrimaryStores(testClock(), 'read=2/60');
    const a = joinedWorker(primary, { rateLimits: 'read=2/60' });
    await a.cache.set('k', 'v1', cachePolicies.lookups);
    expect(a.sent.toPrimary).toBe(1);
    // A page's access reads and limit checks, asked together: one message, five answers.
    const [version, missing, first, second, third] = await Promise.all([
      a.cache.get('k'),
      a.cache.get('absent'),
      a.limiter.limit('read', 'user:1'),
      a.limiter.limit('read', 'user:1'),
      a.limiter.limit('read', 'user:1'),
    ]);
    expect(a.sent.toPrimary).toBe(2);
    expect(primary.answered()).toBe(6);
    expect(primary.messages()).toBe(2);
    expect([version, missing]).toEqual(['v1', undefined]);
    expect([first.success, second.success, third.success]).toEqual([true, true, false]);
    // A set and a get of one turn: the get sees the set (the primary answers in the order sent).
    const [, after] = await Promise.all([a.cache.set('k', 'v2', cachePolicies.lookups), a.cache.get('k')]);
    expect(after).toBe('v2');
    expect(a.sent.toPrimary).toBe(3);
  });

  it('share one limiter: five sign-in tries for the account across both workers', async () => {
    const primary = createPrimaryStores(testClock(), undefined);
    const a = joinedWorker(primary);
    const b = joinedWorker(primary);
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await (i % 2 ? b : a).limiter.limit('loginUser', 'viewer@demo.test'));
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
  });

  it('takes the policies from RATE_LIMITS as the primary does', async () => {
    const primary = createPrimaryStores(testClock(), 'read=2/60');
    const a = joinedWorker(primary, { rateLimits: 'read=2/60' });
    expect(a.limiter.policies.read).toMatchObject({ max: 2, windowSeconds: 60 });
    expect((await Promise.all([1, 2, 3].map(() => a.limiter.limit('read', 'user:1')))).map((r) => r.success)).toEqual([true, true, false]);
  });
});

describe('a primary that does not answer', () => {
  it('fails closed for sign-in, sync and export, lets reads and writes go on, and logs each', async () => {
    const { limiter } = connectToPrimaryStores({ channel: silentChannel, timeoutMs: 100 });
    await expect(limiter.limit('loginUser', 'x')).rejects.toBeInstanceOf(LimitStoreTimeout);
    const ctx = testContext({ db: t.db, limiter });
    const names = ['loginUser', 'loginIp', 'sync', 'export', 'read', 'write', 'public'] as const;
    const results = await Promise.all(names.map((name) => checkLimit(ctx, name, `user:${name}`)));
    expect(Object.fromEntries(names.map((name, i) => [name, results[i].success]))).toEqual({
      loginUser: false,
      loginIp: false,
      sync: false,
      export: false,
      read: true,
      write: true,
      public: true,
    });
    expect(results.every((r) => r.storeDown)).toBe(true);
    expect(ctx.logLines.filter((l) => l.includes('rate limiter store unreachable'))).toHaveLength(names.length);
  });

  it('is a cache miss for a read-through, and an error for a direct call', async () => {
    const { cache } = connectToPrimaryStores({ channel: silentChannel, timeoutMs: 100 });
    await expect(cache.get('k')).rejects.toBeInstanceOf(PrimaryStoreUnavailable);
    await expect(cache.set('k', 1, cachePolicies.access)).rejects.toThrow('no answer within 100 ms');
    let computed = 0;
    expect(await cached(cache, 'k', cachePolicies.access, async () => ++computed)).toBe(1);
  });

  it('fails at once when the channel is closed (the primary is gone)', async () => {
    const primary = createPrimaryStores(testClock(), undefined);
    const a = joinedWorker(primary);
    a.disconnect();
    const started = performance.now();
    await expect(a.cache.get('k')).rejects.toThrow('channel closed');
    await expect(a.limiter.limit('loginUser', 'x')).rejects.toBeInstanceOf(PrimaryStoreUnavailable);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
