// The contract between the job worker (service/jobs) and the code that does each queue's work
// (service/snowflake, service/nextbank, service/maintenance …). A handler gets the job's raw
// payload (it parses it with its zod schema from app/core/jobs/payloads.server.ts) and a run context.
import type { AppDatabase } from '../../db/database';
import type { Job } from '../../db/schema';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import type { QueueName } from '../../app/core/jobs/queues';
import type { TraceContext } from '../../app/platform/trace-context';
import type { Tracing } from '../../app/platform/tracing';

export interface JobProgress {
  done?: number;
  total?: number;
  message?: string;
}

export interface JobRunContext {
  db: AppDatabase;
  clock: Clock;
  /** Carries this attempt's trace_id and span_id on every line. */
  logger: Logger;
  /**
   * This attempt's span: a child of the job's trace_parent (the request or schedule that queued
   * it), so a retry is a new span of the same trace. Outbound calls send it as `traceparent`.
   */
  trace: TraceContext;
  /** Spans for the handler's own calls (NextBank, Snowflake), children of `trace`. */
  tracing: Tracing;
  /** The claimed row (attempts already counts this attempt). */
  job: Job;
  /** Aborted on timeout, on lease loss and on shutdown: long work must check it between batches. */
  signal: AbortSignal;
  /** Writes job_queue.progress (and extends the lease). Cheap enough to call once per batch. */
  reportProgress(progress: JobProgress): Promise<void>;
}

/**
 * Throw to fail the attempt (retried with backoff until max_attempts, then dead).
 * Throw a PermanentJobError for failures a retry cannot fix (bad payload): the job goes dead at once.
 * The returned value is stored in the job's progress message when it is a string.
 */
export type JobHandler = (payload: unknown, run: JobRunContext) => Promise<unknown>;

export type JobHandlers = Partial<Record<QueueName, JobHandler>>;

export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/**
 * "Not now, and not this attempt's fault": the job goes back to pending at now + retryAfterMs and the
 * attempt is not counted (e.g. the integration's circuit breaker is open, so nothing was sent).
 */
export class DeferJobError extends Error {
  override name = 'DeferJobError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
