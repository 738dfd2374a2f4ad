// One attempt at one claimed job: runs the handler with an AbortSignal, keeps the lease alive with
// heartbeats, aborts on timeout / lease loss / cancellation / shutdown, then records the outcome
// with a statement that only applies while the lease is still ours.
import type { Job } from '../../db/schema';
import type { AppDatabase } from '../../db/database';
import type { QueuePolicy } from '../../app/core/jobs/queues';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import { retryDelayMs, type BackoffOptions } from './backoff';
import { DeferJobError, PermanentJobError, type JobHandler, type JobRunContext } from './handler';
import { completeJob, errorText, extendLease, failJob, refreshRuns, releaseJob } from './job-store';
import { parseTraceparent } from '../../app/platform/trace-context';
import { propagationOnly, type Tracing } from '../../app/platform/tracing';
import { finishAttemptRow, startAttemptRow } from './attempt-rows';

/** done / failed (will retry) / dead / lost (not ours any more: lease taken or job cancelled) / released (shutdown, or deferred by the handler). */
export type AttemptOutcome = 'done' | 'failed' | 'dead' | 'lost' | 'released';

export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}
export class ShutdownAbort extends Error {
  override name = 'ShutdownAbort';
}

export interface AttemptOptions {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  handler: JobHandler;
  job: Job;
  owner: string;
  policy: QueuePolicy;
  backoff: BackoffOptions;
  random: () => number;
  /** Aborted by the worker at shutdown, once the grace period is over. */
  shutdown: AbortSignal;
  /** After an abort, how long the handler gets to stop before the attempt is given up on. */
  abortGraceMs: number;
  /** Spans (OpenTelemetry when the service exports; ids only otherwise). */
  tracing?: Tracing;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The handler's result, or (if it ignores an abort for longer than graceMs) the abort reason. */
async function settleOrAbandon(work: Promise<unknown>, signal: AbortSignal, graceMs: number): Promise<Settled> {
  const settled = work.then(
    (value): Settled => ({ ok: true, value }),
    (error): Settled => ({ ok: false, error }),
  );
  const abandoned = new Promise<Settled>((resolve) => {
    const giveUp = () => setTimeout(() => resolve({ ok: false, error: signal.reason }), graceMs);
    if (signal.aborted) giveUp();
    else signal.addEventListener('abort', giveUp, { once: true });
  });
  return Promise.race([settled, abandoned]);
}

/** A few tries for the final write: losing it only means the job runs again after its lease. */
async function withRetries<T>(write: () => Promise<T>, logger: Logger): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 3) throw error;
      logger.warn('job state write failed; retrying', { error, attempt });
      await later(250 * attempt);
    }
  }
}

/**
 * One attempt as one span of the job's trace (decision 094): a child of the trace_parent the job was
 * queued with (a job without one starts its own trace), recorded in job_attempts with its outcome.
 */
export async function runAttempt(o: AttemptOptions): Promise<AttemptOutcome> {
  const tracing = o.tracing ?? propagationOnly;
  const span = tracing.startSpan(`job ${o.job.queue} attempt`, parseTraceparent(o.job.traceParent), {
    role: 'consumer',
    attributes: { 'job.id': o.job.id, 'job.queue': o.job.queue, 'job.attempt': o.job.attempts },
  });
  const logger = o.logger.child({ trace_id: span.context.traceId, span_id: span.context.spanId, jobId: o.job.id, queue: o.job.queue, attempt: o.job.attempts });
  const attemptRow = await startAttemptRow(o.db, o.job, span.context, o.owner, o.clock.now()).catch((error) => {
    logger.warn('job attempt row not written', { error });
    return null;
  });
  let outcome: AttemptOutcome = 'lost';
  let failure: string | null = null;
  try {
    outcome = await attemptOnce(o, logger, span.context, tracing, (error) => (failure = error));
    return outcome;
  } finally {
    if (outcome === 'failed' || outcome === 'dead') span.fail();
    span.setAttributes({ 'job.outcome': outcome });
    span.end();
    if (attemptRow !== null) {
      await finishAttemptRow(o.db, attemptRow, outcome, failure, o.clock.now()).catch((error) => logger.warn('job attempt row not finished', { error }));
    }
  }
}

