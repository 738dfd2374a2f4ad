// One row of the view, checked with zod and brought to the shapes the clients table stores:
// trimmed text, dates as YYYY-MM-DD, money as integer centavos (parsed from the exact NUMBER text,
// never through a float), IS_ACTIVE as a boolean. A row that fails is rejected with a reason that
// names the column; its code (if readable) still counts as present in the source.
import { z } from 'zod';
import { SOURCE_COLUMNS } from './source-query';
import type { SourceRow } from './warehouse-reader';

export interface SourceClient {
  clientCode: string;
  fullName: string;
  pensionNumber: string | null;
  birthDate: string | null;
  contactNumber: string | null;
  contactNumberAlt: string | null;
  pensionTypeCode: string | null;
  pensionerTypeCode: string | null;
  productCode: string;
  branchCode: string;
  parStatusCode: string;
  accountTypeCode: string | null;
  pastDueCentavos: number;
  loanStatus: string | null;
  isActive: boolean;
  updatedAt: Date | null;
}

const shown = (v: unknown) => `'${String(v).slice(0, 40)}'`;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const emptyToNull = (v: unknown) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : text(v));

const requiredText = (max: number) => z.preprocess(text, z.string({ error: 'is missing' }).min(1, 'is missing').max(max, `is longer than ${max} characters`));
const optionalText = (max: number) => z.preprocess(emptyToNull, z.string({ error: 'is not text' }).max(max, `is longer than ${max} characters`).nullable());
const code = () => z.preprocess(text, z.string({ error: 'is missing' }).min(1, 'is missing').max(40, 'is longer than 40 characters'));
const optionalCode = () => z.preprocess(emptyToNull, z.string({ error: 'is not text' }).max(40, 'is longer than 40 characters').nullable());

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'YYYY-MM-DD' names a real day (runs once per row: plain arithmetic, no Date). */
function isCalendarDate(value: string): boolean {
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]);
}

/** 'YYYY-MM-DD' text (a VARCHAR column) or a DATE the SDK turned into a Date; between 1900 and today. */
const birthDate = (today: string) =>
  z.preprocess(
    (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString().slice(0, 10)) : emptyToNull(v)),
    z
      .string()
      .nullable()
      .superRefine((v, ctx) => {
        if (v === null) return;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !isCalendarDate(v)) ctx.addIssue({ code: 'custom', message: `${shown(v)} is not a date (YYYY-MM-DD)` });
        else if (v < '1900-01-01' || v > today) ctx.addIssue({ code: 'custom', message: `${shown(v)} is outside 1900-01-01 … today` });
      }),
  );

/** NUMBER(14,2) as text ('1234.5', '1234.50', '1234'): exact centavos; null means nothing past due. */
const centavos = z.preprocess(
  (v) => (v === null || v === undefined ? '0' : typeof v === 'number' ? String(v) : text(v)),
  z.string().transform((v, ctx) => {
    const m = /^(\d{1,12})(?:\.(\d{1,2})0*)?$/.exec(v);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `${shown(v)} is not an amount ≥ 0 with at most 2 decimals` });
      return z.NEVER;
    }
    return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  }),
);

const flag = z.preprocess(
  (v) => {
    if (typeof v === 'string') {
      const t = v.trim().toUpperCase();
      if (['1', 'TRUE', 'Y', 'YES'].includes(t)) return true;
      if (['0', 'FALSE', 'N', 'NO'].includes(t)) return false;
    }
    return v;
  },
  z.boolean({ error: 'is not a boolean' }),
);

const timestamp = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.trim().replace(' ', 'T')}Z`) : (v ?? null)),
  z
    .date({ error: 'is not a timestamp' })
    .nullable()
    .refine((d) => d === null || !Number.isNaN(d.getTime()), 'is not a timestamp'),
);

export function sourceRowSchema(today: string) {
  return z.object({
    CLIENT_CODE: z.preprocess(
      text,
      z.string({ error: 'is missing' }).regex(/^[A-Za-z0-9_-]{1,40}$/, 'is not a client code (letters, digits, - or _, at most 40)'),
    ),
    FULL_NAME: requiredText(200),
    PENSION_NUMBER: optionalText(40),
    BIRTH_DATE: birthDate(today),
    CONTACT_NUMBER: optionalText(30),
    CONTACT_NUMBER_ALT: optionalText(30),
    PENSION_TYPE_CODE: optionalCode(),
    PENSIONER_TYPE_CODE: optionalCode(),
    PRODUCT_CODE: code(),
    BRANCH_CODE: code(),
    PAR_STATUS_CODE: code(),
    ACCOUNT_TYPE_CODE: optionalCode(),
    PAST_DUE_AMOUNT: centavos,
    LOAN_STATUS: optionalText(40),
    IS_ACTIVE: flag,
    UPDATED_AT: timestamp,
  });
}

export type ParsedRow = { ok: true; value: SourceClient } | { ok: false; clientCode: string | null; reason: string };

/** Builds a parser for one run (the schema is built once; "today" bounds birth dates). */
export function sourceRowParser(today: string): (row: SourceRow) => ParsedRow {
  const schema = sourceRowSchema(today);
  return (row) => {
    const record: Record<string, unknown> = {};
    SOURCE_COLUMNS.forEach((name, i) => {
      record[name] = row[i];
    });
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const rawCode = typeof row[0] === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(row[0].trim()) ? row[0].trim() : null;
      const reason = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${String(i.path[0] ?? 'row')} ${i.message}`)
        .join('; ');
      return { ok: false, clientCode: rawCode, reason };
    }
    const v = parsed.data;
    return {
      ok: true,
      value: {
        clientCode: v.CLIENT_CODE,
        fullName: v.FULL_NAME,
        pensionNumber: v.PENSION_NUMBER,
        birthDate: v.BIRTH_DATE,
        contactNumber: v.CONTACT_NUMBER,
        contactNumberAlt: v.CONTACT_NUMBER_ALT,
        pensionTypeCode: v.PENSION_TYPE_CODE,
        pensionerTypeCode: v.PENSIONER_TYPE_CODE,
        productCode: v.PRODUCT_CODE,
        branchCode: v.BRANCH_CODE,
        parStatusCode: v.PAR_STATUS_CODE,
        accountTypeCode: v.ACCOUNT_TYPE_CODE,
        pastDueCentavos: v.PAST_DUE_AMOUNT,
        loanStatus: v.LOAN_STATUS,
        isActive: v.IS_ACTIVE,
        updatedAt: v.UPDATED_AT,
      },
    };
  };
}
