// Queue 'cleanup': deletes rows past their retention (domain.md "Limits"; days from config_settings,
// these defaults when a setting is missing). Deletes go in batches of BATCH rows, each its own short
// write, so the web app's writes are never held up for long; the job checks its signal in between.
// Export files are deleted by createCleanupHandler's storage step (an hourly run with only=export_files,
// and before the rows here); export_jobs rows go after export_metadata_retention_days.
import { sql, type SQL } from 'drizzle-orm';
import { cleanupPayloadSchema } from '../../app/core/jobs/payloads.server';
import type { AppDatabase } from '../../db/database';
import { PermanentJobError, type JobHandler } from '../jobs/handler';
import type { ExportStorage } from '../../app/platform/files/export-storage';
import { deleteExpiredExportFiles } from '../exports/export-file-cleanup';
import { expireChangeRequests } from './approval-expiry';
import { jobAppContext } from './job-app-context';

const DAY_MS = 86_400_000;
const BATCH = 5_000;

export const RETENTION_DEFAULTS = {
  activity_log_retention_days: 90,
  status_event_retention_days: 730,
  job_done_retention_days: 7,
  job_dead_retention_days: 30,
  session_retention_days: 7,
  sync_job_retention_days: 90,
  export_metadata_retention_days: 90,
  /** Heartbeats of instances gone quiet (restarts get a new instance id). Not a setting. */
  heartbeat_retention_days: 7,
} as const;

export type RetentionDays = Record<keyof typeof RETENTION_DEFAULTS, number>;

export async function retentionDays(db: AppDatabase): Promise<RetentionDays> {
  const rows = await db.all<{ key: string; value: string }>(
    sql`select key, value from config_settings where company_id is null and key like '%retention_days'`,
  );
  const days: RetentionDays = { ...RETENTION_DEFAULTS };
  for (const row of rows) {
    const n = Number(row.value);
    if (row.key in days && Number.isInteger(n) && n >= 1) days[row.key as keyof RetentionDays] = n;
  }
  return days;
}

interface Rule {
  table: string;
  /** Which rows are expired, given the cutoff in ms. */
  expired: (cutoff: number) => SQL;
  days: keyof RetentionDays;
}

const RULES: Rule[] = [
  { table: 'activity_logs', days: 'activity_log_retention_days', expired: (c) => sql`created_at < ${c}` },
  { table: 'status_events', days: 'status_event_retention_days', expired: (c) => sql`created_at < ${c}` },
  // Finished = done or cancelled; dead jobs are kept longer so their errors can be read.
  {
    table: 'job_queue',
    days: 'job_done_retention_days',
    expired: (c) => sql`status in ('done', 'cancelled') and coalesce(finished_at, created_at) < ${c}`,
  },
  { table: 'job_queue', days: 'job_dead_retention_days', expired: (c) => sql`status = 'dead' and coalesce(finished_at, created_at) < ${c}` },
  {
    table: 'user_sessions',
    days: 'session_retention_days',
    expired: (c) => sql`(expires_at < ${c} or (ended_at is not null and ended_at < ${c}))`,
  },
  { table: 'sync_jobs', days: 'sync_job_retention_days', expired: (c) => sql`status not in ('pending', 'running') and created_at < ${c}` },
  { table: 'export_jobs', days: 'export_metadata_retention_days', expired: (c) => sql`status not in ('pending', 'running') and created_at < ${c}` },
  { table: 'service_heartbeats', days: 'heartbeat_retention_days', expired: (c) => sql`published_at < ${c}` },
];

export type CleanupReport = Record<string, number>;

export async function runRetentionCleanup(db: AppDatabase, now: Date, signal?: AbortSignal): Promise<CleanupReport> {
  const days = await retentionDays(db);
  const report: CleanupReport = {};
  for (const rule of RULES) {
    const cutoff = now.getTime() - days[rule.days] * DAY_MS;
    const table = sql.raw(rule.table);
    let deleted = 0;
    for (;;) {
      signal?.throwIfAborted();
      const result = await db.run(sql`delete from ${table} where id in (select id from ${table} where ${rule.expired(cutoff)} limit ${BATCH})`);
      deleted += result.rowsAffected;
      if (result.rowsAffected < BATCH) break;
    }
    report[rule.table] = (report[rule.table] ?? 0) + deleted;
  }
  return report;
}

/** The cleanup queue's handler; with a storage it also deletes expired export files (first, so no row outlives its file's record). */
export function createCleanupHandler(storage?: ExportStorage): JobHandler {
  return async (payload, run) => {
    const parsed = cleanupPayloadSchema.safeParse(payload ?? {});
    if (!parsed.success) throw new PermanentJobError('invalid cleanup payload');
    if (parsed.data.only === 'change_requests') {
      const report = await expireChangeRequests(jobAppContext(run), { signal: run.signal });
      run.logger.info('approval requests expired', { ...report });
      return `expired ${report.expired} approval requests${report.more ? ' (more left for the next run)' : ''}`;
    }
    const files = storage ? await deleteExpiredExportFiles(run.db, storage, run.clock.now(), run.signal) : 0;
    if (parsed.data.only === 'export_files') return `deleted ${files} export files`;
    const report = await runRetentionCleanup(run.db, run.clock.now(), run.signal);
    // After the deletes, refresh the planner's statistics where they drifted (SQLite's advice for
    // long-lived databases; the workspace and dashboard plans depend on them). sqld refuses it over HTTP.
    if (run.db.$client.protocol === 'file') await run.db.run(sql`PRAGMA optimize`);
    run.logger.info('retention cleanup done', { deleted: report, exportFiles: files });
    return `deleted ${Object.entries(report)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}${storage ? `, export files ${files}` : ''}`;
  };
}

export const cleanupHandler: JobHandler = createCleanupHandler();
