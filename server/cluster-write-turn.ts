// The cluster's write turn on a local database file (decision 121). SQLite lets one writer at a time
// hold the file; libSQL's file driver waits for that lock inside native code, stalling the waiting
// process's event loop (decision 116). So the primary grants ONE turn for the whole cluster, first
// asked first served, and a worker writes only while it holds it: a worker waiting for the turn
// waits on a promise, its event loop free. Each worker's in-process write queue
// (app/platform/write-queue.ts) comes first, so a worker has at most one question out at a time.
import type { Worker } from 'node:cluster';
import { z } from 'zod';
import type { CrossProcessTurn } from '../app/platform/write-queue';
import { processChannel, type PrimaryChannel } from './cluster-stores';

/**
 * How long a worker waits to be granted the turn: SQLite's busy timeout (db/client.ts), the wait for
 * the file lock a write had before. At most one write of each other worker is ahead of it, so only
 * a transaction that long, or a primary that does not answer, makes it fail: the write is refused
 * with nothing written, and the request answers 503 "Nothing was saved" (store-unavailable.server.ts).
 */
export const WRITE_TURN_TIMEOUT_MS = 5_000;

const askMessage = z.object({ cuWriteTurn: z.enum(['ask', 'release']), id: z.number().int() });
const grantMessage = z.object({ cuWriteTurn: z.literal('granted'), id: z.number().int() });

/** The worker as the primary sees it (a cluster Worker; in tests a forked child behind the same calls). */
export type TurnHolder = Pick<Worker, 'on' | 'send' | 'isConnected'>;

/** The primary's side: one turn, granted in the order asked, to one holder at a time. */
export function createPrimaryWriteTurn() {
  let holder: { worker: TurnHolder; id: number } | null = null;
  const queue: Array<{ worker: TurnHolder; id: number }> = [];
  let granted = 0;

  function grantNext() {
    while (!holder && queue.length > 0) {
      const next = queue.shift()!;
      if (!next.worker.isConnected()) continue; // gone meanwhile; its exit clears the rest
      holder = next;
      granted++;
      // A send that fails means the worker is gone: the turn moves on instead of waiting for its exit.
      next.worker.send({ cuWriteTurn: 'granted', id: next.id }, (error: Error | null) => {
        if (error) forget(next.worker);
      });
    }
  }

  function release(worker: TurnHolder, id: number) {
    if (holder?.worker === worker && holder.id === id) {
      holder = null;
      grantNext();
      return;
    }
    // Not granted yet: the worker stopped waiting (its timeout), so it leaves the queue.
    const index = queue.findIndex((a) => a.worker === worker && a.id === id);
    if (index >= 0) queue.splice(index, 1);
  }

  /** A worker that died (or cannot be reached) holds nothing and waits for nothing. */
  function forget(worker: TurnHolder) {
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].worker === worker) queue.splice(i, 1);
    if (holder?.worker === worker) {
      holder = null; // its transaction died with it: SQLite rolled it back and released the lock
      grantNext();
    }
  }

  return {
    /** Turns granted so far (the primary's SIGUSR2 line: one per write of every worker). */
    granted: () => granted,
    /** Whether a worker holds the turn now, and how many questions wait behind it (tests). */
    state: () => ({ held: holder !== null, waiting: queue.length }),
    /** Answers this worker's questions for as long as it lives, and frees its turn when it dies. */
    serve(worker: TurnHolder) {
      worker.on('message', (raw: unknown) => {
        if ((raw as { cuWriteTurn?: unknown } | null)?.cuWriteTurn === undefined) return; // not ours
        const parsed = askMessage.safeParse(raw);
        if (!parsed.success) return; // a worker of ours never sends this; it times out on its side
        if (parsed.data.cuWriteTurn === 'release') return release(worker, parsed.data.id);
        queue.push({ worker, id: parsed.data.id });
        grantNext();
      });
      worker.on('exit', () => forget(worker));
    },
  };
}

/** The turn was not granted: the primary did not answer in time, or the channel to it is closed. */
export class WriteTurnUnavailable extends Error {
  // isStoreUnavailable (app/web/store-unavailable.server.ts) answers 503 for this code, as for SQLITE_BUSY.
  readonly code = 'CU_WRITE_TURN_UNAVAILABLE';
  constructor(reason: string) {
    super(`cluster write turn: ${reason}`);
    this.name = 'WriteTurnUnavailable';
  }
}

/**
 * The worker's side: asks the primary for the turn and resolves once granted. Per write: one message
 * there (ask), one back (granted), one there again (release); no database work waits on anything else.
 */
export function connectToPrimaryWriteTurn(options: { timeoutMs?: number; channel?: PrimaryChannel } = {}): CrossProcessTurn {
  const channel = options.channel ?? processChannel();
  const timeoutMs = options.timeoutMs ?? WRITE_TURN_TIMEOUT_MS;
  const pending = new Map<number, { resolve: (release: () => void) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;

  const send = (cuWriteTurn: 'ask' | 'release', id: number, onError: (error: Error) => void = () => undefined) =>
    channel.send({ cuWriteTurn, id }, (error) => error && onError(error));

  function releaser(id: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Failing to send means the primary is gone, and with it the turn: nothing left to release.
      send('release', id);
    };
  }

  channel.onMessage((raw) => {
    if ((raw as { cuWriteTurn?: unknown } | null)?.cuWriteTurn !== 'granted') return;
    const parsed = grantMessage.safeParse(raw);
    if (!parsed.success) return;
    const { id } = parsed.data;
    const waiting = pending.get(id);
    if (!waiting) return send('release', id); // granted after its timeout: nobody will write, give it back
    pending.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(releaser(id));
  });

  return {
    acquire() {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const fail = (error: Error) => {
          if (!pending.delete(id)) return;
          clearTimeout(timer);
          reject(error);
        };
        const timer = setTimeout(() => {
          fail(new WriteTurnUnavailable(`not granted within ${timeoutMs} ms`));
          send('release', id); // leave the primary's queue (or give back a grant on its way)
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        send('ask', id, (error) => fail(new WriteTurnUnavailable(error.message)));
      });
    },
  };
}
