// Every write the worker makes to job_queue. Each state change is ONE conditional statement on
// (id, lease_owner, status='running'), so a worker that lost its lease (or whose job was cancelled)
// changes nothing, and a job is never completed twice. Every change is mirrored into the
// scheduled_job_runs row(s) pointing at the job, in the same batch (atomic, one round trip).
import { and, asc, desc, eq, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { jobQueue, type Job } from '../../db/schema';
import type { QueueName, QueuePolicy } from '../../app/core/jobs/queues';

const ERROR_MAX_CHARS = 2000;

/** The error as stored in last_error: its message, bounded (never a stack or a payload). */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.length > ERROR_MAX_CHARS ? `${text.slice(0, ERROR_MAX_CHARS - 1)}…` : text;
}

/**
 * Copies the job's state onto the scheduled_job_runs rows that point at it (service/jobs/README.md).
 * `which` filters job_queue rows (alias j). Idempotent: it only reflects the job as it now is.
 */
function mirrorRuns(db: AppDatabase, which: SQL, now: Date) {
  return db.run(sql`
    update scheduled_job_runs set
      status = j.status,
      started_at = coalesce(scheduled_job_runs.started_at, j.started_at),
      finished_at = case when j.status in ('done', 'dead', 'cancelled') then coalesce(j.finished_at, ${now.getTime()}) else null end,
      error = case when j.status in ('failed', 'dead', 'cancelled') then j.last_error else null end
    from job_queue j
    where j.id = scheduled_job_runs.job_queue_id and (${which})`);
}

export interface ClaimRequest {
  queues: QueueName[];
  /** Unique per claim (instance id + random token): the lease belongs to this attempt only. */
  owner: string;
  now: Date;
  policies: Record<QueueName, QueuePolicy>;
}

/**
 * ONE statement: picks the best due job of the given queues (priority, then scheduled_at, then id)
 * that is pending, failed and due, or running with an expired lease and attempts left, and leases it. SQLite runs an
 * UPDATE under the write lock from its first step and sqld orders statements, so two workers can
 * never claim the same row. A row reclaimed from a lost worker keeps a note in last_error.
 */
export function claimStatement(db: AppDatabase, request: ClaimRequest) {
  const { queues, owner, now, policies } = request;
  const due = or(
    and(inArray(jobQueue.status, ['pending', 'failed']), lte(jobQueue.scheduledAt, now)),
    // A lost attempt is retried only if attempts remain (else buryAbandonedJobs makes it dead).
    and(eq(jobQueue.status, 'running'), lt(jobQueue.leaseExpiresAt, now), sql`${jobQueue.attempts} < ${jobQueue.maxAttempts}`),
  );
  const next = db
    .select({ id: jobQueue.id })
    .from(jobQueue)
    .where(and(inArray(jobQueue.queue, queues), due))
    .orderBy(desc(jobQueue.priority), asc(jobQueue.scheduledAt), asc(jobQueue.id))
    .limit(1);
  const leaseUntil = sql`case ${jobQueue.queue} ${sql.join(
    queues.map((q) => sql`when ${q} then ${now.getTime() + policies[q].leaseMs}`),
    sql` `,
  )} end`;
  return db
    .update(jobQueue)
    .set({
      status: 'running',
      leaseOwner: owner,
      leaseExpiresAt: leaseUntil,
      attempts: sql`${jobQueue.attempts} + 1`,
      startedAt: now,
      lastError: sql`case when ${jobQueue.status} = 'running'
        then 'attempt ' || ${jobQueue.attempts} || ' lost: lease of ' || coalesce(${jobQueue.leaseOwner}, '?') || ' expired'
        else ${jobQueue.lastError} end`,
    })
    .where(sql`${jobQueue.id} = (${next})`)
    .returning();
}

export async function claimNextJob(db: AppDatabase, request: ClaimRequest): Promise<Job | null> {
  if (request.queues.length === 0) return null;
  const [claimed] = await db.batch([claimStatement(db, request), mirrorRuns(db, sql`j.lease_owner = ${request.owner} and j.status = 'running'`, request.now)]);
  return claimed[0] ?? null;
}

const ours = (job: Pick<Job, 'id'>, owner: string) => and(eq(jobQueue.id, job.id), eq(jobQueue.leaseOwner, owner), eq(jobQueue.status, 'running'));

