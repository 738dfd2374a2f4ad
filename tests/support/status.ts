// Status tracking test support: ids by code, "who" for applyStatusUpdate, the eligibility answer in
// plain SQL (the independent side period initialization is compared with), and a statement
// recorder at the libSQL client boundary.
import type { Client, InStatement, InValue } from '@libsql/client';
import { loadAccess } from '../../app/core/access/access.server';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { scopeFor } from '../../app/core/access/scope.server';
import type { AppContext } from '../../app/platform/context';
import { userIdByEmail } from './app-context';
import { expect } from 'vitest';
import { idByCode, sqlRows } from './sql';

export const STATUS_TABLES = ['client_period_status', 'status_events', 'activity_logs'] as const;

/** A whole table, every column, ordered by id, as one JSON text built by SQLite (fast to compare). */
async function tableJson(client: Client, table: string): Promise<string> {
  const columns = (await client.execute(`PRAGMA table_info(${table})`)).rows.map((r) => String(r.name));
  const pairs = columns.map((c) => `'${c}', "${c}"`).join(', ');
  const { rows } = await client.execute(`SELECT json_group_array(json_object(${pairs})) AS j FROM (SELECT * FROM ${table} ORDER BY id)`);
  return String(rows[0].j);
}

export type StatusSnapshot = Record<(typeof STATUS_TABLES)[number], string>;

/** client_period_status, status_events and activity_logs in full, for "nothing changed" comparisons. */
export async function snapshotStatusTables(client: Client): Promise<StatusSnapshot> {
  const out = {} as StatusSnapshot;
  for (const table of STATUS_TABLES) out[table] = await tableJson(client, table);
  return out;
}

/** Every row of the three tables is as it was (a readable row diff when not). */
export async function expectStatusTablesUnchanged(client: Client, before: StatusSnapshot): Promise<void> {
  const after = await snapshotStatusTables(client);
  for (const table of STATUS_TABLES) {
    if (after[table] !== before[table]) expect({ [table]: JSON.parse(after[table]) }).toEqual({ [table]: JSON.parse(before[table]) });
  }
}

export async function maxIdOf(client: Client, table: string): Promise<number> {
  return Number((await client.execute(`SELECT coalesce(max(id), 0) AS m FROM ${table}`)).rows[0].m);
}

/** Rows added after a maxIdOf() reading. */
export function rowsAfter(client: Client, table: string, id: number) {
  return sqlRows(client, `SELECT * FROM ${table} WHERE id > ? ORDER BY id`, [id]);
}

export function statusIdOf(client: Client, code: string): Promise<number> {
  return idByCode(client, 'status_types', code);
}

/** Reason codes repeat across statuses (NO_ANSWER is under TO_FOLLOW and CALLED): look up by both. */
export async function reasonIdOf(client: Client, statusCode: string, reasonCode: string): Promise<number> {
  const [row] = await sqlRows(client, 'SELECT r.id FROM status_reasons r JOIN status_types t ON t.id = r.status_type_id WHERE t.code = ? AND r.code = ?', [
    statusCode,
    reasonCode,
  ]);
  if (!row) throw new Error(`no reason ${statusCode}/${reasonCode}`);
  return Number(row.id);
}

/** The `who` applyStatusUpdate takes, from the user's real grants (as the route builds it). */
export async function whoIs(ctx: AppContext, email: string) {
  const userId = await userIdByEmail(ctx.db, email);
  const access = await loadAccess(ctx, userId);
  const scope = scopeFor(access, 'status:update');
  if (!scope) throw new Error(`${email} has no status:update`);
  return { userId, scope, revertScope: scopeFor(access, 'status:revert') };
}

export interface PeriodRow {
  id: number;
  clientId: number;
  periodKey: string;
  version: number;
  updateCount: number;
  statusCode: string;
  maxSequence: number;
  companyId: number;
  branchId: number;
}

/**
 * The first period row matching: branch code, company code, status code, period key, and an extra
 * condition. `s` is client_period_status, `c` clients, `b` branches, `st` status_types.
 */
export async function findPeriodRow(
  client: Client,
  where: { periodKey: string; branch?: string; company?: string; status?: string; extra?: string; args?: InValue[]; skip?: number },
): Promise<PeriodRow> {
  const conds = ['s.period_key = ?', 'c.is_active = 1', 'c.deleted_at IS NULL'];
  const args: InValue[] = [where.periodKey];
  const add = (cond: string, ...values: InValue[]) => {
    conds.push(cond);
    args.push(...values);
  };
  if (where.branch) add('b.code = ?', where.branch);
  if (where.company) add('co.code = ?', where.company);
  if (where.status) add('st.code = ?', where.status);
  if (where.extra) add(where.extra, ...(where.args ?? []));
  const [row] = await sqlRows(
    client,
    `SELECT s.id, s.client_id, s.period_key, s.version, s.update_count, st.code AS status_code, s.company_id, s.branch_id,
            (SELECT coalesce(max(e.event_sequence), 0) FROM status_events e WHERE e.period_status_id = s.id) AS max_seq
     FROM client_period_status s
     JOIN clients c ON c.id = s.client_id
     JOIN branches b ON b.id = s.branch_id
     JOIN companies co ON co.id = s.company_id
     JOIN status_types st ON st.id = s.status_type_id
     WHERE ${conds.join(' AND ')} ORDER BY s.id LIMIT 1 OFFSET ?`,
    [...args, where.skip ?? 0],
  );
  if (!row) throw new Error(`no period row for ${JSON.stringify(where)}`);
  return {
    id: Number(row.id),
    clientId: Number(row.client_id),
    periodKey: String(row.period_key),
    version: Number(row.version),
    updateCount: Number(row.update_count),
    statusCode: String(row.status_code),
    maxSequence: Number(row.max_seq),
    companyId: Number(row.company_id),
    branchId: Number(row.branch_id),
  };
}

