// The app's half of a Snowflake sync: an admin asks for one (sync_jobs row + 'sync' job in one
// transaction), watches its progress and reads its report. The service runs it (service/snowflake)
// and writes the counters, the report and job_queue.progress; the app never talks to Snowflake.
import { and, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { maxLengthOf } from '../config/form-fields';
import { branchCodesField } from './sync-form-fields';
import { branches, jobQueue, syncJobs, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeIncludesBranch, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { globalSettings } from '../config/settings.server';
import { pageCount } from '../paging/paging';
import { enqueueJob } from './enqueue.server';
import type { SyncPayload } from './payloads.server';

export const DEFAULT_SOURCE_VIEW = 'CLIENT_UPDATER.CLIENTS_VIEW';
export const MAX_SYNC_BRANCHES = 200;
/** A sync is "active" while it holds these statuses: a second request is refused meanwhile. */
export const ACTIVE_SYNC_STATUSES = ['pending', 'running'] as const;
/** …and while its job can still run: a row left 'running' by a crashed run whose job is dead blocks nothing. */
export const LIVE_JOB_STATUSES = ['pending', 'running', 'failed'] as const;
// The same rule as the service's sync handler (service/snowflake/sync-job-record.ts).
const activeSyncQuery = sql`SELECT s.id FROM sync_jobs s JOIN job_queue q ON q.id = s.job_queue_id
  WHERE s.status IN ('pending', 'running') AND q.status IN ('pending', 'running', 'failed')`;

/** Branch codes typed as "MNLA01, QZN01" (commas or spaces), upper-cased, without duplicates. */
const branchCodeList = z
  .string()
  .max(maxLengthOf(branchCodesField)!, 'The branch list is too long.')
  .transform((raw, ctx) => {
    const codes = [
      ...new Set(
        raw
          .split(/[\s,;]+/)
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean),
      ),
    ];
    const bad = codes.find((c) => !/^[A-Z0-9_-]{1,40}$/.test(c));
    if (bad) ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 40)}" is not a branch code.` });
    if (codes.length > MAX_SYNC_BRANCHES) ctx.addIssue({ code: 'custom', message: `At most ${MAX_SYNC_BRANCHES} branches per sync.` });
    return codes;
  });

/** The trigger form: mode, dry run (a preview that writes no client), optional branch filter. */
export const syncRequestSchema = z.object({
  mode: z.enum(['full', 'incremental'], { error: 'Choose a full or an incremental sync.' }),
  dryRun: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
  branchCodes: z.preprocess((v) => (v === undefined || v === null ? '' : v), branchCodeList),
});
export type SyncRequestInput = z.input<typeof syncRequestSchema>;

export type SyncRequestResult =
  | { ok: true; syncJobId: number; jobId: number }
  | { ok: false; code: 'INVALID'; fieldErrors: Record<string, string> }
  | { ok: false; code: 'SYNC_ACTIVE'; activeSyncJobId: number | null; message: string };

type Writer = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

export async function sourceViewSetting(ctx: AppContext): Promise<string> {
  const view = (await globalSettings(ctx)).snowflake_source_view;
  return typeof view === 'string' && view.trim() ? view.trim() : DEFAULT_SOURCE_VIEW;
}

/**
 * Creates a sync_jobs row (pending) only when no sync is pending or running: one INSERT … SELECT …
 * WHERE NOT EXISTS, so two requests racing (even from two hosts) cannot both get one. Returns its id.
 */
export async function insertSyncJobIfIdle(
  tx: Writer,
  row: { mode: 'full' | 'incremental'; dryRun: boolean; trigger: 'manual' | 'schedule'; triggeredBy: number | null; sourceView: string; now: Date },
): Promise<number | null> {
  const result = await tx.run(sql`
    INSERT INTO sync_jobs (mode, is_dry_run, status, "trigger", triggered_by, source_view, created_at)
    SELECT ${row.mode}, ${row.dryRun ? 1 : 0}, 'pending', ${row.trigger}, ${row.triggeredBy}, ${row.sourceView}, ${row.now.getTime()}
    WHERE NOT EXISTS (${activeSyncQuery})
    RETURNING id`);
  const id = result.rows[0]?.id;
  return id === undefined || id === null ? null : Number(id);
}

/** The active sync (see ACTIVE_SYNC_STATUSES), newest first; `except` leaves one sync out (a retry of it). */
export async function activeSyncJobId(db: Pick<AppContext['db'], 'select'>, except?: number): Promise<number | null> {
  const [row] = await db
    .select({ id: syncJobs.id })
    .from(syncJobs)
    .innerJoin(jobQueue, eq(jobQueue.id, syncJobs.jobQueueId))
    .where(
      and(
        inArray(syncJobs.status, [...ACTIVE_SYNC_STATUSES]),
        inArray(jobQueue.status, [...LIVE_JOB_STATUSES]),
        except === undefined ? undefined : ne(syncJobs.id, except),
      ),
    )
    .orderBy(desc(syncJobs.id))
    .limit(1);
  return row?.id ?? null;
}

