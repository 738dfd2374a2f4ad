// The columns of the fake's client view (domain.md "Integrations") as Snowflake's JSON result
// format describes them: each `rowtype` entry is what the real service sends, and every value on
// the wire is a string (or null). BIRTH_DATE is a VARCHAR 'YYYY-MM-DD' as the loan system exports
// it; PAST_DUE_AMOUNT a NUMBER(14,2); IS_ACTIVE a BOOLEAN ('1'/'0'); UPDATED_AT a TIMESTAMP_NTZ(9)
// sent as "epoch seconds.nanoseconds".

export interface RowtypeEntry {
  name: string;
  type: 'text' | 'fixed' | 'boolean' | 'timestamp_ntz' | 'date';
  nullable: boolean;
  length?: number;
  byteLength?: number;
  precision?: number;
  scale?: number;
  database: string;
  schema: string;
  table: string;
  collation: null;
}

const text = (name: string, length: number, nullable = true) => ({ name, type: 'text' as const, nullable, length, byteLength: length * 4 });

const COLUMN_SPECS = [
  text('CLIENT_CODE', 40, false),
  text('FULL_NAME', 200, false),
  text('PENSION_NUMBER', 40),
  text('BIRTH_DATE', 10),
  text('CONTACT_NUMBER', 30),
  text('CONTACT_NUMBER_ALT', 30),
  text('PENSION_TYPE_CODE', 40),
  text('PENSIONER_TYPE_CODE', 40),
  text('PRODUCT_CODE', 40),
  text('BRANCH_CODE', 40),
  text('PAR_STATUS_CODE', 40),
  text('ACCOUNT_TYPE_CODE', 40),
  { name: 'PAST_DUE_AMOUNT', type: 'fixed' as const, nullable: true, precision: 14, scale: 2 },
  text('LOAN_STATUS', 40),
  { name: 'IS_ACTIVE', type: 'boolean' as const, nullable: false },
  { name: 'UPDATED_AT', type: 'timestamp_ntz' as const, nullable: false, precision: 0, scale: 9 },
] as const;

export type ViewColumn = (typeof COLUMN_SPECS)[number]['name'];
/** One row on the wire: every value a string or null, in VIEW_COLUMNS order. */
export type WireRow = (string | null)[];
export const VIEW_COLUMNS: readonly ViewColumn[] = COLUMN_SPECS.map((c) => c.name);
export const COLUMN_INDEX = new Map<string, number>(VIEW_COLUMNS.map((name, i) => [name, i]));

/** The rowtype of a projection, named after the configured view ('DB.SCHEMA.VIEW' or 'SCHEMA.VIEW'). */
export function rowtypeOf(columns: readonly ViewColumn[], view: string): RowtypeEntry[] {
  const parts = view.split('.');
  const table = parts[parts.length - 1];
  const schema = parts[parts.length - 2] ?? 'PUBLIC';
  const database = parts[parts.length - 3] ?? 'ANALYTICS';
  return columns.map((name) => {
    const spec = COLUMN_SPECS[COLUMN_INDEX.get(name)!];
    return { ...spec, database, schema, table, collation: null };
  });
}

/** A TIMESTAMP_NTZ(9) on the wire: "1731650400.123000000". */
export function timestampWire(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(ms - seconds * 1000).padStart(3, '0')}000000`;
}

export function timestampFromWire(value: string): number {
  const [seconds, fraction = '0'] = value.split('.');
  return Number(seconds) * 1000 + Math.floor(Number(`0.${fraction}`) * 1000);
}

/** Centavos → NUMBER(14,2) text, exactly (no float). */
export function amountWire(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(centavos);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
