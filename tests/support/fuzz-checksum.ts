// "Did this request change any row?" for the fuzz suite (issue 14), on the test's own libSQL file.
//
// tableChecksums(): every user table's rows (rowid order) as a SHA-256 per table: the independent,
// whole-database answer (about a second on the seeded test database, so once per phase, not per
// request). changeWatch(): a write log kept by triggers on the test's throwaway copy, so each of
// thousands of fuzzed requests is checked row by row in well under a millisecond when it wrote nothing.
import { createHash } from 'node:crypto';
import type { Client } from '@libsql/client';

const TOUCHED = 'fuzz_touched'; // the write log: never hashed, never watched

/** What of a table a refusal may write by design: rows matching a predicate, or some columns. */
export interface TrailRule {
  /** SQL over the row's columns, each written as `${row}name` (row is '' in a SELECT, 'NEW.'/'OLD.' in a trigger). */
  rows?: (row: string) => string;
  /** Columns left out of the hash; an UPDATE of only these touches nothing. */
  columns?: readonly string[];
}
export type Trail = Readonly<Record<string, TrailRule>>;

/**
 * What a refusal may write by design, left out of the hash and of the write counters: the audit
 * trail of the refusal itself (a 403 writes one access.denied row, decision 042; a refused sign-in,
 * password check or grant/territory change is logged) and the lockout count a wrong password adds
 * (decision 090; its UPDATE also stamps users.updated_at). Anything else a refused request writes
 * is a change.
 */
export const REFUSAL_TRAIL: Trail = {
  activity_logs: {
    rows: (r) =>
      `${r}action IN ('access.denied', 'auth.login_failed', 'auth.locked', 'auth.login_refused_locked', 'auth.login_rate_limited', ` +
      `'auth.password_change_failed', 'auth.password_change_refused_locked', 'user.territory_refused', 'user.grant_refused')`,
  },
  users: { columns: ['failed_login_count', 'locked_until', 'updated_at'] },
};

/** User tables of the database (no sqlite_* internals, no fuzz bookkeeping). */
export async function userTables(client: Client): Promise<string[]> {
  const rs = await client.execute(
    `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name <> '${TOUCHED}' ORDER BY name`,
  );
  return rs.rows.map((r) => String(r.name));
}

const quoteId = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function columnsOf(client: Client, table: string): Promise<string[]> {
  return (await client.execute(`SELECT name FROM pragma_table_info(${"'" + table.replaceAll("'", "''") + "'"})`)).rows.map((r) => String(r.name));
}

/**
 * Tables kept only by triggers on other tables, which a write log cannot watch row by row: the
 * WITHOUT ROWID counters (decision 100) and the search index with its shadow tables (decision 099).
 * They change only when a watched base table does (clients, client_period_status, status_events…),
 * and the per-phase tableChecksums() still hashes them whole.
 */
async function derivedTables(client: Client): Promise<Set<string>> {
  const rs = await client.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'");
  const virtual = rs.rows.filter((r) => /^CREATE\s+VIRTUAL\s+TABLE/i.test(String(r.sql ?? ''))).map((r) => String(r.name));
  const out = new Set<string>();
  for (const r of rs.rows) {
    const name = String(r.name);
    if (/WITHOUT\s+ROWID/i.test(String(r.sql ?? '')) || virtual.some((v) => name === v || name.startsWith(`${v}_`))) out.add(name);
  }
  return out;
}

