import { z } from 'zod';
import { maxLengthOf } from '../config/form-fields';
import { searchField } from '../forms/search-fields';
import { pagingFrom } from '../paging/paging';
import { periodOf, selectableYears, type Period, type PeriodType } from '../status/periods';
import { idField } from '../ids/record-id';

const id = idField('must be a positive whole number');
const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const workspaceSorts = ['name', 'code', 'branch', 'status', 'updated'] as const;

export const workspaceQuerySchema = z.object({
  period: opt(z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must look like 2026-11 or 2026-Q4')),
  q: opt(
    z
      .string()
      .trim()
      .max(maxLengthOf(searchField)!, `is at most ${maxLengthOf(searchField)} characters`),
  ),
  status: opt(id),
  reason: opt(id),
  branch: opt(id),
  par: opt(id),
  pensionType: opt(id),
  payment: opt(z.enum(['yes', 'no'])),
  terminal: opt(z.enum(['yes', 'no'])),
  sort: z.enum(workspaceSorts).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
});

export type WorkspaceQuery = z.infer<typeof workspaceQuerySchema> & { page: number; pageSize: number; periodRef: Period };

/** The workspace's list: which company, which cycle. PCNI has a PNP (quarterly) / Non-PNP (monthly) switch. */
export interface WorkspaceKind {
  companyCode: 'FCASH' | 'PCNI';
  cycle: PeriodType;
  segment: 'fcash' | 'pnp' | 'non-pnp';
}

export function workspaceKind(company: string, segment: string | null): WorkspaceKind | null {
  if (company === 'fcash') return { companyCode: 'FCASH', cycle: 'monthly', segment: 'fcash' };
  if (company === 'pcni') {
    return segment === 'pnp' ? { companyCode: 'PCNI', cycle: 'quarterly', segment: 'pnp' } : { companyCode: 'PCNI', cycle: 'monthly', segment: 'non-pnp' };
  }
  return null;
}

function periodFromKey(key: string, cycle: PeriodType): Period | null {
  const m = /^(\d{4})-(?:(\d{2})|Q(\d))$/.exec(key);
  if (!m) return null;
  if (cycle === 'monthly' && m[2]) return { type: 'monthly', year: Number(m[1]), number: Number(m[2]), key };
  if (cycle === 'quarterly' && m[3]) return { type: 'quarterly', year: Number(m[1]), number: Number(m[3]), key };
  return null;
}

export function parseWorkspaceQuery(
  params: URLSearchParams,
  kind: WorkspaceKind,
  now: Date,
): { ok: true; query: WorkspaceQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params);
  const r = workspaceQuerySchema.safeParse(raw);
  if (!r.success) return { ok: false, message: `Filter "${r.error.issues[0].path.join('.')}" ${r.error.issues[0].message}` };
  const current = periodOf(kind.cycle, now);
  const periodRef = r.data.period ? periodFromKey(r.data.period, kind.cycle) : current;
  if (!periodRef) return { ok: false, message: `Period "${r.data.period}" is not a ${kind.cycle === 'monthly' ? 'month' : 'quarter'}.` };
  // The same years the period picker offers (domain.md's year selector rule).
  if (!selectableYears(now).includes(periodRef.year)) {
    return { ok: false, message: `Period ${periodRef.key} is outside the years you can pick (${selectableYears(now).join(', ')}).` };
  }
  return { ok: true, query: { ...r.data, ...pagingFrom(raw), periodRef } };
}
