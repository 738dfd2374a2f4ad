// Reference lookups exactly as docs (shared/domain.md) define them. Idempotent: existing codes are kept.
import type { Client, InStatement } from '@libsql/client';
import { runBatch } from './sql-batch';

export const COMPANIES = [
  { code: 'FCASH', name: 'FCASH' },
  { code: 'PCNI', name: 'PCNI' },
] as const;

export const PENSION_TYPES = [
  { code: 'SSS', name: 'SSS', company: 'FCASH' },
  { code: 'GSIS', name: 'GSIS', company: 'FCASH' },
  { code: 'PVAO', name: 'PVAO', company: 'FCASH' },
  { code: 'NON_PNP', name: 'Non-PNP', company: 'PCNI' },
  { code: 'PNP', name: 'PNP', company: 'PCNI' },
] as const;

export const PENSIONER_TYPES = [
  { code: 'DEPENDENT', name: 'Dependent' },
  { code: 'DISABILITY', name: 'Disability' },
  { code: 'RETIREE', name: 'Retiree' },
  { code: 'ITF', name: 'ITF' },
] as const;

export const PRODUCTS = [
  { code: 'FCASH_SSS', name: 'FCASH SSS', company: 'FCASH', pensionType: 'SSS', cycle: 'monthly' },
  { code: 'FCASH_GSIS', name: 'FCASH GSIS', company: 'FCASH', pensionType: 'GSIS', cycle: 'monthly' },
  { code: 'FCASH_PVAO', name: 'FCASH PVAO', company: 'FCASH', pensionType: 'PVAO', cycle: 'monthly' },
  { code: 'PCNI_NON_PNP', name: 'PCNI Non-PNP', company: 'PCNI', pensionType: 'NON_PNP', cycle: 'monthly' },
  { code: 'PCNI_PNP', name: 'PCNI PNP', company: 'PCNI', pensionType: 'PNP', cycle: 'quarterly' },
] as const;

export const ACCOUNT_TYPES = [
  { code: 'PASSBOOK', name: 'Passbook' },
  { code: 'ATM', name: 'ATM' },
  { code: 'BOTH', name: 'Passbook and ATM' },
  { code: 'NONE', name: 'None' },
] as const;

export const PAR_STATUSES = [
  { code: 'do_not_show', name: 'Current', trackable: true },
  { code: 'tele_130', name: '30+ Days', trackable: true },
  { code: 'tele_hardcore', name: '60+ Days', trackable: false },
] as const;

/** Workflow order; VISITED belongs to FCASH only (company null = every company). */
export const STATUS_TYPES = [
  { code: 'PENDING', name: 'Pending', sequence: 1, company: null },
  { code: 'TO_FOLLOW', name: 'To Follow', sequence: 2, company: null },
  { code: 'CALLED', name: 'Called', sequence: 3, company: null },
  { code: 'VISITED', name: 'Visited', sequence: 4, company: 'FCASH' },
  { code: 'UPDATED', name: 'Updated', sequence: 5, company: null },
  { code: 'DONE', name: 'Done', sequence: 6, company: null },
] as const;

export type StatusCode = (typeof STATUS_TYPES)[number]['code'];

const contactReasons = [
  { code: 'NO_ANSWER', name: 'No answer', terminal: false, remarks: false },
  { code: 'WRONG_NUMBER', name: 'Wrong number', terminal: false, remarks: true },
  { code: 'CALLBACK_REQUESTED', name: 'Callback requested', terminal: false, remarks: false },
] as const;

export const STATUS_REASONS = [
  ...[
    { code: 'CONFIRMED', name: 'Confirmed', terminal: false, remarks: false },
    { code: 'DECEASED', name: 'Deceased', terminal: true, remarks: false },
    { code: 'FULLY_PAID', name: 'Fully paid', terminal: true, remarks: false },
    { code: 'ACCOUNT_CLOSED', name: 'Account closed', terminal: true, remarks: false },
    { code: 'NOT_REACHABLE', name: 'Not reachable', terminal: false, remarks: true },
    { code: 'REFUSED_TO_UPDATE', name: 'Refused to update', terminal: false, remarks: true },
  ].map((r) => ({ ...r, status: 'DONE' as StatusCode })),
  ...contactReasons.map((r) => ({ ...r, status: 'TO_FOLLOW' as StatusCode })),
  ...contactReasons.map((r) => ({ ...r, status: 'CALLED' as StatusCode })),
];

