// The one SELECT a sync sends: the view's columns by name (a column added to the view later changes
// nothing), the incremental lower bound and the branch filter as binds, ordered by CLIENT_CODE so
// each batch's upsert walks the clients' unique index in order.
import { VIEW_NAME } from './config';

export const SOURCE_COLUMNS = [
  'CLIENT_CODE',
  'FULL_NAME',
  'PENSION_NUMBER',
  'BIRTH_DATE',
  'CONTACT_NUMBER',
  'CONTACT_NUMBER_ALT',
  'PENSION_TYPE_CODE',
  'PENSIONER_TYPE_CODE',
  'PRODUCT_CODE',
  'BRANCH_CODE',
  'PAR_STATUS_CODE',
  'ACCOUNT_TYPE_CODE',
  'PAST_DUE_AMOUNT',
  'LOAN_STATUS',
  'IS_ACTIVE',
  'UPDATED_AT',
] as const;

export interface SourceQuery {
  sqlText: string;
  binds: string[];
}

/** A TIMESTAMP_NTZ literal in UTC ('2026-11-15 06:00:00.123'): how the sync reads UPDATED_AT too. */
export function timestampBind(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

export function buildSourceQuery(input: { view: string; updatedAfter?: Date | null; branchCodes?: readonly string[] }): SourceQuery {
  if (!VIEW_NAME.test(input.view)) throw new Error(`not a view name: ${input.view.slice(0, 80)}`);
  const where: string[] = [];
  const binds: string[] = [];
  if (input.updatedAfter) {
    where.push('UPDATED_AT > ?');
    binds.push(timestampBind(input.updatedAfter));
  }
  if (input.branchCodes && input.branchCodes.length > 0) {
    where.push(`BRANCH_CODE IN (${input.branchCodes.map(() => '?').join(', ')})`);
    binds.push(...input.branchCodes);
  }
  const sqlText = [
    `SELECT ${SOURCE_COLUMNS.join(', ')}`,
    `FROM ${input.view}`,
    ...(where.length ? [`WHERE ${where.join(' AND ')}`] : []),
    'ORDER BY CLIENT_CODE',
  ].join(' ');
  return { sqlText, binds };
}
