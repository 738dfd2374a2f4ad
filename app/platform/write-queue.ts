import type { AppContext, AppDatabase } from './context';

/**
 * Write transactions on one database client take turns within this process. The embedded libSQL
 * file driver starts a write transaction synchronously: a second one begun while the first is
 * still open waits on the file lock inside native code, so the first can never finish and both fail
 * with SQLITE_BUSY. Over HTTP (sqld, Turso) the server orders them; the queue costs nothing there.
 * A cluster worker on a local file also takes the cluster's turn, held by the primary (decision 121).
 * Transactions take the turn here (`ctx.write`, `writeTransaction`, `inWriteTurn`); every write
 * outside a transaction on a local file takes it in the database port itself (inStatementWriteTurn,
 * called by write-turn-client.ts; decision 124), so no call site wraps a single write by hand.
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
  /** Who runs in this process's file turn now: a transaction's work (JS that can issue more writes) or one statement. */
  fileHolder: { kind: 'transaction' | 'statement'; since: number } | null;
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
  fileHolder: null,
});

/**
 * From now on every write turn of this process on a local file also holds `turn` (a cluster worker:
 * server/node.ts). The in-process turn comes first, so this process asks for `turn` once at a time.
 * null: this process alone again.
 */
export function shareFileWriteTurn(turn: CrossProcessTurn | null): void {
  state.crossProcess = turn;
}

async function withCrossProcessTurn<T>(kind: FileTurnKind, work: () => Promise<T>): Promise<T> {
  state.fileWritesWaiting--;
  const shared = state.crossProcess;
  if (shared) state.held ??= { release: await shared.acquire(), since: Date.now() };
  state.fileHolder = { kind, since: Date.now() };
  try {
    return await work();
  } finally {
    state.fileHolder = null;
    giveBackCrossProcessTurn();
  }
}

/**
 * Commit, rollback or throw: the transaction is over. The turn goes back unless this process's next
 * write is already queued and the lease has time left (it then starts with no lock held).
 */
function giveBackCrossProcessTurn() {
  const held = state.held;
  if (held && (state.fileWritesWaiting === 0 || Date.now() - held.since >= FILE_TURN_LEASE_MS)) {
    state.held = null;
    held.release();
  }
}

type FileTurnKind = 'transaction' | 'statement';

/** Queues `work` for this process's turn on its local files; `abandoned` skips it if its caller stopped waiting. */
function inFileTurn<T>(kind: FileTurnKind, work: () => Promise<T>, abandoned?: () => boolean): Promise<T> {
  const key = state.localFiles;
  const previous = state.tails.get(key) ?? Promise.resolve();
  const turn = () => {
    if (!abandoned?.()) return withCrossProcessTurn(kind, work);
    state.fileWritesWaiting--;
    giveBackCrossProcessTurn(); // the lease may have been kept for this write
    return Promise.resolve(undefined as T);
  };
  state.fileWritesWaiting++;
  const run = previous.then(turn, turn);
  state.tails.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * A transaction (or another piece of work that writes only through its own transaction) in this
 * process's write turn. `work` must not write on `db` itself outside that transaction: on a local file
 * such a write takes the turn too (the database port, write-turn-client.ts) and would wait for `work`.
 */
export function inWriteTurn<T>(db: AppDatabase, work: () => Promise<T>): Promise<T> {
  if (db.$client.protocol === 'file') return inFileTurn('transaction', work);
  const previous = state.tails.get(db) ?? Promise.resolve();
  const run = previous.then(work, work);
  state.tails.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * How long an autocommit write waits behind ONE transaction holding the turn before it gives up:
 * SQLite's busy timeout (db/client.ts), the wait for the file lock such a write had before the port
 * took the turn. A transaction that long is already a failure for every other process (their writes
 * meet its lock or wait for the cluster's turn as long); and a write issued on the database from
 * INSIDE a transaction's work waits for the turn its own transaction holds, which no wait ends.
 */
export const TRANSACTION_WAIT_LIMIT_MS = 5_000;

/** An autocommit write gave up waiting behind a transaction; nothing was written. Answered as 503, like SQLITE_BUSY. */
export class WriteTurnHeldByTransaction extends Error {
  // isStoreUnavailable (app/web/store-unavailable.server.ts) answers 503 for this code, as for SQLITE_BUSY.
  readonly code = 'CU_WRITE_TURN_UNAVAILABLE';
  constructor(waitedMs: number) {
    super(
      `write turn: an autocommit write waited ${waitedMs} ms behind one transaction that still holds the turn. ` +
        "A write issued inside a transaction's work must use its transaction handle (tx), not the database (ctx.db): " +
        'on the database it waits for the turn its own transaction holds.',
    );
    this.name = 'WriteTurnHeldByTransaction';
  }
}

/**
 * One autocommit write statement (or batch) on a local file, in this process's write turn: what the
 * database port does for every write outside a transaction (write-turn-client.ts). It runs once the
 * transactions and statements queued before it are done; it gives up with WriteTurnHeldByTransaction
 * when one transaction has held the turn `limitMs` or longer while it waited (a statement holding the
 * turn is one native call and always ends, so it never counts).
 */
export function inStatementWriteTurn<T>(work: () => Promise<T>, limitMs: number = TRANSACTION_WAIT_LIMIT_MS): Promise<T> {
  // Nothing ahead: no timer (the common case costs a queue step only).
  if (state.fileHolder === null && state.fileWritesWaiting === 0) return inFileTurn('statement', work);
  const queuedAt = Date.now();
  let gaveUp = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      const holder = state.fileHolder;
      const heldFor = holder?.kind === 'transaction' ? Date.now() - holder.since : 0;
      if (heldFor < limitMs) {
        timer = setTimeout(check, holder?.kind === 'transaction' ? limitMs - heldFor : limitMs);
        return;
      }
      gaveUp = true;
      reject(new WriteTurnHeldByTransaction(Date.now() - queuedAt));
    };
    timer = setTimeout(check, limitMs);
    inFileTurn(
      'statement',
      () => {
        clearTimeout(timer);
        return work();
      },
      () => gaveUp,
    )
      .then(resolve, reject)
      .finally(() => clearTimeout(timer)); // also when the cluster's turn was refused before the work began
  });
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
