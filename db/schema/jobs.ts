// Background work: the job queue (leases), cron schedules, sync and export records, service heartbeats.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, createdAt, id, json, sqlList, timestamp, updatedAt } from './columns';
import { companies } from './lookups';
import { users } from './users';

export const JOB_STATUSES = ['pending', 'running', 'done', 'failed', 'dead', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Work shared by the app (enqueues) and the service (claims with a lease).
 * 'failed' = attempt failed and will be retried at scheduled_at; 'dead' = out of attempts.
 */
export const jobQueue = sqliteTable(
  'job_queue',
  {
    id: id(),
    queue: text('queue').notNull(), // sync | export | period_init | nextbank | performance | cleanup
    payload: json('payload').notNull(),
    priority: integer('priority').notNull().default(0), // higher first
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    scheduledAt: timestamp('scheduled_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at'),
    lastError: text('last_error'),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
    progress: json<{ done?: number; total?: number; message?: string }>('progress'),
    /** W3C traceparent of what queued it (a request's span, or the scheduler's own trace): each attempt continues it. */
    traceParent: text('trace_parent'),
  },
  (t) => [
    index('job_queue_trace_parent_idx').on(t.traceParent),
    index('job_queue_queue_status_scheduled_idx').on(t.queue, t.status, t.scheduledAt),
    index('job_queue_status_lease_idx').on(t.status, t.leaseExpiresAt),
    // SQLite allows many NULLs in a unique index, so the key is optional.
    uniqueIndex('job_queue_idempotency_key_uq').on(t.idempotencyKey),
    check('job_queue_status_ck', sql`${t.status} in ${sqlList(JOB_STATUSES)}`),
  ],
);

export const JOB_ATTEMPT_OUTCOMES = ['running', 'done', 'failed', 'dead', 'lost', 'released'] as const;

/** One row per attempt at a job: its span in the job's trace (decision 094), when it ran and how it ended. */
export const jobAttempts = sqliteTable(
  'job_attempts',
  {
    id: id(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobQueue.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    traceId: text('trace_id').notNull(),
    spanId: text('span_id').notNull(),
    owner: text('owner'),
    outcome: text('outcome', { enum: JOB_ATTEMPT_OUTCOMES }).notNull().default('running'),
    error: text('error'),
    startedAt: timestamp('started_at').notNull(),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [index('job_attempts_job_idx').on(t.jobId, t.attempt), index('job_attempts_trace_idx').on(t.traceId)],
);

/** Cron schedules (Asia/Manila); several service instances coordinate with the lease. */
export const scheduledJobs = sqliteTable(
  'scheduled_jobs',
  {
    id: id(),
    code: text('code').notNull(), // e.g. snowflake_daily_sync
    name: text('name').notNull(),
    queue: text('queue').notNull(),
    payload: json('payload'),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull().default('Asia/Manila'),
    isEnabled: bool('is_enabled').notNull().default(true),
    lastRunAt: timestamp('last_run_at'),
    nextRunAt: timestamp('next_run_at'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('scheduled_jobs_code_uq').on(t.code)],
);

export const scheduledJobRuns = sqliteTable(
  'scheduled_job_runs',
  {
    id: id(),
    scheduledJobId: integer('scheduled_job_id')
      .notNull()
      .references(() => scheduledJobs.id, { onDelete: 'cascade' }),
    jobQueueId: integer('job_queue_id').references(() => jobQueue.id, { onDelete: 'set null' }),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    triggeredBy: integer('triggered_by').references(() => users.id),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [index('scheduled_job_runs_job_created_idx').on(t.scheduledJobId, t.createdAt)],
);

export const SYNC_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

/** One Snowflake sync (full or incremental, possibly a dry run) and its report. */
export const syncJobs = sqliteTable(
  'sync_jobs',
  {
    id: id(),
    mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
    isDryRun: bool('is_dry_run').notNull().default(false),
    status: text('status', { enum: SYNC_STATUSES }).notNull().default('pending'),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    triggeredBy: integer('triggered_by').references(() => users.id),
    jobQueueId: integer('job_queue_id').references(() => jobQueue.id, { onDelete: 'set null' }),
    sourceView: text('source_view').notNull(),
    watermarkFrom: timestamp('watermark_from'), // incremental: UPDATED_AT lower bound
    watermarkTo: timestamp('watermark_to'), // highest UPDATED_AT seen
    rowsRead: integer('rows_read').notNull().default(0),
    rowsInserted: integer('rows_inserted').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    rowsDeactivated: integer('rows_deactivated').notNull().default(0),
    report: json<{ rejected?: unknown[]; changes?: unknown[] }>('report'),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [index('sync_jobs_created_idx').on(t.createdAt)],
);

export const EXPORT_TYPES = ['clients', 'client_status', 'branch_performance', 'agent_performance', 'activity'] as const;
export const EXPORT_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

/** Export request + file metadata (file deleted after retention; row kept 90 days). */
export const exportJobs = sqliteTable(
  'export_jobs',
  {
    id: id(),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id),
    companyId: integer('company_id').references(() => companies.id),
    exportType: text('export_type', { enum: EXPORT_TYPES }).notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    params: json('params'), // filters: period, branch ids, …
    status: text('status', { enum: EXPORT_STATUSES }).notNull().default('pending'),
    jobQueueId: integer('job_queue_id').references(() => jobQueue.id, { onDelete: 'set null' }),
    rowsDone: integer('rows_done').notNull().default(0),
    rowsTotal: integer('rows_total'),
    fileName: text('file_name'),
    filePath: text('file_path'),
    fileSizeBytes: integer('file_size_bytes'),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
    fileExpiresAt: timestamp('file_expires_at'),
    fileDeletedAt: timestamp('file_deleted_at'),
  },
  (t) => [index('export_jobs_requested_by_created_idx').on(t.requestedBy, t.createdAt), index('export_jobs_created_idx').on(t.createdAt)],
);

/** What each Node service instance last published (read by the status page). */
export const serviceHeartbeats = sqliteTable(
  'service_heartbeats',
  {
    id: id(),
    instanceId: text('instance_id').notNull(),
    hostname: text('hostname'),
    version: text('version'),
    startedAt: timestamp('started_at'),
    publishedAt: timestamp('published_at').notNull(),
    payload: json<Record<string, unknown>>('payload').notNull(), // circuits, queue depths, …
  },
  (t) => [uniqueIndex('service_heartbeats_instance_uq').on(t.instanceId), index('service_heartbeats_published_idx').on(t.publishedAt)],
);

export type Job = typeof jobQueue.$inferSelect;
export type JobAttempt = typeof jobAttempts.$inferSelect;
export type NewJob = typeof jobQueue.$inferInsert;
export type SyncJob = typeof syncJobs.$inferSelect;
export type ExportJob = typeof exportJobs.$inferSelect;
export type ScheduledJob = typeof scheduledJobs.$inferSelect;
