// The job queues the app and the service share (job_queue.queue) and how the service runs each.
// Runtime-neutral: the app enqueues with these names; service/jobs reads the limits.

export const QUEUES = ['sync', 'export', 'period_init', 'nextbank', 'performance', 'cleanup', 'nextbank_sync'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface QueuePolicy {
  /** Jobs of this queue one service process runs at once. */
  concurrency: number;
  /** An attempt running longer than this is aborted and counted as failed. */
  timeoutMs: number;
  /** Default attempts before the job is dead. */
  maxAttempts: number;
  /** Lease length; the worker heartbeats at a third of it, so a dead worker's job is free after this. */
  leaseMs: number;
}

// A full sync may run for minutes: one at a time, long timeout, its lease kept alive by heartbeats.
// NextBank commands are small and many: a few in parallel, short timeout, more attempts.
// The NextBank payment sync reads every FCASH client (100 per call): one at a time so runs never
// overlap, minutes not seconds, few attempts (the next hourly run redoes it anyway; decision 046).
export const QUEUE_POLICIES: Record<QueueName, QueuePolicy> = {
  sync: { concurrency: 1, timeoutMs: 30 * 60_000, maxAttempts: 3, leaseMs: 60_000 },
  export: { concurrency: 2, timeoutMs: 10 * 60_000, maxAttempts: 3, leaseMs: 60_000 },
  period_init: { concurrency: 1, timeoutMs: 5 * 60_000, maxAttempts: 5, leaseMs: 60_000 },
  nextbank: { concurrency: 4, timeoutMs: 30_000, maxAttempts: 8, leaseMs: 30_000 },
  performance: { concurrency: 1, timeoutMs: 5 * 60_000, maxAttempts: 3, leaseMs: 60_000 },
  cleanup: { concurrency: 1, timeoutMs: 10 * 60_000, maxAttempts: 3, leaseMs: 60_000 },
  nextbank_sync: { concurrency: 1, timeoutMs: 15 * 60_000, maxAttempts: 3, leaseMs: 60_000 },
};

export function isQueueName(value: string): value is QueueName {
  return (QUEUES as readonly string[]).includes(value);
}