export const TELE_STATUSES = [
  {
    code: 'not_yet_contacted',
    name: 'Not yet contacted',
    requiresReason: false,
    requiresRemarks: false,
    updates: ['pending', 'pending_unavailable', 'pending_not_interested'],
  },
  { code: 'not_yet_updated', name: 'Not yet updated', requiresReason: true, requiresRemarks: true, updates: ['pending', 'pending_unavailable'] },
  {
    code: 'updated',
    name: 'Updated',
    requiresReason: true,
    requiresRemarks: true,
    updates: ['updated_with_proof', 'updated_online_with_proof', 'updated_no_proof', 'updated_online_no_proof'],
  },
] as const;

export const UPDATE_STATUSES = [
  { code: 'pending', name: 'Pending' },
  { code: 'pending_unavailable', name: 'Pending - unavailable' },
  { code: 'pending_not_interested', name: 'Pending - not interested' },
  { code: 'updated_with_proof', name: 'Updated with proof' },
  { code: 'updated_online_with_proof', name: 'Updated online with proof' },
  { code: 'updated_no_proof', name: 'Updated, no proof' },
  { code: 'updated_online_no_proof', name: 'Updated online, no proof' },
] as const;

const idOf = (table: string) => `(SELECT id FROM ${table} WHERE code = ?)`;

/** A foreign key written as a sub-select on the referenced row's code. */
interface Ref {
  sql: string;
  args: string[];
}
const ref = (table: string, code: string | null): Ref => (code === null ? { sql: 'NULL', args: [] } : { sql: idOf(table), args: [code] });
const isRef = (v: unknown): v is Ref => typeof v === 'object' && v !== null && 'sql' in v;

type Extra = Record<string, string | number | boolean | Ref>;

/** One INSERT … ON CONFLICT DO NOTHING per row: tiny tables, one batch, safe to re-run. */
function lookupInsert(table: string, index: number, code: string, name: string, extra: Extra = {}): InStatement {
  const cols = ['code', 'name', 'is_system', 'sort_order'];
  const values = ['?', '?', '1', '?'];
  const args: (string | number)[] = [code, name, (index + 1) * 10];
  for (const [column, value] of Object.entries(extra)) {
    cols.push(column);
    if (isRef(value)) {
      values.push(value.sql);
      args.push(...value.args);
    } else {
      values.push('?');
      args.push(typeof value === 'boolean' ? Number(value) : value);
    }
  }
  return { sql: `INSERT INTO ${table} (${cols.join(',')}) VALUES (${values.join(',')}) ON CONFLICT DO NOTHING`, args };
}

export function lookupStatements(): InStatement[] {
  const s: InStatement[] = [];
  COMPANIES.forEach((c, i) => s.push(lookupInsert('companies', i, c.code, c.name)));
  PENSION_TYPES.forEach((p, i) => s.push(lookupInsert('pension_types', i, p.code, p.name, { company_id: ref('companies', p.company) })));
  PENSIONER_TYPES.forEach((p, i) => s.push(lookupInsert('pensioner_types', i, p.code, p.name)));
  PRODUCTS.forEach((p, i) =>
    s.push(
      lookupInsert('products', i, p.code, p.name, {
        company_id: ref('companies', p.company),
        pension_type_id: ref('pension_types', p.pensionType),
        tracking_cycle: p.cycle,
      }),
    ),
  );
  ACCOUNT_TYPES.forEach((a, i) => s.push(lookupInsert('account_types', i, a.code, a.name)));
  PAR_STATUSES.forEach((p, i) => s.push(lookupInsert('par_statuses', i, p.code, p.name, { is_trackable: p.trackable })));
  STATUS_TYPES.forEach((t, i) => s.push(lookupInsert('status_types', i, t.code, t.name, { sequence: t.sequence, company_id: ref('companies', t.company) })));
  STATUS_REASONS.forEach((r, i) =>
    s.push(
      lookupInsert('status_reasons', i, r.code, r.name, {
        status_type_id: ref('status_types', r.status),
        is_terminal: r.terminal,
        requires_remarks: r.remarks,
      }),
    ),
  );
  TELE_STATUSES.forEach((t, i) =>
    s.push(
      lookupInsert('tele_statuses', i, t.code, t.name, {
        requires_reason: t.requiresReason,
        requires_remarks: t.requiresRemarks,
      }),
    ),
  );
  UPDATE_STATUSES.forEach((u, i) => s.push(lookupInsert('update_statuses', i, u.code, u.name)));
  for (const t of TELE_STATUSES) {
    for (const u of t.updates) {
      s.push({
        sql: `INSERT INTO tele_status_update_statuses (tele_status_id, update_status_id)
              VALUES (${idOf('tele_statuses')}, ${idOf('update_statuses')}) ON CONFLICT DO NOTHING`,
        args: [t.code, u],
      });
    }
  }
  return s;
}

export async function seedLookups(client: Client): Promise<void> {
  await runBatch(client, lookupStatements());
}
