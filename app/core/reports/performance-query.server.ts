/**
 * The performance screen's query string: company (+ PCNI segment), period, area, branch, view and
 * sort. Malformed values are a 400 with the filter named; ids outside the reader's reach are the
 * route's 404 (checked against the filter options, which come from the scope).
 */
import { z } from 'zod';
import { idField } from '../ids/record-id';
import { periodKey, periodOf, type Period, type PeriodType } from '../status/periods';
import { parseWorkspaceQuery, workspaceKind, type WorkspaceKind } from '../workspace/workspace-query.server';
import { PERFORMANCE_SORTS, PERFORMANCE_VIEWS, firstDir, type PerformanceSort, type PerformanceView, type SortDir } from './performance-figures';

const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const performanceQuerySchema = z.object({
  company: opt(z.enum(['fcash', 'pcni'])),
  segment: opt(z.enum(['pnp', 'non-pnp'])),
  period: opt(z.string().max(10)),
  area: opt(idField('must be a positive whole number')),
  branch: opt(idField('must be a positive whole number')),
  view: z.enum(PERFORMANCE_VIEWS).catch('branch'),
  sort: z.enum(PERFORMANCE_SORTS).catch('conversionRate'),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
});

export interface PerformanceQuery {
  kind: WorkspaceKind;
  period: Period;
  areaId: number | null;
  branchId: number | null;
  view: PerformanceView;
  sort: PerformanceSort;
  dir: SortDir;
}

/**
 * A period of the other cycle becomes the matching one of this cycle (the filter form keeps the period
 * when the segment changes, without JavaScript): a month → its quarter; a quarter → its last month,
 * or the current month while the quarter runs.
 */
function onCycle(key: string | undefined, cycle: PeriodType, now: Date): string | undefined {
  const m = key === undefined ? null : /^(\d{4})-(?:(\d{2})|Q([1-4]))$/.exec(key);
  if (!m) return key;
  const year = Number(m[1]);
  if (cycle === 'quarterly' && m[2]) return periodKey('quarterly', year, Math.ceil(Number(m[2]) / 3));
  if (cycle === 'monthly' && m[3]) {
    const current = periodOf('monthly', now);
    const last = Number(m[3]) * 3;
    return current.year === year && Math.ceil(current.number / 3) === Number(m[3]) ? current.key : periodKey('monthly', year, last);
  }
  return key;
}

/** `defaultCompany`: the first company the reader reaches (lower case), used when none is asked for. */
export function parsePerformanceQuery(
  params: URLSearchParams,
  defaultCompany: string,
  now: Date,
): { ok: true; query: PerformanceQuery } | { ok: false; message: string } {
  const parsed = performanceQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Filter "${issue.path.join('.')}" ${issue.message}` };
  }
  const q = parsed.data;
  const kind = workspaceKind(q.company ?? defaultCompany, q.segment ?? null)!;
  const period = parseWorkspaceQuery(new URLSearchParams({ period: onCycle(q.period, kind.cycle, now) ?? '' }), kind, now);
  if (!period.ok) return period;
  return {
    ok: true,
    query: {
      kind,
      period: period.query.periodRef,
      areaId: q.area ?? null,
      branchId: q.branch ?? null,
      view: q.view,
      sort: q.sort,
      dir: q.dir ?? firstDir(q.sort),
    },
  };
}
