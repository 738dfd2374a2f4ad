// The request screen's form (and the query string an "Export" button carries): the kind, the format
// and the filters of the screen it comes from, validated with the same rules as that screen.
import { z } from 'zod';
import { activityQuerySchema } from '../audit/activity-query.server';
import { clientListQuerySchema } from '../clients/list-query.server';
import { idField } from '../ids/record-id';
import { periodOf, selectableYears } from '../status/periods';
import { parseWorkspaceQuery, workspaceKind, workspaceQuerySchema } from '../workspace/workspace-query.server';
import { EXPORT_FILTER_KEYS, EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from './export-kinds';

export type ExportFilters = Record<string, string | number>;

export type ParsedExportRequest =
  { ok: true; kind: ExportKind; format: ExportFormat; filters: ExportFilters } | { ok: false; fieldErrors: Record<string, string> };

const optionalId = z.preprocess((v) => (v === '' || v === null ? undefined : v), idField('must be a positive whole number').optional());
const monthOrQuarter = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;

const performanceSchema = z.object({
  company: optionalId,
  branch: optionalId,
  period: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(monthOrQuarter, 'must look like 2026-11 or 2026-Q4').optional()),
});

const FILTER_SCHEMAS: Record<ExportKind, z.ZodType<Record<string, unknown>>> = {
  clients: clientListQuerySchema.omit({ sort: true, dir: true }),
  client_status: workspaceQuerySchema.omit({ sort: true, dir: true }).extend({
    company: z.enum(['fcash', 'pcni'], { error: 'choose FCASH or PCNI' }),
    segment: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['pnp', 'non-pnp']).optional()),
  }),
  branch_performance: performanceSchema,
  agent_performance: performanceSchema.omit({ branch: true }),
  activity: activityQuerySchema.omit({ before: true, after: true }),
};

/** Only defined, non-empty values, in a stable order: what the job records. */
function compact(kind: ExportKind, data: Record<string, unknown>): ExportFilters {
  const out: ExportFilters = {};
  for (const key of EXPORT_FILTER_KEYS[kind]) {
    const v = data[key];
    if (typeof v === 'number' || (typeof v === 'string' && v !== '')) out[key] = v;
  }
  return out;
}

/** Validates the kind, the format and the kind's filters; the period of a status or performance export is fixed now. */
export function parseExportRequest(input: Record<string, unknown>, now: Date): ParsedExportRequest {
  const kind = z.enum(EXPORT_KINDS, { error: 'Choose what to export.' }).safeParse(input.type);
  const format = z.enum(EXPORT_FORMATS, { error: 'Choose Excel (XLSX) or CSV.' }).safeParse(input.format ?? 'xlsx');
  const fieldErrors: Record<string, string> = {};
  if (!kind.success) fieldErrors.type = 'Choose what to export.';
  if (!format.success) fieldErrors.format = 'Choose Excel (XLSX) or CSV.';
  if (!kind.success || !format.success) return { ok: false, fieldErrors };
  const raw: Record<string, unknown> = {};
  for (const key of EXPORT_FILTER_KEYS[kind.data]) if (typeof input[key] === 'string') raw[key] = input[key];
  const parsed = FILTER_SCHEMAS[kind.data].safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= `Filter "${issue.path.join('.')}" ${issue.message}`;
    return { ok: false, fieldErrors };
  }
  const filters = compact(kind.data, parsed.data);
  if (kind.data === 'client_status') {
    // The workspace's own rules: the cycle of the segment, a period of the selectable years.
    const wk = workspaceKind(String(filters.company), typeof filters.segment === 'string' ? filters.segment : null)!;
    const q = parseWorkspaceQuery(new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)])), wk, now);
    if (!q.ok) return { ok: false, fieldErrors: { period: q.message } };
    filters.period = q.query.periodRef.key;
    filters.segment = wk.segment;
  }
  if (kind.data === 'branch_performance' || kind.data === 'agent_performance') {
    const period = typeof filters.period === 'string' ? filters.period : periodOf('monthly', now).key;
    if (!selectableYears(now).includes(Number(period.slice(0, 4)))) {
      return { ok: false, fieldErrors: { period: `Period ${period} is outside the years you can pick (${selectableYears(now).join(', ')}).` } };
    }
    filters.period = period;
  }
  if (kind.data === 'activity' && typeof filters.from === 'string' && typeof filters.to === 'string' && filters.from > filters.to) {
    return { ok: false, fieldErrors: { from: `Filter "from" (${filters.from}) is after "to" (${filters.to}).` } };
  }
  return { ok: true, kind: kind.data, format: format.data, filters };
}