/** Pushes the lease forward; false = the lease is no longer ours (expired and taken, or the job was cancelled). */
export async function extendLease(db: AppDatabase, job: Pick<Job, 'id'>, owner: string, until: Date, progress?: Job['progress']): Promise<boolean> {
  const rows = await db
    .update(jobQueue)
    .set(progress === undefined ? { leaseExpiresAt: until } : { leaseExpiresAt: until, progress })
    .where(ours(job, owner))
    .returning({ id: jobQueue.id });
  return rows.length === 1;
}

/** done, only while the lease is ours. A string result becomes progress.message. */
export async function completeJob(db: AppDatabase, job: Pick<Job, 'id'>, owner: string, now: Date, message?: string): Promise<boolean> {
  const done = { status: 'done' as const, finishedAt: now, leaseExpiresAt: null, lastError: null };
  const withMessage =
    message === undefined ? done : { ...done, progress: sql`json_set(coalesce(${jobQueue.progress}, '{}'), '$.message', ${message.slice(0, 500)})` };
  const [updated] = await db.batch([
    db.update(jobQueue).set(withMessage).where(ours(job, owner)).returning({ id: jobQueue.id }),
    mirrorRuns(db, sql`j.id = ${job.id}`, now),
  ]);
  return updated.length === 1;
}

/**
 * failed (retried at retryAt) or dead (out of attempts, or `permanent`), only while the lease is
 * ours. Returns the new status, or null when the job was not ours any more.
 */
export async function failJob(
  db: AppDatabase,
  job: Pick<Job, 'id'>,
  owner: string,
  failure: { now: Date; error: string; retryAt: Date; permanent: boolean },
): Promise<'failed' | 'dead' | null> {
  const dead = failure.permanent ? sql`1` : sql`${jobQueue.attempts} >= ${jobQueue.maxAttempts}`;
  const [updated] = await db.batch([
    db
      .update(jobQueue)
      .set({
        status: sql`case when ${dead} then 'dead' else 'failed' end`,
        scheduledAt: sql`case when ${dead} then ${jobQueue.scheduledAt} else ${failure.retryAt.getTime()} end`,
        finishedAt: sql`case when ${dead} then ${failure.now.getTime()} else null end`,
        leaseExpiresAt: null,
        lastError: failure.error,
      })
      .where(ours(job, owner))
      .returning({ status: jobQueue.status }),
    mirrorRuns(db, sql`j.id = ${job.id}`, failure.now),
  ]);
  const status = updated[0]?.status;
  return status === 'failed' || status === 'dead' ? status : null;
}

/** Shutdown: hands the job back at once, this interrupted attempt not counted. */
export async function releaseJob(
  db: AppDatabase,
  job: Pick<Job, 'id'>,
  owner: string,
  now: Date,
  until: { scheduledAt?: Date; error?: string } = {},
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(jobQueue)
      .set({
        status: 'pending',
        leaseOwner: null,
        leaseExpiresAt: null,
        scheduledAt: until.scheduledAt ?? now,
        attempts: sql`max(${jobQueue.attempts} - 1, 0)`,
        ...(until.error ? { lastError: until.error } : {}),
      })
      .where(ours(job, owner))
      .returning({ id: jobQueue.id }),
    mirrorRuns(db, sql`j.id = ${job.id}`, now),
  ]);
  return updated.length === 1;
}

/** After the job's lease was lost or it was cancelled: bring its run rows up to date (e.g. cancelled). */
export async function refreshRuns(db: AppDatabase, job: Pick<Job, 'id'>, now: Date): Promise<void> {
  await mirrorRuns(db, sql`j.id = ${job.id}`, now);
}

/**
 * A job whose worker vanished during its LAST attempt is not claimed again (it may be what kills
 * workers); it goes dead with a note. Returns how many.
 */
export async function buryAbandonedJobs(db: AppDatabase, queues: QueueName[], now: Date): Promise<number> {
  if (queues.length === 0) return 0;
  const abandoned = and(
    inArray(jobQueue.queue, queues),
    eq(jobQueue.status, 'running'),
    lt(jobQueue.leaseExpiresAt, now),
    sql`${jobQueue.attempts} >= ${jobQueue.maxAttempts}`,
  );
  const [buried] = await db.batch([
    db
      .update(jobQueue)
      .set({
        status: 'dead',
        finishedAt: now,
        leaseExpiresAt: null,
        lastError: sql`'attempt ' || ${jobQueue.attempts} || ' of ' || ${jobQueue.maxAttempts} || ' lost: lease of ' || coalesce(${jobQueue.leaseOwner}, '?') || ' expired'`,
      })
      .where(abandoned)
      .returning({ id: jobQueue.id }),
    mirrorRuns(db, sql`j.status = 'dead' and j.finished_at = ${now.getTime()}`, now),
  ]);
  return buried.length;
}
