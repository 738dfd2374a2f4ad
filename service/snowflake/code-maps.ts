// The lookups a sync maps the view's codes to, read once per run. Codes match case-insensitively
// (the view may spell 'TELE_130' for 'tele_130'). An unknown code rejects the row: the sync never
// stores a silent null. A client's company comes from its product (domain.md), and its branch must
// belong to that company, or every territory filter would misplace it.
import type { Client } from '@libsql/client';
import type { SourceClient } from './source-row';

interface Ref {
  id: number;
  code: string;
}
interface CompanyRef extends Ref {
  companyId: number;
}

export interface CodeMaps {
  products: Map<string, CompanyRef>;
  branches: Map<string, CompanyRef>;
  pensionTypes: Map<string, Ref>;
  pensionerTypes: Map<string, Ref>;
  accountTypes: Map<string, Ref>;
  parStatuses: Map<string, Ref>;
  /** id → code per lookup, for the history's readable old/new values. */
  codeOf: Record<'product' | 'branch' | 'pension_type' | 'pensioner_type' | 'account_type' | 'par_status' | 'company', Map<number, string>>;
}

/** What the clients table stores for one source row. */
export interface ClientValues {
  clientCode: string;
  fullName: string;
  pensionNumber: string | null;
  birthDate: string | null;
  contactNumber: string | null;
  contactNumberAlt: string | null;
  companyId: number;
  productId: number;
  pensionTypeId: number | null;
  pensionerTypeId: number | null;
  accountTypeId: number | null;
  parStatusId: number;
  branchId: number;
  pastDueCentavos: number;
  loanStatus: string | null;
  isActive: boolean;
}

async function refs(client: Client, sql: string): Promise<Map<string, CompanyRef>> {
  const rows = (await client.execute(sql)).rows;
  return new Map(rows.map((r) => [String(r.code).toUpperCase(), { id: Number(r.id), code: String(r.code), companyId: Number(r.company_id ?? 0) }]));
}

export async function loadCodeMaps(client: Client): Promise<CodeMaps> {
  const products = await refs(client, 'SELECT id, code, company_id FROM products');
  // Soft-deleted branches are unknown to a sync: their clients are rejected until the branch is restored.
  const branches = await refs(client, 'SELECT id, code, company_id FROM branches WHERE deleted_at IS NULL');
  const pensionTypes = await refs(client, 'SELECT id, code FROM pension_types');
  const pensionerTypes = await refs(client, 'SELECT id, code FROM pensioner_types');
  const accountTypes = await refs(client, 'SELECT id, code FROM account_types');
  const parStatuses = await refs(client, 'SELECT id, code FROM par_statuses');
  const companies = await refs(client, 'SELECT id, code FROM companies');
  const reverse = (m: Map<string, Ref>) => new Map([...m.values()].map((r) => [r.id, r.code]));
  // Branches deleted since may still sit on a client: their codes come from the full table.
  const allBranches = await refs(client, 'SELECT id, code, company_id FROM branches');
  return {
    products,
    branches,
    pensionTypes,
    pensionerTypes,
    accountTypes,
    parStatuses,
    codeOf: {
      product: reverse(products),
      branch: reverse(allBranches),
      pension_type: reverse(pensionTypes),
      pensioner_type: reverse(pensionerTypes),
      account_type: reverse(accountTypes),
      par_status: reverse(parStatuses),
      company: reverse(companies),
    },
  };
}

export type Resolved = { ok: true; value: ClientValues } | { ok: false; reason: string };

type Refused = { ok: false; reason: string };
const unknown = (column: string, value: string): Refused => ({ ok: false, reason: `${column} '${value.slice(0, 40)}' is unknown` });

/** An optional code's id (null stays null), or why it is refused. Module-level: it runs once per row. */
function optionalId(map: Map<string, Ref>, column: string, value: string | null): number | null | Refused {
  if (value === null) return null;
  const ref = map.get(value.toUpperCase());
  return ref ? ref.id : unknown(column, value);
}

const refused = (v: number | null | Refused): v is Refused => typeof v === 'object' && v !== null;

export function resolveCodes(maps: CodeMaps, row: SourceClient): Resolved {
  const product = maps.products.get(row.productCode.toUpperCase());
  if (!product) return unknown('PRODUCT_CODE', row.productCode);
  const branch = maps.branches.get(row.branchCode.toUpperCase());
  if (!branch) return unknown('BRANCH_CODE', row.branchCode);
  if (branch.companyId !== product.companyId) {
    return { ok: false, reason: `BRANCH_CODE '${branch.code}' is not a branch of product ${product.code}'s company` };
  }
  const par = maps.parStatuses.get(row.parStatusCode.toUpperCase());
  if (!par) return unknown('PAR_STATUS_CODE', row.parStatusCode);
  const pensionTypeId = optionalId(maps.pensionTypes, 'PENSION_TYPE_CODE', row.pensionTypeCode);
  if (refused(pensionTypeId)) return pensionTypeId;
  const pensionerTypeId = optionalId(maps.pensionerTypes, 'PENSIONER_TYPE_CODE', row.pensionerTypeCode);
  if (refused(pensionerTypeId)) return pensionerTypeId;
  const accountTypeId = optionalId(maps.accountTypes, 'ACCOUNT_TYPE_CODE', row.accountTypeCode);
  if (refused(accountTypeId)) return accountTypeId;
  return {
    ok: true,
    value: {
      clientCode: row.clientCode,
      fullName: row.fullName,
      pensionNumber: row.pensionNumber,
      birthDate: row.birthDate,
      contactNumber: row.contactNumber,
      contactNumberAlt: row.contactNumberAlt,
      companyId: product.companyId,
      productId: product.id,
      pensionTypeId,
      pensionerTypeId,
      accountTypeId,
      parStatusId: par.id,
      branchId: branch.id,
      pastDueCentavos: row.pastDueCentavos,
      loanStatus: row.loanStatus,
      isActive: row.isActive,
    },
  };
}
