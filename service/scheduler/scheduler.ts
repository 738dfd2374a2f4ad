// Fires scheduled_jobs ticks into job_queue. The table is re-read on every pass, so an admin's
// enable/disable or cron edit applies without a restart. Each tick is claimed with ONE conditional
// UPDATE (… WHERE id = ? AND next_run_at = <this tick>) inside the transaction that enqueues the
// job and writes the run row: with several instances, exactly one wins each tick.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { scheduledJobRuns, scheduledJobs, type ScheduledJob } from '../../db/schema';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { isQueueName } from '../../app/core/jobs/queues';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import { writeTransaction } from '../../app/platform/write-queue';
import { isTick, parseCron, tickAfter } from './cron-schedule';
import { childSpan } from '../../app/platform/trace-context';

export interface SchedulerOptions {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  /** Longest sleep between passes (re-reads the table at least this often). */
  refreshMs?: number;
  /** Checks run after every pass (e.g. the performance snapshots' freshness, decision 092); a failure is logged. */
  watchers?: ReadonlyArray<{ name: string; run: () => Promise<unknown> }>;
}

export interface PassResult {
  /** Ticks this instance fired (enqueued), by schedule code. */
  fired: string[];
  /** Rows whose next_run_at was filled, moved (cron edited) or cleared (disabled). */
  rescheduled: number;
}

/** The job_queue idempotency key of one tick: a second enqueue of the same tick is refused. */
export const tickKey = (scheduledJobId: number, tick: Date) => `schedule:${scheduledJobId}:${tick.getTime()}`;

export class Scheduler {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly badCron = new Set<string>();

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    if (this.loop || this.stopping) return;
    this.o.logger.info('scheduler started');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
  }

  /** One pass over every schedule: keeps next_run_at right and fires the due ticks. */
  async pass(): Promise<PassResult> {
    const result: PassResult = { fired: [], rescheduled: 0 };
    const rows = await this.o.db.select().from(scheduledJobs);
    for (const row of rows) {
      if (this.stopping) break;
      try {
        await this.visit(row, result);
      } catch (error) {
        this.o.logger.error('schedule pass failed for a row', { scheduledJobId: row.id, code: row.code, error });
      }
    }
    for (const watcher of this.o.watchers ?? []) {
      if (this.stopping) break;
      try {
        await watcher.run();
      } catch (error) {
        this.o.logger.error('scheduler watcher failed', { watcher: watcher.name, error });
      }
    }
    return result;
  }

  private async visit(row: ScheduledJob, result: PassResult): Promise<void> {
    const { db } = this.o;
    const now = this.o.clock.now();
    const sameNext = row.nextRunAt ? eq(scheduledJobs.nextRunAt, row.nextRunAt) : isNull(scheduledJobs.nextRunAt);
    const setNext = async (next: Date | null) => {
      const moved = await db
        .update(scheduledJobs)
        .set({ nextRunAt: next })
        .where(and(eq(scheduledJobs.id, row.id), sameNext))
        .returning({ id: scheduledJobs.id });
      result.rescheduled += moved.length;
    };
    // Disabled: no next run (the admin screen shows none); re-enabling starts from the next tick, no catch-up.
    if (!row.isEnabled) {
      if (row.nextRunAt) await setNext(null);
      return;
    }
    const parsed = parseCron(row);
    if (!parsed.ok) {
      const key = `${row.id}:${row.cron}`;
      if (!this.badCron.has(key)) this.o.logger.error('schedule has an invalid cron pattern', { code: row.code, cron: row.cron, error: parsed.error });
      this.badCron.add(key);
      if (row.nextRunAt) await setNext(null);
      return;
    }
    if (!row.nextRunAt || !isTick(parsed.cron, row.nextRunAt)) {
      await setNext(tickAfter(parsed.cron, now));
      return;
    }
    if (row.nextRunAt.getTime() > now.getTime()) return;
    // Due (or overdue after downtime: fired once, then on from the next tick after now).
    if (await this.fire(row, row.nextRunAt, tickAfter(parsed.cron, now), now)) result.fired.push(row.code);
  }

  /** Claims the tick and enqueues its job + run row in one transaction; false = another instance had it. */
  private async fire(row: ScheduledJob, tick: Date, following: Date | null, now: Date): Promise<boolean> {
    const { db } = this.o;
    const queue = row.queue;
    const fired = await writeTransaction(db, async (tx) => {
      const claimed = await tx
        .update(scheduledJobs)
        .set({ nextRunAt: following, lastRunAt: now, updatedAt: sql`${scheduledJobs.updatedAt}` })
        .where(and(eq(scheduledJobs.id, row.id), eq(scheduledJobs.nextRunAt, tick), eq(scheduledJobs.isEnabled, true)))
        .returning({ id: scheduledJobs.id });
      if (claimed.length === 0) return false;
      if (!isQueueName(queue)) {
        // Visible in the run history instead of failing silently.
        await tx.insert(scheduledJobRuns).values({
          scheduledJobId: row.id,
          trigger: 'schedule',
          status: 'dead',
          error: `unknown queue "${queue}"`,
          createdAt: now,
          startedAt: now,
          finishedAt: now,
        });
        return true;
      }
      const job = await enqueueJob(tx, {
        queue,
        payload: row.payload ?? {},
        now,
        idempotencyKey: tickKey(row.id, tick),
        trace: childSpan(null), // a scheduled job starts a trace of its own (decision 094)
      });
      if (job.created) {
        await tx.insert(scheduledJobRuns).values({ scheduledJobId: row.id, jobQueueId: job.id, trigger: 'schedule', status: 'pending', createdAt: now });
      }
      return job.created;
    });
    if (fired) this.o.logger.info('schedule fired', { code: row.code, queue, tick: tick.toISOString(), next: following?.toISOString() ?? null });
    else this.o.logger.debug('schedule tick already taken by another instance', { code: row.code, tick: tick.toISOString() });
    return fired;
  }

  private async run(): Promise<void> {
    const refreshMs = this.o.refreshMs ?? 15_000;
    while (!this.stopping) {
      try {
        await this.pass();
      } catch (error) {
        this.o.logger.error('schedule pass failed', { error });
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        void this.sleepMs(refreshMs).then((ms) => {
          const timer = setTimeout(resolve, ms);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
          if (this.stopping) this.wakeUp();
        });
      });
      this.wakeUp = undefined;
    }
    this.o.logger.info('scheduler stopped');
  }

  /** Until the earliest next_run_at (so a tick fires on time), at most refreshMs, at least 50 ms. */
  private async sleepMs(refreshMs: number): Promise<number> {
    try {
      const [row] = await this.o.db
        .select({ next: sql<number | null>`min(${scheduledJobs.nextRunAt})` })
        .from(scheduledJobs)
        .where(eq(scheduledJobs.isEnabled, true));
      if (row?.next == null) return refreshMs;
      return Math.min(refreshMs, Math.max(50, Number(row.next) - this.o.clock.now().getTime() + 5));
    } catch {
      return refreshMs;
    }
  }
}
