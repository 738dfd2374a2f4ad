// job_attempts: one row per attempt at a job, with the attempt's span ids (decision 094), so the
// trace page (/admin/activity?trace=…) shows each attempt of each job a request queued.
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { jobAttempts, type Job } from '../../db/schema';
import type { TraceContext } from '../../app/platform/trace-context';
import type { AttemptOutcome } from './job-attempt';

export async function startAttemptRow(db: AppDatabase, job: Job, trace: TraceContext, owner: string, now: Date): Promise<number> {
  const [row] = await db
    .insert(jobAttempts)
    .values({ jobId: job.id, attempt: job.attempts, traceId: trace.traceId, spanId: trace.spanId, owner, startedAt: now })
    .returning({ id: jobAttempts.id });
  return row.id;
}

export async function finishAttemptRow(db: AppDatabase, id: number, outcome: AttemptOutcome, error: string | null, now: Date): Promise<void> {
  await db
    .update(jobAttempts)
    .set({ outcome, error: error?.slice(0, 1000) ?? null, finishedAt: now })
    .where(eq(jobAttempts.id, id));
}
