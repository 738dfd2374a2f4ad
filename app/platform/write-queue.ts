import type { AppContext, AppDatabase } from './context';

/**
 * Write transactions on one database client take turns within this process. The embedded libSQL
 * file driver starts a write transaction synchronously: a second one begun while the first is
 * still open waits on the file lock inside native code, so the first can never finish and both fail
 * with SQLITE_BUSY. Over HTTP (sqld, Turso) the server orders them; the queue costs nothing there.
 * A cluster worker on a local file also takes the cluster's turn, held by the primary (decision 121).
 */

/** A turn shared with other processes: the Node cluster's primary grants it (server/cluster-write-turn.ts). */
export interface CrossProcessTurn {
  /** Resolves once this process holds the turn, with the function that gives it back; rejects if not granted in time. */
  acquire(): Promise<() => void>;
}

interface TurnState {
  tails: WeakMap<object, Promise<unknown>>;
  /** Every local-file client of this process shares one turn: two clients on the same file deadlock alike. */
  localFiles: object;
  crossProcess: CrossProcessTurn | null;
  /** Writes on a local file queued in this process and not started yet. */
  fileWritesWaiting: number;
  /** The cross-process turn while this process holds it: how to give it back, and since when it is held. */
  held: { release: () => void; since: number } | null;
}

/**
 * How long a process keeps the cross-process turn for its own queued writes before giving it back.
 * A grant reaches a worker only when its event loop reads the message, which under load takes far
 * longer than a status write (a batch runs in well under a millisecond): one grant per write made
 * the turn wait for that loop lag on every write. So the writes that queued meanwhile run in the
 * same grant, for up to this long, and then the other workers get their turn (FIFO at the primary).
 */
export const FILE_TURN_LEASE_MS = 50;

// Kept on globalThis, not in this module: the server build (build/node/index.js) bundles its own copy
// of this module, and the host's write port (server/node.ts) and the app's own inWriteTurn calls must
// wait in ONE queue, or a batch of the app meets a transaction of the port on the file lock.
const STATE = Symbol.for('client-updater.write-turn');
const state: TurnState = ((globalThis as { [STATE]?: TurnState })[STATE] ??= {
  tails: new WeakMap(),
  localFiles: {},
  crossProcess: null,
  fileWritesWaiting: 0,
  held: null,
});

/**
 * From now on every write turn of this process on a local file also holds `turn` (a cluster worker:
 * server/node.ts). The in-process turn comes first, so this process asks for `turn` once at a time.
 * null: this process alone again.
 */
export function shareFileWriteTurn(turn: CrossProcessTurn | null): void {
  state.crossProcess = turn;
}

async function withCrossProcessTurn<T>(work: () => Promise<T>): Promise<T> {
  state.fileWritesWaiting--;
  const shared = state.crossProcess;
  if (!shared) return work();
  state.held ??= { release: await shared.acquire(), since: Date.now() };
  try {
    return await work();
  } finally {
    // Commit, rollback or throw: the transaction is over. The turn goes back unless this process's
    // next write is already queued and the lease has time left (it then starts with no lock held).
    const held = state.held;
    if (held && (state.fileWritesWaiting === 0 || Date.now() - held.since >= FILE_TURN_LEASE_MS)) {
      state.held = null;
      held.release();
    }
  }
}

export function inWriteTurn<T>(db: AppDatabase, work: () => Promise<T>): Promise<T> {
  const file = db.$client.protocol === 'file';
  const key = file ? state.localFiles : db;
  const previous = state.tails.get(key) ?? Promise.resolve();
  const turn = file ? () => withCrossProcessTurn(work) : work;
  if (file) state.fileWritesWaiting++;
  const run = previous.then(turn, turn);
  state.tails.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * A single write statement (or batch) outside a transaction, on `db` or on the caller's transaction:
 * on the database it takes the write turn like a transaction does (an autocommit write is one too);
 * on a transaction handle it runs as is, inside the turn that transaction already holds.
 */
export function writeOutsideTransaction<T>(ctx: Pick<AppContext, 'db'>, db: unknown, work: () => Promise<T>): Promise<T> {
  return db === ctx.db ? inWriteTurn(ctx.db, work) : work();
}

/** The transaction handle a write runs on (Drizzle's libSQL transaction over the app's schema). */
export type WriteTransaction = Parameters<Parameters<AppDatabase['transaction']>[0]>[0];

/** How the transaction begins: `{ behavior: "immediate" }` takes the write lock at BEGIN. */
export type WriteConfig = Parameters<AppDatabase['transaction']>[1];

/** A write: this process's write turn and one transaction together (committed when `work` resolves). */
export function writeTransaction<T>(db: AppDatabase, work: (tx: WriteTransaction) => Promise<T>, config?: WriteConfig): Promise<T> {
  return inWriteTurn(db, () => db.transaction(work, config));
}

/** The context's write port on `db`: `ctx.write(fn)`. A context given another database needs a new port too. */
export function writePort(db: AppDatabase): AppContext['write'] {
  return (work, config) => writeTransaction(db, work, config);
}