/** 'YYYY-MM' of a period's first month. */
export function periodStart(type: 'monthly' | 'quarterly', year: number, number: number): string {
  const month = type === 'monthly' ? number : number * 3 - 2;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * The clients domain.md calls eligible for a period, written independently of initializePeriod:
 * active, not deleted, PAR trackable, product cycle = period type, and no terminal row in a period
 * that starts before this one. A SELECT of client ids (`id`), with its arguments.
 */
export function eligibleClientsSql(type: 'monthly' | 'quarterly', year: number, number: number): { sql: string; args: InValue[] } {
  return {
    sql: `SELECT c.id FROM clients c
     JOIN products p ON p.id = c.product_id
     JOIN par_statuses ps ON ps.id = c.par_status_id
     WHERE c.is_active = 1 AND c.deleted_at IS NULL AND ps.is_trackable = 1 AND p.tracking_cycle = ?
       AND c.id NOT IN (
         SELECT t.client_id FROM client_period_status t
         WHERE t.is_terminal = 1
           AND printf('%04d-%02d', t.period_year, CASE t.period_type WHEN 'monthly' THEN t.period_number ELSE t.period_number * 3 - 2 END) < ?)`,
    args: [type, periodStart(type, year, number)],
  };
}

export async function eligibleClientIds(client: Client, type: 'monthly' | 'quarterly', year: number, number: number): Promise<number[]> {
  const q = eligibleClientsSql(type, year, number);
  return (await sqlRows(client, `${q.sql} ORDER BY c.id`, q.args)).map((r) => Number(r.id));
}

const insertIntoPeriodStatus = /^\s*(insert|replace)\b[\s\S]*?\binto\s+[`"[]?client_period_status\b/i;

/**
 * Records every SQL text sent through a libSQL client (execute, batch, executeMultiple, migrate, and
 * the same on transactions it opens), by wrapping the client object's methods: the process
 * boundary, not our modules. restore() puts the originals back.
 */
export function recordStatements(client: Client) {
  const statements: string[] = [];
  const textOf = (s: InStatement | string) => (typeof s === 'string' ? s : s.sql);
  const target = client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const originals = new Map<string, (...a: unknown[]) => Promise<unknown>>();
  const wrapOn = (obj: Record<string, (...a: unknown[]) => Promise<unknown>>, remember: boolean) => {
    for (const name of ['execute', 'batch', 'executeMultiple', 'migrate'] as const) {
      const original = obj[name];
      if (typeof original !== 'function') continue;
      if (remember) originals.set(name, original);
      obj[name] = function (this: unknown, ...args: unknown[]) {
        const first = args[0] as InStatement | string | InStatement[];
        if (Array.isArray(first)) statements.push(...first.map(textOf));
        else if (name === 'executeMultiple')
          statements.push(
            ...String(first)
              .split(';')
              .filter((s) => s.trim()),
          );
        else statements.push(textOf(first));
        return original.apply(obj, args);
      };
    }
  };
  wrapOn(target, true);
  const originalTransaction = target.transaction;
  originals.set('transaction', originalTransaction);
  target.transaction = async function (...args: unknown[]) {
    const tx = (await originalTransaction.apply(target, args)) as Record<string, (...a: unknown[]) => Promise<unknown>>;
    wrapOn(tx, false);
    return tx;
  };
  return {
    statements,
    periodStatusInserts: () => statements.filter((s) => insertIntoPeriodStatus.test(s)),
    restore() {
      for (const [name, fn] of originals) target[name] = fn;
    },
  };
}

/**
 * A PENDING FCASH client of `branch` marked DONE / Deceased in `periodKey` by the demo admin, through
 * applyStatusUpdate: terminal from then on (reinstatement and reversal tests start from it).
 */
export async function deceasedClient(ctx: AppContext, client: Client, where: { periodKey: string; branch: string }): Promise<PeriodRow> {
  const row = await findPeriodRow(client, { ...where, company: 'FCASH', status: 'PENDING', extra: 's.is_terminal = 0' });
  const done = await applyStatusUpdate(
    ctx,
    await whoIs(ctx, 'admin@demo.test'),
    { clientId: row.clientId, periodKey: where.periodKey },
    {
      statusTypeId: await statusIdOf(client, 'DONE'),
      reasonId: await reasonIdOf(client, 'DONE', 'DECEASED'),
      remarks: 'Death certificate seen',
      hasPayment: false,
      baseVersion: row.version,
    },
  );
  expect(done).toMatchObject({ ok: true, isTerminal: true });
  return row;
}
