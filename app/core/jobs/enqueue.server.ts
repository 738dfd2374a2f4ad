// The app's half of the job queue: put work in job_queue for the service to claim.
// Runtime-neutral; works inside a transaction so a row change and its job commit together.
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/database';
import { jobQueue } from '../../../db/schema';
import { formatTraceparent, type TraceContext } from '../../platform/trace-context';
import { QUEUE_POLICIES, type QueueName } from './queues';

/** A database or an open transaction (both have insert/select). */
type Writer = Pick<AppDatabase, 'insert' | 'select'>;

export interface EnqueueJob {
  queue: QueueName;
  payload: unknown;
  /** Higher runs first. */
  priority?: number;
  /** Not before now + delayMs. */
  delayMs?: number;
  maxAttempts?: number;
  /** Same key twice = one job (the second call returns the first job's id). */
  idempotencyKey?: string;
  now: Date;
  /**
   * The span that queues it (a request's ctx.trace, or the scheduler's new trace): stored as
   * job_queue.trace_parent, and each attempt is a child span of it (decision 094).
   */
  trace?: TraceContext | null;
}

export async function enqueueJob(db: Writer, job: EnqueueJob): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insert(jobQueue)
    .values({
      queue: job.queue,
      payload: job.payload,
      priority: job.priority ?? 0,
      maxAttempts: job.maxAttempts ?? QUEUE_POLICIES[job.queue].maxAttempts,
      scheduledAt: new Date(job.now.getTime() + (job.delayMs ?? 0)),
      idempotencyKey: job.idempotencyKey ?? null,
      createdAt: job.now,
      traceParent: job.trace ? formatTraceparent(job.trace) : null,
    })
    .onConflictDoNothing()
    .returning({ id: jobQueue.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await db
    .select({ id: jobQueue.id })
    .from(jobQueue)
    .where(eq(jobQueue.idempotencyKey, job.idempotencyKey ?? ''))
    .limit(1);
  if (!existing[0]) throw new Error(`enqueueJob: insert into ${job.queue} was refused without an idempotency key`);
  return { id: existing[0].id, created: false };
}
