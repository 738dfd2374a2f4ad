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
}

// Kept on globalThis, not in this module: the server build (build/node/index.js) bundles its own copy
// of this module, and the host's write port (server/node.ts) and the app's own inWriteTurn calls must
// wait in ONE queue, or a batch of the app meets a transaction of the port on the file lock.
const STATE = Symbol.for('client-updater.write-turn');
const state: TurnState = ((globalThis as { [STATE]?: TurnState })[STATE] ??= { tails: new WeakMap(), localFiles: {}, crossProcess: null });

/**
 * From now on every write turn of this process on a local file also holds `turn` (a cluster worker:
 * server/node.ts). The in-process turn comes first, so this process asks for `turn` once at a time.
 * null: this process alone again.
 */
export function shareFileWriteTurn(turn: CrossProcessTurn | null): void {
  state.crossProcess = turn;
}

async function withCrossProcessTurn<T>(work: () => Promise<T>): Promise<T> {
  const shared = state.crossProcess;
  if (!shared) return work();
  const release = await shared.acquire();
  try {
    return await work();
  } finally {
    release(); // commit, rollback or throw: the transaction is over either way
  }
}

export function inWriteTurn<T>(db: AppDatabase, work: () => Promise<T>): Promise<T> {
  const file = db.$client.protocol === 'file';
  const key = file ? state.localFiles : db;
  const previous = state.tails.get(key) ?? Promise.resolve();
  const turn = file ? () => withCrossProcessTurn(work) : work;
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
