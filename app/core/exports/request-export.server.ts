// The app's half of an export: the request (export_jobs row + 'export' job + activity row in one
// transaction), refused past the per-user cap of running exports. The service does the work.
import { and, eq, sql } from 'drizzle-orm';
import { companies, exportJobs } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffAccess } from '../access/staff-access.server';
import { logActivity } from '../audit/activity-log.server';
import { numberSetting } from '../config/settings.server';
import { enqueueJob } from '../jobs/enqueue.server';
import { EXPORT_READ_PERMISSION, type ExportFormat, type ExportKind } from './export-kinds';
import { parseExportRequest, type ExportFilters } from './export-request-form.server';
import { intersectScopes, scopeToCompany } from './export-scope';

/** Exports a user may have waiting or running at once (setting export_max_running_per_user). */
export const DEFAULT_MAX_RUNNING_EXPORTS = 2;

export type ExportRequestResult =
  | { ok: true; exportId: number; jobId: number }
  | { ok: false; code: 'INVALID'; fieldErrors: Record<string, string> }
  | { ok: false; code: 'FORBIDDEN'; message: string }
  | { ok: false; code: 'TOO_MANY_RUNNING'; message: string };

/** What the job records next to the filters: the scope is added by the service when it runs. */
export interface ExportParams {
  filters: ExportFilters;
  /** Filled in by the service at run time: the scope the rows were read with. */
  scope?: unknown;
  scopeEvaluatedAt?: string;
}

export async function requestExport(
  ctx: AppContext,
  who: { userId: number; access: StaffAccess; userAgent?: string | null },
  input: Record<string, unknown>,
): Promise<ExportRequestResult> {
  const parsed = parseExportRequest(input, ctx.clock.now());
  if (!parsed.ok) return { ok: false, code: 'INVALID', fieldErrors: parsed.fieldErrors };
  const { kind, format, filters } = parsed;
  const scope = intersectScopes(who.access.scope(EXPORT_READ_PERMISSION[kind]), who.access.scope('reports:export'));
  if (!scope) return { ok: false, code: 'FORBIDDEN', message: `You cannot export ${kind.replace('_', ' ')}.` };
  const companyId = await companyOf(ctx, kind, filters);
  if (companyId === null || (companyId !== undefined && !scopeToCompany(scope, companyId))) {
    return { ok: false, code: 'INVALID', fieldErrors: { company: 'Choose a company you can export.' } };
  }
  const max = Math.max(1, Math.trunc(await numberSetting(ctx, 'export_max_running_per_user', DEFAULT_MAX_RUNNING_EXPORTS)));
  const now = ctx.clock.now();
  return ctx.write(async (tx): Promise<ExportRequestResult> => {
    const exportId = await insertExportIfUnderCap(tx, { userId: who.userId, companyId: companyId ?? null, kind, format, params: { filters }, now, max });
    if (exportId === null) {
      return {
        ok: false,
        code: 'TOO_MANY_RUNNING',
        message: `You already have ${max} export${max === 1 ? '' : 's'} waiting or running. Wait for one to finish before asking for another.`,
      };
    }
    const job = await enqueueJob(tx, { queue: 'export', payload: { exportJobId: exportId }, now, idempotencyKey: `export:${exportId}` });
    await tx.update(exportJobs).set({ jobQueueId: job.id }).where(eq(exportJobs.id, exportId));
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'export.request',
        resourceType: 'export',
        resourceId: exportId,
        companyId: companyId ?? null,
        details: { kind, format, filters, jobId: job.id },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true, exportId, jobId: job.id };
  });
}

/** The company the filters name: an id (clients, performance), a workspace slug (status); undefined = any; null = unknown. */
async function companyOf(ctx: AppContext, kind: ExportKind, filters: ExportFilters): Promise<number | null | undefined> {
  if (kind === 'activity' || filters.company === undefined) return undefined;
  const where = typeof filters.company === 'number' ? eq(companies.id, filters.company) : eq(companies.code, String(filters.company).toUpperCase());
  const [row] = await ctx.db.select({ id: companies.id }).from(companies).where(and(where));
  return row?.id ?? null;
}

type Writer = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

/**
 * One INSERT … SELECT … WHERE (the user's live exports) < max: two requests racing cannot both pass
 * the cap. Live = pending or running, with a job that can still run (a dead or cancelled job's row
 * does not count).
 */
async function insertExportIfUnderCap(
  tx: Writer,
  row: { userId: number; companyId: number | null; kind: ExportKind; format: ExportFormat; params: ExportParams; now: Date; max: number },
): Promise<number | null> {
  const result = await tx.run(sql`
    INSERT INTO export_jobs (requested_by, company_id, export_type, format, params, status, created_at)
    SELECT ${row.userId}, ${row.companyId}, ${row.kind}, ${row.format}, ${JSON.stringify(row.params)}, 'pending', ${row.now.getTime()}
    WHERE (
      SELECT count(*) FROM export_jobs e LEFT JOIN job_queue q ON q.id = e.job_queue_id
      WHERE e.requested_by = ${row.userId} AND e.status IN ('pending', 'running')
        AND (e.job_queue_id IS NULL OR q.status IN ('pending', 'running', 'failed'))
    ) < ${row.max}
    RETURNING id`);
  const id = result.rows[0]?.id;
  return id === undefined || id === null ? null : Number(id);
}
