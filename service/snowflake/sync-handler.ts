// Queue 'sync': one Snowflake sync, start to finish. Streams the view, maps codes (lookups read
// once), validates each row, upserts in batches (each batch one write transaction with its
// progress and the current month's and quarter's rows of the clients it creates or makes eligible;
// on a writer thread while the next batch is read, batch-writer.ts), rejects bad rows into the
// report, and only after a COMPLETE unfiltered full run deactivates clients missing from the view.
// A failure marks the sync failed with the reason and rethrows, so the queue retries it; nothing
// done by a partial run is undone, and nothing is deactivated by one.
import { syncPayloadSchema, type SyncPayload } from '../../app/core/jobs/payloads.server';
import { manilaDateParts, periodOf } from '../../app/core/status/periods';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler';
import { integrationPolicy, type IntegrationPolicy } from '../resilience/integration-policies';
import { addResult } from './batch-transaction';
import { startBatchWriter, type BatchWriter, type StartedBatchWriter } from './batch-writer';
import type { BatchResult, FieldChange } from './client-batch';
import { loadCodeMaps, resolveCodes, type ClientValues } from './code-maps';
import type { SnowflakeConfig } from './config';
import { deactivateMissingClients, type DeactivationReport } from './missing-clients';
import { buildSourceQuery, SOURCE_COLUMNS } from './source-query';
import { sourceRowParser } from './source-row';
import { finishSyncJob, takeSyncJob, zeroCounters, type SyncCounters, type SyncRun } from './sync-job-record';
import { openWarehouseRows, SnowflakeSyncError, type WarehouseRows } from './warehouse-reader';

const UPDATED_AT = SOURCE_COLUMNS.indexOf('UPDATED_AT');

