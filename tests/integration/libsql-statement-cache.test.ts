// Decision 118: @libsql/client's local-file driver is patched (patches/@libsql+client+0.18.0.patch)
// to keep one prepared statement per SQL text and connection, and to build rows from one object
// literal per column list. Every trap below runs the same statements twice: through a patched
// client on one file, and through a copy of the unpatched driver's executeStmt (a fresh statement
// for every call, rows by defineProperty) on a twin file. Both must give the same results.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { createClient, type InStatement, type IntMode, type ResultSet } from '@libsql/client';
import Database from 'libsql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPatches } from '../../scripts/apply-patches.mjs';
import { fileUrl, newTestDir } from '../support/db-base';

type Row = Record<string, unknown>;
type Native = InstanceType<typeof Database>;

// --- the unpatched driver (@libsql/client 0.18.0 lib-esm/sqlite3.js), the reference ---------------
function freshExecute(db: Native, stmt: InStatement, intMode: IntMode) {
  let sql: string;
  let args: unknown;
  if (typeof stmt === 'string') {
    sql = stmt;
    args = [];
  } else {
    sql = stmt.sql;
    if (Array.isArray(stmt.args)) {
      args = stmt.args.map((v) => valueToSql(v, intMode));
    } else {
      const named: Record<string, unknown> = {};
      for (const name in stmt.args) {
        const argName = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.substring(1) : name;
        named[argName] = valueToSql(stmt.args[name], intMode);
      }
      args = named;
    }
  }
  const sqlStmt = db.prepare(sql);
  sqlStmt.safeIntegers(true);
  let returnsData = true;
  try {
    sqlStmt.raw(true);
  } catch {
    returnsData = false;
  }
  if (returnsData) {
    const columns = Array.from(sqlStmt.columns().map((col) => col.name));
    const columnTypes = Array.from(sqlStmt.columns().map((col) => col.type ?? ''));
    const rows = (sqlStmt.all(args) as unknown[][]).map((sqlRow) => rowFromSql(sqlRow, columns, intMode));
    return { columns, columnTypes, rows, rowsAffected: 0, lastInsertRowid: undefined };
  }
  const info = sqlStmt.run(args);
  return { columns: [], columnTypes: [], rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
}

function rowFromSql(sqlRow: unknown[], columns: string[], intMode: IntMode): Row {
  const row = {};
  Object.defineProperty(row, 'length', { value: sqlRow.length });
  for (let i = 0; i < sqlRow.length; ++i) {
    const value = valueFromSql(sqlRow[i], intMode);
    Object.defineProperty(row, i, { value });
    const column = columns[i];
    if (!Object.hasOwn(row, column)) {
      Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return row;
}

function valueFromSql(sqlValue: unknown, intMode: IntMode): unknown {
  if (typeof sqlValue === 'bigint') {
    if (intMode === 'number') {
      if (sqlValue < -9007199254740991n || sqlValue > 9007199254740991n) {
        throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
      }
      return Number(sqlValue);
    }
    return intMode === 'bigint' ? sqlValue : '' + sqlValue;
  }
  if (sqlValue instanceof Buffer) return sqlValue.buffer;
  return sqlValue;
}

function valueToSql(value: unknown, intMode: IntMode): unknown {
  if (typeof value === 'boolean') {
    if (intMode === 'bigint') return value ? 1n : 0n;
    if (intMode === 'string') return value ? '1' : '0';
    return value ? 1 : 0;
  }
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  return value;
}

// --- comparison -----------------------------------------------------------------------------------
/** Everything a caller can observe of a row: own keys in order with descriptors, and the usual reads. */
function rowView(row: Row) {
  const json = JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return {
    own: Reflect.ownKeys(row).map((k) => [String(k), Object.getOwnPropertyDescriptor(row, k)]),
    keys: Object.keys(row),
    json,
    spread: { ...row },
    first: (row as unknown as unknown[])[0],
    length: (row as unknown as unknown[]).length,
  };
}

type View = { error: string; code: unknown } | Record<string, unknown>;

function resultView(rs: Pick<ResultSet, 'columns' | 'columnTypes' | 'rows' | 'rowsAffected' | 'lastInsertRowid'>): View {
  return {
    columns: [...rs.columns],
    columnTypes: [...rs.columnTypes],
    rows: rs.rows.map((r) => rowView(r as unknown as Row)),
    rowsAffected: rs.rowsAffected,
    lastInsertRowid: rs.lastInsertRowid,
  };
}

function errorView(e: unknown): View {
  const err = e as { message: string; extendedCode?: string; code?: string; name: string };
  // The client wraps libsql's SqliteError in a LibsqlError ("CODE: message") whose extendedCode is the native code.
  return { error: err.message.replace(/^SQLITE_[A-Z_]+: /, ''), code: err.extendedCode ?? err.code ?? err.name };
}

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const close of closers.splice(0)) close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A patched client on one file and the unpatched reference on a twin file, with the same history. */
function twins(intMode: IntMode = 'number', setup = 'create table t (id integer primary key, email text unique, doc text)') {
  const dir = newTestDir('libsql-cache');
  dirs.push(dir);
  const path = join(dir, 'patched.db');
  const twinPath = join(dir, 'fresh.db');
  const seed = new Database(path);
  seed.exec(setup);
  seed.close();
  copyFileSync(path, twinPath);
  const client = createClient({ url: fileUrl(path), intMode });
  const fresh = new Database(twinPath);
  closers.push(
    () => client.close(),
    () => fresh.close(),
  );
  return {
    path,
    client,
    fresh,
    /** Runs stmt on both sides and expects the same result (or the same error). */
    async same(stmt: InStatement): Promise<View> {
      let got: View;
      let want: View;
      try {
        got = resultView(await client.execute(stmt));
      } catch (e) {
        got = errorView(e);
      }
      try {
        want = resultView(freshExecute(fresh, stmt, intMode) as unknown as ResultSet);
      } catch (e) {
        want = errorView(e);
      }
      expect(got, typeof stmt === 'string' ? stmt : stmt.sql).toEqual(want);
      return got;
    },
  };
}

describe('libSQL statement cache (patched @libsql/client)', () => {
  it('prepares the same SQL once per connection, and at most 256 statements are kept', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const { client } = twins();
    const sql = 'select id, email from t where id > ?';
    const prepared = () => prepare.mock.calls.filter(([text]) => text === sql).length;
    await client.execute({ sql, args: [0] });
    await client.execute({ sql, args: [1] });
    await client.execute({ sql, args: [2] });
    expect(prepared()).toBe(1);
    // 256 other statements push it out of the bound: the next call prepares it again.
    for (let i = 0; i < 256; i++) await client.execute(`select ${i} as n`);
    await client.execute({ sql, args: [0] });
    expect(prepared()).toBe(2);
  });

  it('the patch is applied: patch-package finds it in place, and applying again changes nothing', () => {
    const files = ['lib-esm', 'lib-cjs'].map((dir) => join('node_modules/@libsql/client', dir, 'sqlite3.js'));
    const before = files.map((f) => readFileSync(f, 'utf8'));
    for (const text of before) expect(text).toContain('Patched (decision 118)');
    applyPatches(); // throws if a patch no longer fits
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
  });

  it('a statement that fails is not kept: a constraint error, a missing table, an error mid-rows', async () => {
    const { same } = twins();
    const insert = 'insert into t (email, doc) values (?, ?)';
    await same({ sql: insert, args: ['a@x', '{"x":1}'] });
    expect(await same({ sql: insert, args: ['a@x', '{}'] })).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await same({ sql: insert, args: ['b@x', 'not json'] });
    await same({ sql: insert, args: ['c@x', '{"x":3}'] });

    expect(await same('select * from later')).toMatchObject({ code: 'SQLITE_ERROR' });
    await same('create table later (v text)');
    await same('select * from later');
    await same("insert into later values ('one')");
    await same('select * from later');

    // json_extract fails on the second row, after the first was read.
    const extract = "select id, json_extract(doc, '$.x') as x from t order by id";
    expect(await same(extract)).toMatchObject({ error: expect.stringMatching(/malformed JSON/) });
    await same({ sql: 'update t set doc = ? where email = ?', args: ['{"x":2}', 'b@x'] });
    await same(extract);
    await same(extract);
  });

  it('schema changes between two calls of the same SQL: add, rename, drop and recreate, empty results too', async () => {
    const { same, client, path } = twins();
    await same({ sql: 'insert into t (email, doc) values (?, ?)', args: ['a@x', 'd'] });
    const star = 'select * from t';
    await same(star);
    await same("alter table t add column c text default 'z'");
    await same(star);
    await same('alter table t rename column c to d'); // same width, new name
    await same(star);
    await same('alter table t drop column d');
    await same(star);
    await same('drop table t');
    expect(await same(star)).toMatchObject({ code: 'SQLITE_ERROR' });
    await same('create table t (p text, q text, r text)'); // same width as before, other names, no rows
    await same(star);

    // Another client of this process (another connection) renames a column: same width, new name.
    const other = createClient({ url: fileUrl(path) });
    await other.execute('alter table t rename column q to q2');
    other.close();
    const before = await client.execute(star);
    expect(before.columns).toEqual(['p', 'q2', 'r']);

    // A connection outside the driver, as another process would: the statement's width changes.
    await client.execute("insert into t values ('1', '2', '3')");
    const outside = new Database(path);
    outside.exec("alter table t add column s text default 'four'");
    outside.close();
    const after = await client.execute(star);
    expect(after.columns).toEqual(['p', 'q2', 'r', 's']);
    expect(after.rows.map((r) => ({ ...r }))).toEqual([{ p: '1', q2: '2', r: '3', s: 'four' }]);
  });

  it('transaction(): DDL inside it is seen by the cached statement, and undone by rollback', async () => {
    const { same, client, fresh } = twins();
    await same({ sql: 'insert into t (email) values (?)', args: ['a@x'] });
    const star = 'select * from t';
    await same(star);

    const tx = await client.transaction('write');
    fresh.exec('BEGIN IMMEDIATE');
    // same width, new name: only the DDL and the ROLLBACK tell the cache
    await tx.execute('alter table t rename column doc to body');
    fresh.exec('alter table t rename column doc to body');
    const inside = await tx.execute(star);
    expect(resultView(inside)).toEqual(resultView(freshExecute(fresh, star, 'number') as unknown as ResultSet));
    expect(inside.columns).toEqual(['id', 'email', 'body']);
    await tx.rollback();
    fresh.exec('ROLLBACK');
    expect(await same(star)).toMatchObject({ columns: ['id', 'email', 'doc'] });

    // committed: kept
    const tx2 = await client.transaction('write');
    await tx2.execute('alter table t add column f text');
    await tx2.execute({ sql: 'update t set f = ?', args: ['eff'] });
    await tx2.commit();
    fresh.exec("alter table t add column f text; update t set f = 'eff'");
    await same(star);
  });

  it('batch(): its statements share the cache; a failed batch rolls back its DDL and the cache follows', async () => {
    const { same, client, fresh } = twins();
    const star = 'select * from t';
    await same(star);
    const insert = 'insert into t (email, doc) values (?, ?)';
    const ok = await client.batch([{ sql: insert, args: ['a@x', '1'] }, { sql: insert, args: ['b@x', '2'] }, star], 'write');
    fresh.exec("insert into t (email, doc) values ('a@x', '1'), ('b@x', '2')");
    expect(resultView(ok[2])).toEqual(resultView(freshExecute(fresh, star, 'number') as unknown as ResultSet));
    expect(ok[1].lastInsertRowid).toBe(2n);

    await expect(client.batch(['alter table t add column g text', star, { sql: insert, args: ['a@x', 'duplicate'] }], 'write')).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      statementIndex: 2,
    });
    expect(await same(star)).toMatchObject({ columns: ['id', 'email', 'doc'] });
  });

  it('close() and reconnect(): a closed client refuses, a reconnected one reads the schema as it is now', async () => {
    const { same, client, path } = twins();
    const star = 'select * from t';
    await same({ sql: 'insert into t (email, doc) values (?, ?)', args: ['a@x', 'd'] });
    await same(star);
    client.close();
    await expect(client.execute(star)).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });

    // Changed outside the driver while closed, same width: the reconnected client has new connections.
    const outside = new Database(path);
    outside.exec('alter table t rename column doc to body');
    outside.close();
    await client.reconnect();
    const rs = await client.execute(star);
    expect(rs.columns).toEqual(['id', 'email', 'body']);
    expect({ ...rs.rows[0] }).toEqual({ id: 1, email: 'a@x', body: 'd' });
  });

  it('INSERT without RETURNING and with it, UPDATE and DELETE: rows affected, last rowid and rows as before', async () => {
    const { same } = twins();
    const insert = 'insert into t (email, doc) values (?, ?)';
    for (const email of ['a@x', 'b@x', 'c@x']) {
      expect(await same({ sql: insert, args: [email, 'd'] })).toMatchObject({ rowsAffected: 1, columns: [] });
    }
    const returning = 'insert into t (email, doc) values (?, ?) returning id, email, doc';
    await same({ sql: returning, args: ['d@x', 'e'] });
    await same({ sql: returning, args: ['e@x', null] });
    expect(await same({ sql: 'update t set doc = ? where id > ?', args: ['u', 2] })).toMatchObject({ rowsAffected: 3 });
    await same({ sql: 'delete from t where id = ? returning *', args: [1] });
    await same({ sql: 'delete from t where id = ? returning *', args: [2] });
    await same({ sql: 'delete from t where id = ?', args: [3] });
    await same('select * from t order by id');
  });

  it.each(['number', 'bigint', 'string'] as const)('intMode %s: integers, reals, blobs, nulls and booleans as before', async (intMode) => {
    const { same } = twins(intMode);
    const sql = 'select ? as a, ? as b, 1.5 as r, ? as blob, null as n, 9007199254740991 as top';
    await same({ sql, args: [1, true, new Uint8Array([0, 255]).buffer] });
    await same({ sql, args: [12345678901234n, false, new ArrayBuffer(0)] });
    const big = 'select 9007199254740993 as big';
    const first = await same(big);
    if (intMode === 'number') expect(first).toMatchObject({ code: 'RangeError' });
    await same(big);
  });

  it('positional arguments: a call with fewer values than an earlier one binds NULL, as a fresh statement does', async () => {
    const { same } = twins();
    const sql = 'select ? as a, ? as b';
    await same({ sql, args: [1, 2] });
    expect(await same({ sql, args: [3] })).toMatchObject({ rows: [{ spread: { a: 3, b: null } }] });
    await same({ sql, args: [] });
    await same({ sql, args: [4, 5] });
    const named = 'select :a as a, :b as b';
    await same({ sql: named, args: { a: 1, b: 2 } });
    await same({ sql: named, args: { a: 3 } as Record<string, number> });
  });

  it('row shape: duplicate names (first wins), names like length, __proto__ and 0, and ordinary rows', async () => {
    const { same } = twins();
    await same({ sql: 'insert into t (email, doc) values (?, ?), (?, ?)', args: ['a@x', 'x', 'b@x', 'y'] });
    await same('select id, email, doc, id as email, doc as constructor from t order by id');
    await same('select 1 as a, 2 as a, 3 as b');
    await same('select 1 as length, 2 as x');
    await same('select 1 as "__proto__", 2 as y');
    await same('select 1 as "1", 2 as "0", 3 as z');
    await same('select 1 as "", 2 as "a b", 3 as "ü\u2028"');
  });

  it('executeMultiple(): a script that changes the schema refreshes the cached column lists', async () => {
    const { same, client, fresh } = twins();
    const script = 'create table m (a integer); insert into m values (1); insert into m values (2);';
    await client.executeMultiple(script);
    fresh.exec(script);
    const star = 'select * from m order by 1';
    await same(star);
    // same width, new name: only the script's schema bump tells the cache
    const rename = 'alter table m rename column a to a2; select 1;';
    await client.executeMultiple(rename);
    fresh.exec(rename);
    expect(await same(star)).toMatchObject({ columns: ['a2'] });
    const add = "alter table m add column b text default 'bee';";
    await client.executeMultiple(add);
    fresh.exec(add);
    await same(star);
    await expect(client.executeMultiple('alter table m add column b text; select 1;')).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
    });
    await same(star);
  });
});