export const SYNC_ACTIVE_MESSAGE = 'A sync is already waiting or running. Wait for it to finish (or cancel it on the Jobs screen) before starting another.';

/**
 * Validates the form, checks every branch code exists in the user's scope (sync:execute), then in
 * ONE transaction creates the sync_jobs row, enqueues its 'sync' job and logs `sync.requested`.
 * Bad input and a refused second sync write nothing.
 */
export async function requestSync(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope; userAgent?: string | null },
  input: Record<string, unknown>,
): Promise<SyncRequestResult> {
  const parsed = syncRequestSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, code: 'INVALID', fieldErrors };
  }
  const { mode, dryRun, branchCodes } = parsed.data;
  if (branchCodes.length) {
    const found = await ctx.db
      .select({ id: branches.id, code: branches.code, companyId: branches.companyId })
      .from(branches)
      .where(and(inArray(branches.code, branchCodes), isNull(branches.deletedAt)));
    // Unknown and out-of-scope codes get the same message: existence outside the scope is not revealed.
    const usable = new Set(found.filter((b) => scopeIncludesBranch(who.scope, b.companyId, b.id)).map((b) => b.code));
    const refused = branchCodes.filter((c) => !usable.has(c));
    if (refused.length) {
      return {
        ok: false,
        code: 'INVALID',
        fieldErrors: { branchCodes: `No branch ${refused.slice(0, 5).join(', ')}${refused.length > 5 ? '…' : ''} that you can sync.` },
      };
    }
  }
  const sourceView = await sourceViewSetting(ctx);
  const now = ctx.clock.now();
  return ctx.write(async (tx): Promise<SyncRequestResult> => {
    const syncJobId = await insertSyncJobIfIdle(tx, { mode, dryRun, trigger: 'manual', triggeredBy: who.userId, sourceView, now });
    if (syncJobId === null) return { ok: false, code: 'SYNC_ACTIVE', activeSyncJobId: await activeSyncJobId(tx), message: SYNC_ACTIVE_MESSAGE };
    const payload: SyncPayload = {
      syncJobId,
      mode,
      dryRun,
      trigger: 'manual',
      triggeredBy: who.userId,
      ...(branchCodes.length ? { branchCodes } : {}),
    };
    const job = await enqueueJob(tx, { queue: 'sync', payload, now, idempotencyKey: `sync-job:${syncJobId}`, trace: ctx.trace });
    await tx.update(syncJobs).set({ jobQueueId: job.id }).where(eq(syncJobs.id, syncJobId));
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'sync.requested',
        resourceType: 'sync_job',
        resourceId: syncJobId,
        details: { mode, dryRun, branchCodes, jobId: job.id },
        userAgent: who.userAgent,
        at: now, // one transaction, one instant: the trace page lists the request before the job it queued
      },
      tx,
    );
    return { ok: true, syncJobId, jobId: job.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading: history, one sync's detail, and its progress for polling.

const summaryColumns = {
  id: syncJobs.id,
  mode: syncJobs.mode,
  isDryRun: syncJobs.isDryRun,
  status: syncJobs.status,
  trigger: syncJobs.trigger,
  triggeredByName: users.fullName,
  jobQueueId: syncJobs.jobQueueId,
  sourceView: syncJobs.sourceView,
  rowsRead: syncJobs.rowsRead,
  rowsInserted: syncJobs.rowsInserted,
  rowsUpdated: syncJobs.rowsUpdated,
  rowsUnchanged: syncJobs.rowsUnchanged,
  rowsRejected: syncJobs.rowsRejected,
  rowsDeactivated: syncJobs.rowsDeactivated,
  error: syncJobs.error,
  createdAt: syncJobs.createdAt,
  startedAt: syncJobs.startedAt,
  finishedAt: syncJobs.finishedAt,
  jobStatus: jobQueue.status,
  jobAttempts: jobQueue.attempts,
  jobMaxAttempts: jobQueue.maxAttempts,
  jobLastError: jobQueue.lastError,
  progress: jobQueue.progress,
};

/** The columns a sync's state is judged from (summaryColumns selects them). */
interface SyncStateRow {
  id: number;
  status: string;
  mode: string;
  isDryRun: boolean;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  rowsDeactivated: number;
  error: string | null;
  jobStatus: string | null;
  jobLastError: string | null;
  progress: { done?: number; total?: number; message?: string } | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function listSyncJobs(ctx: AppContext, paging: { page: number; pageSize: number }) {
  const [{ total }] = await ctx.db.select({ total: count() }).from(syncJobs);
  const pages = pageCount(total, paging.pageSize);
  const page = Math.min(paging.page, pages);
  const rows = await ctx.db
    .select(summaryColumns)
    .from(syncJobs)
    .leftJoin(users, eq(users.id, syncJobs.triggeredBy))
    .leftJoin(jobQueue, eq(jobQueue.id, syncJobs.jobQueueId))
    .orderBy(desc(syncJobs.id))
    .limit(paging.pageSize)
    .offset((page - 1) * paging.pageSize);
  // The status shown is the one progressOf derives (a crashed run's row reads as failed).
  return { rows: rows.map((r) => ({ ...r, status: progressOf(r).status })), total, page, pages };
}

export interface SyncProgress {
  id: number;
  status: string;
  active: boolean;
  mode: string;
  isDryRun: boolean;
  counts: { read: number; inserted: number; updated: number; unchanged: number; rejected: number; deactivated: number };
  /** From job_queue.progress: rows done of total; total unknown until the service has counted. */
  done: number | null;
  total: number | null;
  percent: number | null;
  message: string | null;
  error: string | null;
  jobStatus: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

function progressOf(row: SyncStateRow): SyncProgress {
  const p = row.progress && typeof row.progress === 'object' ? row.progress : {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  const done = num(p.done);
  const total = num(p.total);
  const finished = row.status === 'done';
  const percent = finished ? 100 : done !== null && total ? Math.min(100, Math.floor((done / total) * 1000) / 10) : null;
  // A row still 'pending'/'running' whose job is over (dead after a crash, cancelled) is shown as its job ended.
  const open = (ACTIVE_SYNC_STATUSES as readonly string[]).includes(row.status);
  const jobOver = row.jobStatus === null || !(LIVE_JOB_STATUSES as readonly string[]).includes(row.jobStatus);
  const status = open && jobOver ? (row.jobStatus === 'cancelled' ? 'cancelled' : row.jobStatus === 'done' ? row.status : 'failed') : row.status;
  return {
    id: row.id,
    status,
    active: open && !jobOver,
    mode: row.mode,
    isDryRun: row.isDryRun,
    counts: {
      read: row.rowsRead,
      inserted: row.rowsInserted,
      updated: row.rowsUpdated,
      unchanged: row.rowsUnchanged,
      rejected: row.rowsRejected,
      deactivated: row.rowsDeactivated,
    },
    done,
    total,
    percent,
    message: typeof p.message === 'string' ? p.message.slice(0, 200) : null,
    error: row.error ?? (status === 'failed' || status === 'cancelled' ? row.jobLastError : null) ?? null,
    jobStatus: row.jobStatus ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

async function summaryOf(ctx: AppContext, id: number) {
  const [row] = await ctx.db
    .select({ ...summaryColumns, report: syncJobs.report })
    .from(syncJobs)
    .leftJoin(users, eq(users.id, syncJobs.triggeredBy))
    .leftJoin(jobQueue, eq(jobQueue.id, syncJobs.jobQueueId))
    .where(eq(syncJobs.id, id))
    .limit(1);
  return row ?? null;
}

/** One sync's progress (for polling), or null for an unknown id. */
export async function syncProgress(ctx: AppContext, id: number): Promise<SyncProgress | null> {
  const row = await summaryOf(ctx, id);
  return row ? progressOf(row) : null;
}

/** The newest pending or running sync's progress, if any (the trigger screen shows it on top). */
export async function activeSyncProgress(ctx: AppContext): Promise<SyncProgress | null> {
  const id = await activeSyncJobId(ctx.db);
  return id === null ? null : syncProgress(ctx, id);
}

export const REPORT_PAGE_SIZE = 100;
type ReportItem = Record<string, unknown>;

function itemsOf(value: unknown): ReportItem[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as ReportItem) : { value: v }));
}

/**
 * One sync with its report: the rejected rows and the field changes, a page of each (a report of a
 * big first sync can hold thousands). Null for an unknown id.
 */
export async function syncJobDetail(ctx: AppContext, id: number, pages: { rejectedPage: number; changesPage: number }) {
  const row = await summaryOf(ctx, id);
  if (!row) return null;
  const report = row.report && typeof row.report === 'object' ? row.report : {};
  const slice = (items: ReportItem[], wanted: number) => {
    const last = pageCount(items.length, REPORT_PAGE_SIZE);
    const page = Math.min(Math.max(1, wanted), last);
    return { items: items.slice((page - 1) * REPORT_PAGE_SIZE, page * REPORT_PAGE_SIZE), total: items.length, page, pages: last };
  };
  const { report: _report, ...summary } = row;
  const r = report as Record<string, unknown>;
  const countOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const deactivation = r.deactivation && typeof r.deactivation === 'object' ? (r.deactivation as Record<string, unknown>) : null;
  return {
    sync: { ...summary, status: progressOf(row).status },
    progress: progressOf(row),
    rejected: slice(itemsOf(report.rejected), pages.rejectedPage),
    changes: slice(itemsOf(report.changes), pages.changesPage),
    // What the service adds to the report beyond the rows (service/snowflake/sync-handler.ts), read defensively.
    notes: {
      complete: typeof r.complete === 'boolean' ? r.complete : null,
      totalRows: countOf(r.totalRows),
      changesTotal: countOf(r.changesTotal),
      note: typeof r.note === 'string' ? r.note.slice(0, 300) : null,
      deactivation: deactivation
        ? typeof deactivation.skipped === 'string'
          ? deactivation.skipped.slice(0, 300)
          : JSON.stringify(deactivation).slice(0, 300)
        : null,
    },
  };
}
