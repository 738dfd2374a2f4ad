// The job worker: claims jobs of the queues it has handlers for, up to each queue's concurrency,
// runs each as an attempt (job-attempt.ts), and stops gracefully. Several workers (processes,
// machines) may share one database: claims are single atomic statements with leases.
import { randomBytes } from 'node:crypto';
import type { AppDatabase } from '../../db/database';
import type { Job } from '../../db/schema';
import { QUEUES, QUEUE_POLICIES, type QueueName, type QueuePolicy } from '../../app/core/jobs/queues';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { JobHandlers } from './handler';
import type { Tracing } from '../../app/platform/tracing';
import { runAttempt, type AttemptOutcome } from './job-attempt';
import { buryAbandonedJobs, claimNextJob } from './job-store';

export interface JobWorkerOptions {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  handlers: JobHandlers;
  /** Names this process in lease owners (each claim adds a random token). */
  instanceId: string;
  /** Only these queues (default: every queue with a handler). A queue with no handler is never claimed. */
  queues?: QueueName[];
  policyOverrides?: Partial<Record<QueueName, Partial<QueuePolicy>>>;
  /** Idle wait between looks for new work. */
  pollMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** After an abort (timeout, lease lost, shutdown) the handler gets this long to return. */
  abortGraceMs?: number;
  /** Spans of each attempt (default: ids only, nothing exported). */
  tracing?: Tracing;
}

interface RunningJob {
  job: Job;
  done: Promise<AttemptOutcome>;
}

/** Lost-worker sweep (dead after the last attempt) at most this often. */
const BURY_EVERY_MS = 5_000;

export class JobWorker {
  readonly queues: QueueName[];
  readonly policies: Record<QueueName, QueuePolicy>;
  private readonly running = new Map<number, RunningJob>();
  private readonly shutdown = new AbortController();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastBuryAt = 0;

  constructor(private readonly o: JobWorkerOptions) {
    const wanted = o.queues ?? [...QUEUES];
    this.queues = wanted.filter((q) => o.handlers[q] !== undefined);
    this.policies = Object.fromEntries(QUEUES.map((q) => [q, { ...QUEUE_POLICIES[q], ...o.policyOverrides?.[q] }])) as Record<QueueName, QueuePolicy>;
  }

  /** Starts claiming in the background. */
  start(): void {
    if (this.loop || this.stopping) return;
    this.o.logger.info('job worker started', { queues: this.queues, instanceId: this.o.instanceId });
    this.loop = this.dispatch().catch((error) => this.o.logger.error('job worker loop crashed', { error }));
  }

  runningCount(queue?: QueueName): number {
    let n = 0;
    for (const r of this.running.values()) if (!queue || r.job.queue === queue) n++;
    return n;
  }

  /**
   * Claims one job (any queue with a free slot) and waits for its attempt to end. For tests and
   * one-off runs; null when nothing was due.
   */
  async runOnce(): Promise<{ job: Job; outcome: AttemptOutcome } | null> {
    const job = await this.claim();
    if (!job) return null;
    return { job, outcome: await this.launch(job) };
  }

  /**
   * Graceful stop: no new claims; running jobs get graceMs to finish, then they are aborted and
   * handed back (released) so another instance can take them at once.
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    if (this.running.size > 0) {
      this.o.logger.info('job worker stopping: waiting for running jobs', { running: this.running.size, graceMs });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    if (this.running.size > 0) {
      this.o.logger.warn('job worker stopping: aborting jobs still running', { jobIds: [...this.running.keys()] });
      this.shutdown.abort();
      await all();
    }
    this.o.logger.info('job worker stopped');
  }

  private freeQueues(): QueueName[] {
    return this.queues.filter((q) => this.runningCount(q) < this.policies[q].concurrency);
  }

  private async claim(): Promise<Job | null> {
    const queues = this.freeQueues();
    if (queues.length === 0) return null;
    const owner = `${this.o.instanceId}#${randomBytes(6).toString('hex')}`;
    return claimNextJob(this.o.db, { queues, owner, now: this.o.clock.now(), policies: this.policies });
  }

  private launch(job: Job): Promise<AttemptOutcome> {
    const queue = job.queue as QueueName;
    const done = runAttempt({
      db: this.o.db,
      clock: this.o.clock,
      logger: this.o.logger,
      handler: this.o.handlers[queue]!,
      job,
      owner: job.leaseOwner!,
      policy: this.policies[queue],
      backoff: this.o.backoff ?? DEFAULT_BACKOFF,
      random: this.o.random ?? Math.random,
      shutdown: this.shutdown.signal,
      abortGraceMs: this.o.abortGraceMs ?? 5_000,
      tracing: this.o.tracing,
    })
      .catch((error): AttemptOutcome => {
        this.o.logger.error('job attempt crashed; its lease will expire', { jobId: job.id, error });
        return 'lost';
      })
      .finally(() => {
        this.running.delete(job.id);
        this.wakeUp?.();
      });
    this.running.set(job.id, { job, done });
    return done;
  }

  private async dispatch(): Promise<void> {
    const pollMs = this.o.pollMs ?? 1_000;
    while (!this.stopping) {
      let job: Job | null = null;
      try {
        job = await this.claim();
      } catch (error) {
        this.o.logger.error('job claim failed', { error });
      }
      if (this.stopping) {
        // Claimed just as the stop came: run it anyway (stop waits for it), never strand it.
        if (job) void this.launch(job);
        break;
      }
      if (job) {
        void this.launch(job);
        continue;
      }
      await this.buryAbandoned();
      // Sleep until a slot frees, the poll interval passes, or stop() is called.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.freeQueues().length > 0 ? pollMs : 60_000);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async buryAbandoned(): Promise<void> {
    const now = this.o.clock.now();
    if (Date.now() - this.lastBuryAt < BURY_EVERY_MS) return;
    this.lastBuryAt = Date.now();
    try {
      const buried = await buryAbandonedJobs(this.o.db, this.queues, now);
      if (buried > 0) this.o.logger.error('jobs dead: their worker vanished during the last attempt', { count: buried });
    } catch (error) {
      this.o.logger.error('abandoned-job sweep failed', { error });
    }
  }
}
