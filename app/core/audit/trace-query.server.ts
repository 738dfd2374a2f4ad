// What one trace did (decision 094), for /admin/activity?trace=<id>: the request's activity and
// audit rows, the jobs it queued with each attempt, and the NextBank deliveries, in time order,
// each part scoped like the rest of the activity viewer. A trace with nothing the reader may see
// is "not found" (404), the same answer as a trace id nobody ever had.
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import { activityLogs, clientTeleHistory, clients, companies, configAuditLog, jobAttempts, jobQueue, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { TRACE_ID } from '../../platform/trace-context';
import { scopeCondition, scopeCoversEveryCompany, type StaffScope } from '../access/scope.server';
import type { ConfigReach } from '../config/config-reach.server';
import { activityReachCondition } from './activity-query.server';
import { auditReachCondition } from './audit-query.server';

export type TraceStepKind = 'activity' | 'audit' | 'job' | 'attempt' | 'delivery';

export interface TraceStep {
  kind: TraceStepKind;
  at: Date;
  /** Stable key: kind and row id. */
  key: string;
  title: string;
  who: string | null;
  detail: string | null;
  outcome: string | null;
  /** The span the step belongs to, when known (attempts). */
  spanId: string | null;
}

const RANK: Record<TraceStepKind, number> = { activity: 0, audit: 1, job: 2, attempt: 3, delivery: 4 };

export function isTraceId(value: string | null | undefined): value is string {
  return typeof value === 'string' && TRACE_ID.test(value);
}

/** Jobs queued under the trace: their trace_parent is "00-<trace>-…" (a range on the index). */
const jobsOfTrace = (traceId: string) => and(gt(jobQueue.traceParent, `00-${traceId}-`), lt(jobQueue.traceParent, `00-${traceId}.`));

const MAX_ROWS = 500;

/**
 * The steps of trace `traceId` the reader may see, oldest first, or null when there is none.
 * `auditReach` is the reader's config:read reach (audit rows are shown only with it).
 */
export async function traceInScope(ctx: AppContext, scope: StaffScope, traceId: string, auditReach: ConfigReach | null): Promise<TraceStep[] | null> {
  if (!isTraceId(traceId)) return null;
  const steps: TraceStep[] = [];

  const activity = await ctx.db
    .select({
      id: activityLogs.id,
      action: activityLogs.action,
      userId: activityLogs.userId,
      userEmail: users.email,
      resourceType: activityLogs.resourceType,
      resourceId: activityLogs.resourceId,
      createdAt: activityLogs.createdAt,
    })
    .from(activityLogs)
    .leftJoin(users, eq(users.id, activityLogs.userId))
    .where(and(eq(activityLogs.requestId, traceId), await activityReachCondition(ctx, scope)))
    .orderBy(asc(activityLogs.id))
    .limit(MAX_ROWS);
  for (const a of activity) {
    steps.push({
      kind: 'activity',
      at: a.createdAt,
      key: `activity-${a.id}`,
      title: a.action,
      who: a.userEmail ?? (a.userId ? `#${a.userId}` : null),
      detail: a.resourceType ? `${a.resourceType} ${a.resourceId ?? ''}`.trim() : null,
      outcome: null,
      spanId: null,
    });
  }

  if (auditReach) {
    const audit = await ctx.db
      .select({
        id: configAuditLog.id,
        tableName: configAuditLog.tableName,
        recordId: configAuditLog.recordId,
        action: configAuditLog.action,
        userEmail: users.email,
        createdAt: configAuditLog.createdAt,
      })
      .from(configAuditLog)
      .leftJoin(users, eq(users.id, configAuditLog.userId))
      .where(and(eq(configAuditLog.requestId, traceId), auditReachCondition(auditReach)))
      .orderBy(asc(configAuditLog.id))
      .limit(MAX_ROWS);
    for (const r of audit) {
      steps.push({
        kind: 'audit',
        at: r.createdAt,
        key: `audit-${r.id}`,
        title: `${r.tableName} ${r.action}`,
        who: r.userEmail ?? null,
        detail: `record ${r.recordId}`,
        outcome: null,
        spanId: null,
      });
    }
  }

  const deliveries = await ctx.db
    .select({
      id: clientTeleHistory.id,
      clientId: clientTeleHistory.clientId,
      action: clientTeleHistory.action,
      status: clientTeleHistory.nextbankStatus,
      error: clientTeleHistory.error,
      createdAt: clientTeleHistory.createdAt,
      sentAt: clientTeleHistory.sentAt,
      confirmedAt: clientTeleHistory.confirmedAt,
    })
    .from(clientTeleHistory)
    .innerJoin(clients, eq(clients.id, clientTeleHistory.clientId))
    .where(and(eq(clientTeleHistory.traceId, traceId), scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId })))
    .orderBy(asc(clientTeleHistory.id))
    .limit(MAX_ROWS);
  for (const d of deliveries) {
    if (!d.status) continue;
    steps.push({
      kind: 'delivery',
      at: d.confirmedAt ?? d.sentAt ?? d.createdAt,
      key: `delivery-${d.id}`,
      title: `NextBank UpdateCustomer (${d.action === 'retry' ? 'retry' : 'Month to Update'})`,
      who: null,
      detail: `client ${d.clientId}${d.error ? ` · ${d.error}` : ''}`,
      outcome: d.status,
      spanId: null,
    });
  }

  // Jobs carry no company: they belong to the trace, shown when the reader sees something of it
  // (or reads every company: a scheduled job's own trace has no activity of a company).
  const companyIds = (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  if (steps.length > 0 || scopeCoversEveryCompany(scope, companyIds)) {
    const jobs = await ctx.db
      .select({ id: jobQueue.id, queue: jobQueue.queue, status: jobQueue.status, createdAt: jobQueue.createdAt, lastError: jobQueue.lastError })
      .from(jobQueue)
      .where(jobsOfTrace(traceId))
      .orderBy(asc(jobQueue.id))
      .limit(MAX_ROWS);
    for (const j of jobs) {
      steps.push({
        kind: 'job',
        at: j.createdAt,
        key: `job-${j.id}`,
        title: `job ${j.id} queued (${j.queue})`,
        who: null,
        detail: null,
        outcome: j.status,
        spanId: null,
      });
    }
    const attempts = jobs.length
      ? await ctx.db
          .select()
          .from(jobAttempts)
          .where(
            inArray(
              jobAttempts.jobId,
              jobs.map((j) => j.id),
            ),
          )
          .orderBy(asc(jobAttempts.id))
          .limit(MAX_ROWS)
      : [];
    for (const a of attempts) {
      steps.push({
        kind: 'attempt',
        at: a.startedAt,
        key: `attempt-${a.id}`,
        title: `job ${a.jobId} attempt ${a.attempt}`,
        who: null,
        detail: a.error,
        outcome: a.outcome,
        spanId: a.spanId,
      });
    }
  }

  if (steps.length === 0) return null;
  return steps.sort((x, y) => x.at.getTime() - y.at.getTime() || RANK[x.kind] - RANK[y.kind] || x.key.localeCompare(y.key, 'en', { numeric: true }));
}
