// The sync_jobs row a run reports into. A manual sync brings its row (the app created it with the
// job); a scheduled one creates its own, unless another sync is waiting or running. A retried
// attempt takes the same row again: its counters restart, the failed attempt's figures and error
// move into report.previousAttempts, and the history rows it wrote stay (they happened).
import type { Client } from '@libsql/client';
import type { SyncPayload } from '../../app/core/jobs/payloads.server';
import type { AppDatabase } from '../../db/database';
import { PermanentJobError } from '../jobs/handler';
import type { Executor } from './client-batch';
import { VIEW_NAME } from './config';

export interface SyncCounters {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deactivated: number;
}

export interface SyncRun {
  id: number;
  /** This attempt's started_at (ms): every later write is conditional on it, so a stale attempt
   * (lease taken over) or an admin's cancel is never overwritten. */
  startedAt: number;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  branchCodes: string[];
  sourceView: string;
  /** Incremental lower bound: the last complete, unfiltered, written sync's watermark_to. */
  watermarkFrom: Date | null;
  previousAttempts: unknown[];
}

export type TakeResult = { run: SyncRun } | { skipped: string };

export const zeroCounters = (): SyncCounters => ({ read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, deactivated: 0 });

/** A sync counts as active while its job can still run (a crashed run's row stays 'running' otherwise). */
const ACTIVE_ELSEWHERE = `EXISTS (SELECT 1 FROM sync_jobs s JOIN job_queue q ON q.id = s.job_queue_id
  WHERE s.status IN ('pending', 'running') AND q.status IN ('pending', 'running', 'failed') AND q.id <> ?)`;

async function settingView(client: Client): Promise<string | null> {
  const rows = (await client.execute("SELECT value FROM config_settings WHERE key = 'snowflake_source_view' AND company_id IS NULL LIMIT 1")).rows;
  const value = rows[0]?.value;
  return typeof value === 'string' && VIEW_NAME.test(value.trim()) ? value.trim() : null;
}

async function lastWatermark(client: Client, excludeId: number): Promise<Date | null> {
  // Only a sync that read every branch completely and wrote its changes moves the watermark on.
  const rows = (
    await client.execute({
      sql: `SELECT watermark_to FROM sync_jobs WHERE status = 'done' AND is_dry_run = 0 AND id <> ? AND watermark_to IS NOT NULL
          AND json_extract(coalesce(report, '{}'), '$.branchCodes') IS NULL ORDER BY id DESC LIMIT 1`,
      args: [excludeId],
    })
  ).rows;
  return rows[0] ? new Date(Number(rows[0].watermark_to)) : null;
}

function attemptSummary(row: Record<string, unknown>): unknown {
  return {
    status: row.status,
    error: row.error ?? null,
    startedAt: row.started_at ? new Date(Number(row.started_at)).toISOString() : null,
    rowsRead: row.rows_read,
    rowsInserted: row.rows_inserted,
    rowsUpdated: row.rows_updated,
    rowsRejected: row.rows_rejected,
  };
}

