// One chunk of source rows against the clients table: read the current rows (one SELECT by code),
// compare field by field, then write only what differs: one INSERT for the new clients, one
// INSERT … ON CONFLICT(client_code) DO UPDATE for the changed ones, and one client_sync_history row
// per changed field, each statement taking the whole chunk as one JSON value. Unchanged clients are not written at all. In a dry run nothing is written; the
// comparison and the counts are the same.
import type { InStatement, InValue, ResultSet } from '@libsql/client';
import { initializePeriodForClients } from '../../app/core/status/initialize-period.server';
import type { Period } from '../../app/core/status/periods';
import type { ClientValues, CodeMaps } from './code-maps';

/** Anything that runs one statement: the libSQL client (reads) or an open write transaction. */
export interface Executor {
  execute(statement: InStatement): Promise<ResultSet>;
}

export interface FieldChange {
  clientCode: string;
  field: string;
  old: string | null;
  new: string | null;
}

export interface BatchContext {
  maps: CodeMaps;
  syncJobId: number;
  now: Date;
  dryRun: boolean;
  /** Period keys whose rows follow a client that moves branch (the current month and quarter). */
  currentPeriodKeys: string[];
  /**
   * The current month and quarter: clients this chunk creates or makes newly eligible get their PENDING
   * rows in the same transaction (domain.md "Period initialization", after each sync). Empty: none.
   */
  currentPeriods: Period[];
}

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  changes: FieldChange[];
  /** Period rows created, by period key (every key of currentPeriods, 0 included). */
  periodRows: Record<string, number>;
}

/** History fields whose change can make a client eligible for a period (domain.md "Period initialization"). */
export const ELIGIBILITY_FIELDS: ReadonlySet<string> = new Set(['is_active', 'par_status', 'product', 'company']);

type Shown = keyof CodeMaps['codeOf'] | 'money' | 'flag' | 'text';
interface Tracked {
  field: string;
  column: string;
  key: keyof ClientValues;
  shown: Shown;
}

/** Every stored field the view decides, with its history name (branch, PAR status and product included). */
export const TRACKED_FIELDS: readonly Tracked[] = [
  { field: 'full_name', column: 'full_name', key: 'fullName', shown: 'text' },
  { field: 'pension_number', column: 'pension_number', key: 'pensionNumber', shown: 'text' },
  { field: 'birth_date', column: 'birth_date', key: 'birthDate', shown: 'text' },
  { field: 'contact_number', column: 'contact_number', key: 'contactNumber', shown: 'text' },
  { field: 'contact_number_alt', column: 'contact_number_alt', key: 'contactNumberAlt', shown: 'text' },
  { field: 'company', column: 'company_id', key: 'companyId', shown: 'company' },
  { field: 'product', column: 'product_id', key: 'productId', shown: 'product' },
  { field: 'pension_type', column: 'pension_type_id', key: 'pensionTypeId', shown: 'pension_type' },
  { field: 'pensioner_type', column: 'pensioner_type_id', key: 'pensionerTypeId', shown: 'pensioner_type' },
  { field: 'account_type', column: 'account_type_id', key: 'accountTypeId', shown: 'account_type' },
  { field: 'par_status', column: 'par_status_id', key: 'parStatusId', shown: 'par_status' },
  { field: 'branch', column: 'branch_id', key: 'branchId', shown: 'branch' },
  { field: 'past_due_amount', column: 'past_due_centavos', key: 'pastDueCentavos', shown: 'money' },
  { field: 'loan_status', column: 'loan_status', key: 'loanStatus', shown: 'text' },
  { field: 'is_active', column: 'is_active', key: 'isActive', shown: 'flag' },
];

const CURRENT_VALUES = `json_array(${TRACKED_FIELDS.map((t) => t.column).join(', ')})`;
const UPSERT_COLUMNS = [...TRACKED_FIELDS.map((t) => t.column), 'last_synced_at', 'sync_source', 'updated_at'];
const INSERT_COLUMNS = ['client_code', ...UPSERT_COLUMNS, 'created_at'];

/**
 * A chunk's rows travel as ONE bound value, a JSON array of row arrays, unpacked by json_each: the
 * statement text is the same for every chunk (short to prepare, no trigger programs coded per
 * 1,000 rows), no 32,766-variable bound caps the chunk, and the libSQL client converts one value
 * instead of 20 per row. Works the same on a file and over HTTP (sqld, Turso).
 */
const fromJson = (columns: readonly string[]) => `SELECT ${columns.map((_, i) => `value->>${i}`).join(', ')} FROM json_each(?)`;
const INSERT_NEW = `INSERT INTO clients (${INSERT_COLUMNS.join(', ')}) ${fromJson(INSERT_COLUMNS)}`;
// WHERE true: SQLite's parser needs it between an INSERT … SELECT and its ON CONFLICT clause.
const UPSERT_CHANGED = `INSERT INTO clients (${INSERT_COLUMNS.join(', ')}) ${fromJson(INSERT_COLUMNS)} WHERE true
  ON CONFLICT(client_code) DO UPDATE SET ${UPSERT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`;
