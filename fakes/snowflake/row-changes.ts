// How the fake's warehouse changes rows: plausible field changes (a client moves branch, falls
// behind, switches product, gets a new number…) and the bad values a careless upstream load leaves.
import { mobileNumber, type CompanyCode } from '../../db/seed/client-generator';
import { PAR_STATUSES, PRODUCTS } from '../../db/seed/lookups';
import type { Random } from '../../db/seed/prng';
import { COLUMN_INDEX, amountWire, type ViewColumn, type WireRow } from './view-columns';

/** Fields mutate() can change; each maps to one or two view columns. */
export const MUTABLE_FIELDS = ['branch', 'par', 'product', 'contact', 'name', 'amount', 'loan_status', 'active', 'pensioner_type', 'account_type'] as const;
export type MutableField = (typeof MUTABLE_FIELDS)[number];

/** Values a careless upstream load could leave in the view. */
export const CORRUPTIONS = ['bad_date', 'unknown_product', 'unknown_branch', 'unknown_par', 'bad_amount', 'missing_name'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

export const CORRUPTION_VALUES: Record<Corruption, Partial<Record<ViewColumn, string | null>>> = {
  bad_date: { BIRTH_DATE: '1950-02-30' },
  unknown_product: { PRODUCT_CODE: 'FCASH_GOLD' },
  unknown_branch: { BRANCH_CODE: 'ZZZ99' },
  unknown_par: { PAR_STATUS_CODE: 'tele_999' },
  bad_amount: { PAST_DUE_AMOUNT: '12,3O4.50' },
  missing_name: { FULL_NAME: null },
};

export interface ColumnChange {
  clientCode: string;
  column: ViewColumn;
  old: string | null;
  new: string | null;
}

const at = (row: WireRow, name: ViewColumn) => row[COLUMN_INDEX.get(name)!];

/** New values for one field of a row; a product change brings its pension type (the products tie them). */
export function changeFor(
  field: MutableField,
  row: WireRow,
  random: Random,
  branchCodes: Record<CompanyCode, readonly string[]>,
): Partial<Record<ViewColumn, string | null>> {
  const other = <T>(items: readonly T[], current: unknown): T => {
    const choices = items.filter((v) => v !== current);
    return choices[Math.floor(random.next() * choices.length)];
  };
  const product = PRODUCTS.find((p) => p.code === at(row, 'PRODUCT_CODE'));
  const company: CompanyCode = product?.company ?? 'FCASH';
  switch (field) {
    case 'branch':
      return { BRANCH_CODE: other(branchCodes[company], at(row, 'BRANCH_CODE')) };
    case 'par':
      return {
        PAR_STATUS_CODE: other(
          PAR_STATUSES.map((p) => p.code),
          at(row, 'PAR_STATUS_CODE'),
        ),
      };
    case 'product': {
      const next = other(
        PRODUCTS.filter((p) => p.company === company),
        product,
      );
      return { PRODUCT_CODE: next.code, PENSION_TYPE_CODE: next.pensionType };
    }
    case 'contact':
      return { CONTACT_NUMBER: other([mobileNumber(random), mobileNumber(random)], at(row, 'CONTACT_NUMBER')) };
    case 'name':
      return { FULL_NAME: `${at(row, 'FULL_NAME')} (Vda.)` };
    case 'amount':
      return { PAST_DUE_AMOUNT: amountWire(random.int(100_000, 5_000_000)) };
    case 'loan_status':
      return { LOAN_STATUS: other(['ACTIVE', 'PAST_DUE', 'RESTRUCTURED'], at(row, 'LOAN_STATUS')) };
    case 'active':
      return { IS_ACTIVE: at(row, 'IS_ACTIVE') === '1' ? '0' : '1' };
    case 'pensioner_type':
      return { PENSIONER_TYPE_CODE: other(['DEPENDENT', 'DISABILITY', 'RETIREE', 'ITF'], at(row, 'PENSIONER_TYPE_CODE')) };
    case 'account_type':
      return { ACCOUNT_TYPE_CODE: other(['PASSBOOK', 'ATM', 'BOTH', 'NONE'], at(row, 'ACCOUNT_TYPE_CODE')) };
  }
}

/** `count` distinct items, seeded partial Fisher–Yates. */
export function pickDistinct(random: Random, items: number[], count: number): number[] {
  const pool = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