/** The Manila calendar date of an instant (birth dates may not be after it). */
function manilaToday(at: Date): string {
  const { year, month, day } = manilaDateParts(at);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Rows kept in the report; rows_rejected and changesTotal count them all. */
export const REPORT_LIMIT = 1000;

export interface SnowflakeSyncOptions {
  /** Default: the process's shared Snowflake policy (its breaker is in the heartbeat). */
  policy?: IntegrationPolicy;
}

export interface RejectedRow {
  row: number;
  clientCode: string | null;
  reason: string;
}

export function createSnowflakeSyncHandler(config: SnowflakeConfig, options: SnowflakeSyncOptions = {}): JobHandler {
  return async (payload, run) => {
    const parsed = syncPayloadSchema.safeParse(payload ?? {});
    if (!parsed.success) {
      throw new PermanentJobError(`invalid sync payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return runSnowflakeSync(config, parsed.data, run, options.policy ?? integrationPolicy('snowflake'));
  };
}

const counts = (c: SyncCounters) =>
  `${c.read} read, ${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged, ${c.rejected} rejected, ${c.deactivated} deactivated`;

export async function runSnowflakeSync(config: SnowflakeConfig, payload: SyncPayload, run: JobRunContext, policy: IntegrationPolicy): Promise<string> {
  const taken = await takeSyncJob(run.db, payload, run.job.id, config.view, run.clock.now());
  if ('skipped' in taken) {
    run.logger.info('snowflake sync skipped', { jobId: run.job.id, reason: taken.skipped });
    return taken.skipped;
  }
  const sync: SyncRun = taken.run;
  const log = run.logger.child({ syncJobId: sync.id, mode: sync.mode, dryRun: sync.dryRun, branches: sync.branchCodes.length });
  const counters = zeroCounters();
  const rejected: RejectedRow[] = [];
  const changes: FieldChange[] = [];
  let changesTotal = 0;
  /** Period rows the chunks created for new and newly eligible clients, by period key. */
  const periodRows = new Map<string, number>();
  const seen = new Set<string>();
  // Where the time went (report.timingsMs): waiting for rows, checking them, writing batches, after.
  const timings = { stream: 0, check: 0, batches: 0, deactivation: 0 };
  const timed = async <T>(key: keyof typeof timings, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      timings[key] += performance.now() - t;
    }
  };
  let watermarkTo: Date | null = sync.watermarkFrom;
  let reader: WarehouseRows | null = null;
  let started: StartedBatchWriter | null = null;
  let writer: BatchWriter | null = null;
  /** The chunk being written, if any (it never rejects: its failure is kept for the next settle). */
  let writing: Promise<void> | null = null;
  /** The counters at the chunk boundary where an abort stopped the sync. */
  let stoppedAt: SyncCounters | null = null;
  const baseReport = () => ({
    mode: sync.mode,
    dryRun: sync.dryRun,
    sourceView: sync.sourceView,
    ...(sync.branchCodes.length ? { branchCodes: sync.branchCodes } : {}),
    watermarkFrom: sync.watermarkFrom?.toISOString() ?? null,
    ...(sync.mode === 'incremental' && !sync.watermarkFrom ? { note: 'no earlier complete sync: the whole view was read' } : {}),
    totalRows: reader?.total ?? null,
    queryId: reader?.queryId ?? null,
    rejected,
    changes,
    changesTotal,
    ...(writer ? { writer: writer.threaded ? 'writer thread' : 'service thread' } : {}),
    timingsMs: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
    ...(sync.previousAttempts.length ? { previousAttempts: sync.previousAttempts } : {}),
  });
  const reject = (row: number, clientCode: string | null, reason: string) => {
    counters.rejected += 1;
    if (rejected.length < REPORT_LIMIT) rejected.push({ row, clientCode, reason });
  };
  log.info('snowflake sync started', { view: sync.sourceView, watermarkFrom: sync.watermarkFrom?.toISOString() ?? null });

  try {
    const now = run.clock.now();
    const maps = await loadCodeMaps(run.db.$client);
    const parse = sourceRowParser(manilaToday(now));
    const query = buildSourceQuery({
      view: sync.sourceView,
      updatedAfter: sync.mode === 'incremental' ? sync.watermarkFrom : null,
      branchCodes: sync.branchCodes,
    });
    const currentPeriods = [periodOf('monthly', now), periodOf('quarterly', now)];
    const batchContext = {
      maps,
      syncJobId: sync.id,
      now,
      dryRun: sync.dryRun,
      currentPeriodKeys: currentPeriods.map((p) => p.key),
      currentPeriods,
    };
    started = startBatchWriter(run.db, { context: batchContext, sync });
    reader = await openWarehouseRows(config, policy, query, {
      signal: run.signal,
      idleTimeoutMs: config.streamIdleTimeoutMs,
      logger: log,
      ...(run.trace && run.tracing ? { trace: { tracing: run.tracing, parent: run.trace } } : {}),
    });
    const total = reader.total;
    await run.reportProgress({ done: 0, total, message: `reading ${total} rows` });
    writer = await started.choose({ expectedRows: total, batchRows: config.batchRows }, (reason) =>
      log.warn('snowflake sync writes on the service thread: its writer thread is not available', { reason }),
    );
    const batchWriter = writer;
    // At most one chunk is being written while the next one fills (on the writer thread they overlap).
    // A chunk's failure is kept and thrown by the next settle(), so no rejection is left unhandled.
    let writeFailed: { error: unknown } | null = null;
    const settle = async () => {
      if (writing) await writing;
      writing = null;
      if (writeFailed) throw writeFailed.error;
    };
    const afterChunk = async (before: SyncCounters, result: BatchResult) => {
      addResult(counters, result);
      changesTotal += result.changes.length;
      for (const [key, n] of Object.entries(result.periodRows)) periodRows.set(key, (periodRows.get(key) ?? 0) + n);
      for (const change of result.changes) if (changes.length < REPORT_LIMIT) changes.push(change);
      await run.reportProgress({ done: counters.read, total, message: counts(counters) });
      // Between batches: a cancelled, timed-out or shutting-down job stops here, its batches committed.
      // It reports the committed chunks' counters: rows read ahead for the next chunk were not written.
      if (run.signal.aborted) {
        stoppedAt = addResult({ ...before }, result);
        throw new SnowflakeSyncError(`sync aborted after ${stoppedAt.read} of ${total} rows: ${String(run.signal.reason ?? 'signal')}`, false);
      }
    };
    let batch: ClientValues[] = [];
    /** Waits for the chunk being written, then starts writing this one. */
    const flush = async () => {
      await settle();
      const rows = batch;
      batch = [];
      const before = { ...counters };
      writing = timed('batches', () => batchWriter.write(rows, before))
        .then((result) => afterChunk(before, result))
        .catch((error: unknown) => {
          writeFailed = { error };
        });
    };

    const next = reader.next;
    let checkStarted = 0;
    for (;;) {
      const streamStarted = performance.now();
      timings.check += checkStarted ? streamStarted - checkStarted : 0;
      const raw = await next();
      checkStarted = performance.now();
      timings.stream += checkStarted - streamStarted;
      if (raw === null) break;
      counters.read += 1;
      const updated = raw[UPDATED_AT];
      if (updated instanceof Date && !Number.isNaN(updated.getTime()) && (!watermarkTo || updated > watermarkTo)) watermarkTo = new Date(updated.getTime());
      const parsed = parse(raw);
      const code = parsed.ok ? parsed.value.clientCode : parsed.clientCode;
      if (code !== null) {
        // A code twice in the view is the view's fault: the first row counts, the second is rejected.
        if (seen.has(code)) {
          reject(counters.read, code, 'CLIENT_CODE appears more than once in the view');
          continue;
        }
        seen.add(code);
      }
      if (!parsed.ok) {
        reject(counters.read, parsed.clientCode, parsed.reason);
        continue;
      }
      const resolved = resolveCodes(maps, parsed.value);
      if (!resolved.ok) reject(counters.read, code, resolved.reason);
      else batch.push(resolved.value);
      if (batch.length >= config.batchRows) {
        timings.check += performance.now() - checkStarted;
        await flush();
        checkStarted = performance.now();
      }
    }
    await flush();
    await settle();
    if (counters.read !== total) throw new SnowflakeSyncError(`Snowflake result ended after ${counters.read} of ${total} rows`);

    let deactivation: DeactivationReport | { skipped: string };
    if (sync.mode !== 'full') deactivation = { skipped: 'incremental sync: missing clients are only deactivated by a full sync' };
    else if (sync.branchCodes.length) deactivation = { skipped: 'branch-filtered sync: missing clients are not deactivated' };
    else {
      deactivation = await timed('deactivation', () =>
        deactivateMissingClients(run.db, {
          seen,
          sync,
          now,
          dryRun: sync.dryRun,
          maxPercent: config.maxDeactivationPercent,
          counters,
          signal: run.signal,
        }),
      );
      if (deactivation.heldBack) log.warn('snowflake sync held back deactivation', { missing: deactivation.missing, activeBefore: deactivation.activeBefore });
    }
    // Written by the chunks themselves (decision 130): the rows of the clients each chunk created or made eligible.
    const periodInit = sync.dryRun ? { skipped: 'dry run' } : currentPeriods.map((p) => ({ periodKey: p.key, created: periodRows.get(p.key) ?? 0 }));
    await finishSyncJob(run.db, sync, {
      status: 'done',
      counters,
      now: run.clock.now(),
      watermarkFrom: sync.watermarkFrom,
      watermarkTo: sync.dryRun ? null : watermarkTo,
      report: { ...baseReport(), complete: true, deactivation, periodInit },
    });
    const summary = `sync #${sync.id} ${sync.mode}${sync.dryRun ? ' (dry run)' : ''}: ${counts(counters)}`;
    log.info('snowflake sync done', { ...counters });
    return summary;
  } catch (error) {
    // A chunk still being written commits or fails first, so the failure's counters include it.
    await writing;
    const message = error instanceof Error ? error.message : String(error);
    // An admin's cancel has already marked the row cancelled; finishSyncJob leaves such a row alone.
    await finishSyncJob(run.db, sync, {
      status: 'failed',
      counters: stoppedAt ?? counters,
      now: run.clock.now(),
      error: message.slice(0, 1000),
      watermarkFrom: sync.watermarkFrom,
      watermarkTo: null,
      report: { ...baseReport(), complete: false },
    }).catch((e: unknown) => log.error('snowflake sync: could not record the failure', { error: e }));
    log.warn('snowflake sync failed', { error: message, ...counters });
    if (error instanceof PermanentJobError) throw error;
    throw new SnowflakeSyncError(message);
  } finally {
    await started?.close();
    await reader?.close();
  }
}