async function attemptOnce(
  o: AttemptOptions,
  logger: Logger,
  trace: JobRunContext['trace'],
  tracing: Tracing,
  noteError: (error: string) => void,
): Promise<AttemptOutcome> {
  const { db, clock, job, owner, policy } = o;
  const controller = new AbortController();
  const abort = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const leaseUntil = () => new Date(clock.now().getTime() + policy.leaseMs);
  const lost = () => abort(new LeaseLostError(`job ${job.id}: lease lost (expired and taken over, or the job was cancelled)`));

  let beating = false;
  const heartbeat = setInterval(
    async () => {
      if (beating) return;
      beating = true;
      try {
        if (!(await extendLease(db, job, owner, leaseUntil()))) lost();
      } catch (error) {
        // A passing database hiccup: the lease is still valid until it expires, so keep going.
        logger.warn('lease heartbeat failed', { error });
      } finally {
        beating = false;
      }
    },
    Math.max(10, Math.floor(policy.leaseMs / 3)),
  );
  const timeout = setTimeout(() => abort(new JobTimeoutError(`timed out after ${policy.timeoutMs} ms`)), policy.timeoutMs);
  const onShutdown = () => abort(new ShutdownAbort('service shutting down'));
  if (o.shutdown.aborted) onShutdown();
  else o.shutdown.addEventListener('abort', onShutdown, { once: true });

  const run: JobRunContext = {
    db,
    clock,
    logger,
    trace,
    tracing,
    job,
    signal: controller.signal,
    async reportProgress(progress) {
      if (!(await extendLease(db, job, owner, leaseUntil(), progress))) {
        lost();
        throw controller.signal.reason;
      }
    },
  };

  logger.info('job started', { maxAttempts: job.maxAttempts });
  let result: Settled;
  try {
    result = await settleOrAbandon(
      Promise.resolve().then(() => o.handler(job.payload, run)),
      controller.signal,
      o.abortGraceMs,
    );
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timeout);
    o.shutdown.removeEventListener('abort', onShutdown);
  }

  const now = clock.now();
  const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
  if (result.ok && !(reason instanceof LeaseLostError)) {
    const message = typeof result.value === 'string' ? result.value : undefined;
    if (await withRetries(() => completeJob(db, job, owner, now, message), logger)) {
      logger.info('job done', { message });
      return 'done';
    }
  } else if (reason instanceof ShutdownAbort) {
    if (await withRetries(() => releaseJob(db, job, owner, now), logger)) {
      logger.warn('job released at shutdown');
      return 'released';
    }
  } else if (!reason && !result.ok && result.error instanceof DeferJobError) {
    const deferred = result.error;
    const scheduledAt = new Date(now.getTime() + deferred.retryAfterMs);
    if (await withRetries(() => releaseJob(db, job, owner, now, { scheduledAt, error: errorText(deferred) }), logger)) {
      logger.warn('job deferred (attempt not counted)', { error: errorText(deferred), retryAt: scheduledAt.toISOString() });
      return 'released';
    }
  } else if (!(reason instanceof LeaseLostError)) {
    // A timeout is reported as the timeout, whatever the handler threw when it saw the abort.
    const error = reason instanceof JobTimeoutError ? reason : (result as { error: unknown }).error;
    const permanent = error instanceof PermanentJobError;
    const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts, o.backoff, o.random));
    noteError(errorText(error));
    const status = await withRetries(() => failJob(db, job, owner, { now, error: errorText(error), retryAt, permanent }), logger);
    if (status) {
      logger[status === 'dead' ? 'error' : 'warn'](status === 'dead' ? 'job dead' : 'job failed; will retry', {
        error: errorText(error),
        retryAt: status === 'failed' ? retryAt.toISOString() : undefined,
      });
      return status;
    }
  }
  // Not ours any more: someone else holds the lease, or an admin cancelled the job.
  await withRetries(() => refreshRuns(db, job, now), logger).catch((error) => logger.warn('run rows not refreshed', { error }));
  logger.warn('job attempt abandoned: lease lost or job cancelled');
  return 'lost';
}