export async function takeSyncJob(db: AppDatabase, payload: SyncPayload, jobId: number, fallbackView: string, now: Date): Promise<TakeResult> {
  const client = db.$client;
  let row: Record<string, unknown> | undefined;
  if (payload.syncJobId !== undefined) {
    row = (await client.execute({ sql: 'SELECT * FROM sync_jobs WHERE id = ?', args: [payload.syncJobId] })).rows[0] as Record<string, unknown> | undefined;
    if (!row) throw new PermanentJobError(`sync job #${payload.syncJobId} does not exist`);
  } else {
    row = (await client.execute({ sql: 'SELECT * FROM sync_jobs WHERE job_queue_id = ? ORDER BY id DESC LIMIT 1', args: [jobId] })).rows[0] as
      Record<string, unknown> | undefined;
  }
  if (row && (row.status === 'done' || row.status === 'cancelled')) return { skipped: `sync #${row.id} is already ${row.status}` };

  const view = row && typeof row.source_view === 'string' && VIEW_NAME.test(row.source_view) ? row.source_view : ((await settingView(client)) ?? fallbackView);
  const earlier = row && typeof row.report === 'string' ? (JSON.parse(row.report) as { previousAttempts?: unknown[] }) : {};
  const previousAttempts = [...(earlier.previousAttempts ?? []), ...(row && row.status !== 'pending' ? [attemptSummary(row)] : [])];
  // One autocommit write either way: the database port takes the write turn for it (decision 124).
  let id: number | null;
  if (row) {
    await client.execute({
      sql: `UPDATE sync_jobs SET status = 'running', started_at = ?, finished_at = NULL, error = NULL, job_queue_id = ?, source_view = ?,
              rows_read = 0, rows_inserted = 0, rows_updated = 0, rows_unchanged = 0, rows_rejected = 0, rows_deactivated = 0,
              watermark_from = NULL, watermark_to = NULL, report = ? WHERE id = ?`,
      args: [now.getTime(), jobId, view, JSON.stringify({ previousAttempts }), Number(row.id)],
    });
    id = Number(row.id);
  } else {
    const inserted = await client.execute({
      sql: `INSERT INTO sync_jobs (mode, is_dry_run, status, "trigger", triggered_by, job_queue_id, source_view, created_at, started_at, report)
            SELECT ?, ?, 'running', ?, ?, ?, ?, ?, ?, ? WHERE NOT ${ACTIVE_ELSEWHERE} RETURNING id`,
      args: [payload.mode, payload.dryRun ? 1 : 0, payload.trigger, payload.triggeredBy ?? null, jobId, view, now.getTime(), now.getTime(), '{}', jobId],
    });
    id = inserted.rows[0] ? Number(inserted.rows[0].id) : null;
  }
  if (id === null) return { skipped: 'another sync is waiting or running; this one is skipped' };
  const mode = row ? (row.mode as 'full' | 'incremental') : payload.mode;
  return {
    run: {
      id,
      startedAt: now.getTime(),
      mode,
      dryRun: row ? Number(row.is_dry_run) === 1 : payload.dryRun,
      branchCodes: payload.branchCodes ?? [],
      sourceView: view,
      watermarkFrom: mode === 'incremental' ? await lastWatermark(client, id) : null,
      previousAttempts,
    },
  };
}

const OURS = `id = ? AND status = 'running' AND started_at = ?`;

/** Counters as the run goes; inside the batch's own transaction when there is one. */
export async function writeProgress(executor: Executor, sync: Pick<SyncRun, 'id' | 'startedAt'>, c: SyncCounters): Promise<void> {
  await executor.execute({
    sql: `UPDATE sync_jobs SET rows_read = ?, rows_inserted = ?, rows_updated = ?, rows_unchanged = ?, rows_rejected = ?, rows_deactivated = ? WHERE ${OURS}`,
    args: [c.read, c.created, c.updated, c.unchanged, c.rejected, c.deactivated, sync.id, sync.startedAt],
  });
}

/** Ends this attempt's row: no-op if an admin cancelled it or another attempt has taken it over. */
export async function finishSyncJob(
  db: AppDatabase,
  sync: Pick<SyncRun, 'id' | 'startedAt'>,
  end: {
    status: 'done' | 'failed';
    counters: SyncCounters;
    now: Date;
    error?: string;
    watermarkFrom: Date | null;
    watermarkTo: Date | null;
    report: Record<string, unknown>;
  },
): Promise<void> {
  const c = end.counters;
  await db.$client.execute({
    sql: `UPDATE sync_jobs SET status = ?, finished_at = ?, error = ?, watermark_from = ?, watermark_to = ?, report = ?,
          rows_read = ?, rows_inserted = ?, rows_updated = ?, rows_unchanged = ?, rows_rejected = ?, rows_deactivated = ? WHERE ${OURS}`,
    args: [
      end.status,
      end.now.getTime(),
      end.error ?? null,
      end.watermarkFrom?.getTime() ?? null,
      end.watermarkTo?.getTime() ?? null,
      JSON.stringify(end.report),
      c.read,
      c.created,
      c.updated,
      c.unchanged,
      c.rejected,
      c.deactivated,
      sync.id,
      sync.startedAt,
    ],
  });
}