const INSERT_HISTORY = `INSERT INTO client_sync_history (client_id, sync_job_id, field, old_value, new_value, created_at)
  SELECT value->>0, ?, value->>1, value->>2, value->>3, ? FROM json_each(?)`;
const SELECT_CURRENT = `SELECT id, client_code, ${CURRENT_VALUES} AS v FROM clients WHERE client_code IN (SELECT value FROM json_each(?))`;
const FOLLOW_MOVED = `UPDATE client_period_status SET branch_id = (SELECT c.branch_id FROM clients c WHERE c.id = client_period_status.client_id)
  WHERE period_key IN (SELECT value FROM json_each(?)) AND client_id IN (SELECT value FROM json_each(?))`;

function stored(key: keyof ClientValues, value: ClientValues[keyof ClientValues]): InValue {
  if (key === 'isActive') return value ? 1 : 0;
  return value as InValue;
}

function shownValue(maps: CodeMaps, shown: Shown, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (shown === 'text') return String(value);
  if (shown === 'flag') return Number(value) === 1 || value === true ? '1' : '0';
  if (shown === 'money') {
    const c = Number(value);
    return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  }
  return maps.codeOf[shown].get(Number(value)) ?? `#${String(value)}`;
}

/** Same stored value? The DB gives integers for ids, money and flags, text for the rest. */
function same(dbValue: unknown, next: InValue): boolean {
  if (dbValue === null || dbValue === undefined) return next === null;
  if (next === null) return false;
  return typeof next === 'number' ? Number(dbValue) === next : String(dbValue) === next;
}

export async function applyClientBatch(executor: Executor, rows: ClientValues[], ctx: BatchContext): Promise<BatchResult> {
  const result: BatchResult = { created: 0, updated: 0, unchanged: 0, changes: [], periodRows: Object.fromEntries(ctx.currentPeriods.map((p) => [p.key, 0])) };
  if (rows.length === 0) return result;
  // One JSON text per row (json_array of the tracked columns): half the cost of 17 columns per row.
  const current = new Map<string, { id: number; values: unknown[] }>();
  const found = await executor.execute({ sql: SELECT_CURRENT, args: [JSON.stringify(rows.map((r) => r.clientCode))] });
  for (const r of found.rows) current.set(String(r.client_code), { id: Number(r.id), values: JSON.parse(String(r.v)) as unknown[] });
  const now = ctx.now.getTime();
  // New clients take a plain INSERT (no conflict possible: the read above is in the same write
  // transaction), changed ones the upsert.
  const created: InValue[][] = [];
  const updated: InValue[][] = [];
  const history: InValue[][] = [];
  const moved: number[] = [];
  /** Created, or changed in a field that decides eligibility: they may need a period row. */
  const mayBeEligible: string[] = [];
  for (const row of rows) {
    const values = TRACKED_FIELDS.map((t) => stored(t.key, row[t.key]));
    const existing = current.get(row.clientCode);
    if (!existing) {
      result.created += 1;
      created.push([row.clientCode, ...values, now, 'snowflake', now, now]);
      mayBeEligible.push(row.clientCode);
      continue;
    }
    let changed = 0;
    let eligibilityChanged = false;
    TRACKED_FIELDS.forEach((t, i) => {
      if (same(existing.values[i], values[i])) return;
      changed += 1;
      eligibilityChanged ||= ELIGIBILITY_FIELDS.has(t.field);
      const change = {
        clientCode: row.clientCode,
        field: t.field,
        old: shownValue(ctx.maps, t.shown, existing.values[i]),
        new: shownValue(ctx.maps, t.shown, values[i]),
      };
      result.changes.push(change);
      history.push([existing.id, t.field, change.old, change.new]);
      if (t.field === 'branch') moved.push(existing.id);
    });
    if (changed === 0) {
      result.unchanged += 1;
      continue;
    }
    result.updated += 1;
    updated.push([row.clientCode, ...values, now, 'snowflake', now, now]);
    if (eligibilityChanged) mayBeEligible.push(row.clientCode);
  }
  if (ctx.dryRun) return result;
  if (created.length > 0) await executor.execute({ sql: INSERT_NEW, args: [JSON.stringify(created)] });
  if (updated.length > 0) await executor.execute({ sql: UPSERT_CHANGED, args: [JSON.stringify(updated)] });
  if (history.length > 0) await executor.execute({ sql: INSERT_HISTORY, args: [ctx.syncJobId, now, JSON.stringify(history)] });
  if (moved.length > 0 && ctx.currentPeriodKeys.length > 0) {
    // The open periods' rows follow the client to its new branch (their branch_id scopes the dashboards);
    // closed periods keep the branch that worked them.
    await executor.execute({ sql: FOLLOW_MOVED, args: [JSON.stringify(ctx.currentPeriodKeys), JSON.stringify(moved)] });
  }
  if (mayBeEligible.length > 0) {
    for (const period of ctx.currentPeriods) {
      const written = await executor.execute(initializePeriodForClients(period, mayBeEligible, now));
      result.periodRows[period.key] += written.rowsAffected;
    }
  }
  return result;
}
