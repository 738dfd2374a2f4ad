import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client';
import { inStatementWriteTurn, TRANSACTION_WAIT_LIMIT_MS } from './write-queue';

/**
 * The database port on a local libSQL file (decision 124): every write outside a transaction takes
 * the process's write turn by itself, as a transaction does through `ctx.write` (an autocommit write
 * is a write transaction to SQLite, and meets the file lock the same way: decisions 116 and 121).
 * Drizzle runs every statement outside a transaction through the client's `execute` or `batch`, so
 * wrapping the client covers `ctx.db.insert(...)`, `.update`, `.delete`, `db.run(sql...)` and raw
 * `$client.execute(...)` alike, with nothing to remember at the call site. Reads never take the turn.
 * Transactions (`client.transaction()`) pass through: their caller holds the turn (`ctx.write`,
 * `inWriteTurn`), and their statements run on the transaction's own handle, not here.
 */
export function takingWriteTurn(client: Client, options: { transactionWaitLimitMs?: number } = {}): Client {
  const limitMs = options.transactionWaitLimitMs ?? TRANSACTION_WAIT_LIMIT_MS;
  const inTurn = <T>(work: () => Promise<T>) => inStatementWriteTurn(work, limitMs);
  return {
    execute(stmtOrSql: InStatement | string, args?: InArgs) {
      const text = typeof stmtOrSql === 'string' ? stmtOrSql : stmtOrSql.sql;
      const run = () => (typeof stmtOrSql === 'string' ? client.execute(stmtOrSql, args) : client.execute(stmtOrSql));
      return writesToDatabase(text) ? inTurn(run) : run();
    },
    batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) {
      const writes = mode !== 'read' && stmts.some((s) => writesToDatabase(typeof s === 'string' ? s : Array.isArray(s) ? s[0] : s.sql));
      return writes ? inTurn(() => client.batch(stmts, mode)) : client.batch(stmts, mode);
    },
    migrate: (stmts) => inTurn(() => client.migrate(stmts)),
    executeMultiple: (sql) => inTurn(() => client.executeMultiple(sql)),
    transaction: (mode?: TransactionMode) => client.transaction(mode),
    sync: () => client.sync(),
    close: () => client.close(),
    reconnect: () => client.reconnect(),
    get closed() {
      return client.closed;
    },
    get protocol() {
      return client.protocol;
    },
  } as Client;
}

// Leading whitespace and comments, then the statement's first word.
const FIRST_WORD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*([a-z]+)/i;
const WRITE_WORD = /\b(?:insert|update|delete|replace)\b/i;
/** A PRAGMA that sets something (`= value`) or maintains the file; `table_info(t)` and the like only read. */
const PRAGMA_THAT_WRITES = /=|\b(?:optimize|wal_checkpoint|incremental_vacuum)\b/i;

/**
 * Whether SQLite takes the write lock for this statement. SELECT and EXPLAIN never do; a WITH does when
 * its statement is an INSERT, UPDATE, DELETE or REPLACE (a word of those anywhere counts: a read
 * mistaken for a write only waits its turn); a PRAGMA when it sets something or maintains the file.
 * Everything else (INSERT, UPDATE, DELETE, REPLACE, DDL, VACUUM, ...) is a write.
 */
export function writesToDatabase(sql: string): boolean {
  const word = FIRST_WORD.exec(sql)?.[1]?.toLowerCase();
  if (word === 'select' || word === 'explain' || word === 'values') return false;
  if (word === 'with') return WRITE_WORD.test(sql);
  if (word === 'pragma') return PRAGMA_THAT_WRITES.test(sql);
  return true;
}
