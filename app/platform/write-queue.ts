import type { AppDatabase } from "./context";

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
  const key = db.$client.protocol === "file" ? localFiles : db;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  tails.set(key, run.catch(() => undefined));
  return run;
}
