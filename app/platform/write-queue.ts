import type { AppContext, AppDatabase } from './context';

/**
 * Write transactions on one database client take turns within this process. The embedded libSQL
 * file driver starts a write transaction synchronously: a second one begun while the first is
 * still open waits on the file lock inside native code, so the first can never finish and both fail
 * with SQLITE_BUSY. Over HTTP (sqld, Turso) the server orders them; the queue costs nothing there.
 */
const tails = new WeakMap<object, Promise<unknown>>();
// Every local-file client of this process shares one turn: two clients on the same file deadlock alike.
const localFiles = {};

export function inWriteTurn<T>(db: AppDatabase, work: () => Promise<T>): Promise<T> {
  const key = db.$client.protocol === 'file' ? localFiles : db;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  tails.set(
    key,
    run.catch(() => undefined),
  );
  return run;
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