async function hasRowid(client: Client, table: string): Promise<boolean> {
  const rs = await client.execute({ sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", args: [table] });
  return !/WITHOUT\s+ROWID/i.test(String(rs.rows[0]?.sql ?? ''));
}

export interface TableSum {
  rows: number;
  hash: string;
}

/** One table's rows (minus its REFUSAL_TRAIL rows) as a count and a SHA-256 of their values in rowid order. */
export async function tableChecksum(client: Client, table: string, skip: Trail = REFUSAL_TRAIL): Promise<TableSum> {
  const rule = skip[table] ?? {};
  const where = rule.rows ? ` WHERE NOT (${rule.rows('')})` : '';
  const order = (await hasRowid(client, table)) ? ' ORDER BY rowid' : ' ORDER BY 1';
  const ignored = new Set(rule.columns ?? []);
  const columns = ignored.size
    ? (await columnsOf(client, table))
        .filter((c) => !ignored.has(c))
        .map(quoteId)
        .join(', ')
    : '*';
  const rs = await client.execute(`SELECT ${columns} FROM ${quoteId(table)}${where}${order}`);
  const hash = createHash('sha256');
  for (const row of rs.rows) {
    for (let i = 0; i < rs.columns.length; i++) {
      const v = row[i];
      // Type-tagged so 1 and '1', null and 'null' differ; blobs by their bytes.
      const text = v === null ? '\u0000N' : v instanceof ArrayBuffer ? `B${Buffer.from(v).toString('hex')}` : `${typeof v}:${String(v)}`;
      hash.update(text).update('\u0001');
    }
    hash.update('\u0002');
  }
  return { rows: rs.rows.length, hash: hash.digest('hex') };
}

/** Every user table's checksum: compare two of these with changedTables(). */
export async function tableChecksums(client: Client, skip: Trail = REFUSAL_TRAIL): Promise<Map<string, TableSum>> {
  const sums = new Map<string, TableSum>();
  for (const table of await userTables(client)) sums.set(table, await tableChecksum(client, table, skip));
  return sums;
}

/** Tables whose rows differ between two checksums (added and dropped tables included). */
export function changedTables(before: Map<string, TableSum>, after: Map<string, TableSum>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((t) => before.get(t)?.hash !== after.get(t)?.hash).sort();
}

export interface RowChange {
  table: string;
  rowid: number;
  /** The row's watched values before the request (quote()d, comma-joined), or null: it did not exist. */
  before: string | null;
  /** The same now, or null: it was deleted. */
  after: string | null;
}

/** A change in a few words: the table, the rowid, and where the values first differ. */
export function describeChange(c: RowChange): string {
  if (c.before === null) return `${c.table}#${c.rowid} inserted: ${c.after?.slice(0, 80)}`;
  if (c.after === null) return `${c.table}#${c.rowid} deleted: ${c.before.slice(0, 80)}`;
  let at = 0;
  while (at < c.before.length && c.before[at] === c.after[at]) at++;
  const from = Math.max(0, at - 30);
  return `${c.table}#${c.rowid} updated: …${c.before.slice(from, at + 40)}… → …${c.after.slice(from, at + 40)}…`;
}

export interface ChangeWatch {
  /** Rows whose watched values differ from what they were at the previous call; re-bases on now. */
  changes(): Promise<RowChange[]>;
}

/**
 * Installs a write log on this (throwaway) database: AFTER INSERT/UPDATE/DELETE triggers on every
 * user table record the rowid and the OLD values (quote()d, so blobs and NULLs keep their type) in
 * fuzz_touched, inside the writer's own transaction (a rolled-back write leaves no entry). changes()
 * compares each touched row's first recorded state with its state now: a no-op UPDATE is not a
 * change; an insert, a real update or a delete is. The REFUSAL_TRAIL rows and columns are not
 * watched. Cost per request: one small read when nothing was written (no table is re-hashed).
 */
export async function changeWatch(client: Client, skip: Trail = REFUSAL_TRAIL): Promise<ChangeWatch> {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${TOUCHED} (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT)`);
  const watchedColumns = new Map<string, string[]>();
  const derived = await derivedTables(client);
  for (const table of await userTables(client)) {
    if (derived.has(table)) continue;
    if (!(await hasRowid(client, table))) throw new Error(`fuzz-checksum: ${table} has no rowid; the write log needs one`);
    const rule = skip[table] ?? {};
    const ignored = new Set(rule.columns ?? []);
    const columns = (await columnsOf(client, table)).filter((c) => !ignored.has(c));
    watchedColumns.set(table, columns);
    const values = (row: 'NEW.' | 'OLD.') => columns.map((c) => `quote(${row}${quoteId(c)})`).join(" || ',' || ");
    const literal = `'${table.replaceAll("'", "''")}'`;
    const guard = (row: 'NEW.' | 'OLD.') => (rule.rows ? ` WHEN NOT (${rule.rows(row)})` : '');
    const of = ignored.size ? ` OF ${columns.map(quoteId).join(', ')}` : '';
    const triggers = [
      ['insert', `INSERT`, guard('NEW.'), `VALUES (${literal}, NEW.rowid, NULL)`],
      // A rowid that changes logs both: the old one with its values, the new one as new.
      ['update', `UPDATE${of}`, guard('NEW.'), `VALUES (${literal}, OLD.rowid, ${values('OLD.')}), (${literal}, NEW.rowid, NULL)`],
      ['delete', `DELETE`, guard('OLD.'), `VALUES (${literal}, OLD.rowid, ${values('OLD.')})`],
    ];
    for (const [event, on, when, insert] of triggers) {
      const name = quoteId(`fuzz_${event}_${table}`);
      await client.execute(
        `CREATE TRIGGER IF NOT EXISTS ${name} AFTER ${on} ON ${quoteId(table)}${when} BEGIN INSERT INTO ${TOUCHED} (tbl, rid, old) ${insert}; END`,
      );
    }
  }
  const nowOf = async (table: string, rowid: number): Promise<string | null> => {
    const columns = watchedColumns.get(table) ?? [];
    const rule = skip[table] ?? {};
    const where = rule.rows ? ` AND NOT (${rule.rows('')})` : '';
    const rs = await client.execute({
      sql: `SELECT ${columns.map((c) => `quote(${quoteId(c)})`).join(" || ',' || ")} AS v FROM ${quoteId(table)} WHERE rowid = ?${where}`,
      args: [rowid],
    });
    return rs.rows.length ? String(rs.rows[0].v) : null;
  };
  return {
    async changes() {
      const log = await client.execute(`SELECT seq, tbl, rid, old FROM ${TOUCHED} ORDER BY seq`);
      if (!log.rows.length) return [];
      await client.execute({ sql: `DELETE FROM ${TOUCHED} WHERE seq <= ?`, args: [Number(log.rows.at(-1)!.seq)] });
      const first = new Map<string, { table: string; rowid: number; before: string | null }>();
      for (const r of log.rows) {
        const key = `${String(r.tbl)}#${Number(r.rid)}`;
        // An UPDATE's second entry (the new rowid, "did not exist") must not hide the first.
        const seen = first.get(key);
        if (!seen) first.set(key, { table: String(r.tbl), rowid: Number(r.rid), before: r.old === null ? null : String(r.old) });
      }
      const changed: RowChange[] = [];
      for (const { table, rowid, before } of first.values()) {
        const after = await nowOf(table, rowid);
        if (after !== before) changed.push({ table, rowid, before, after });
      }
      return changed;
    },
  };
}
