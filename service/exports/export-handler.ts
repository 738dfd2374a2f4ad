// Queue 'export': builds one export_jobs row's file (decision 093).
// 1. The requester's access is read NOW (not from a cache): a territory that shrank since the
//    request gives only the new territory; a user who lost the permission gets a failed export.
// 2. The scope used and when it was evaluated are recorded in export_jobs.params with the filters.
// 3. Rows are read in keyset batches and streamed to a staging file; progress (rows written of rows
//    expected) goes to export_jobs and job_queue after each batch; the signal is checked between.
// 4. The finished file is committed to the storage port in one step (rename / one PUT); only then
//    is the row 'done' with its key, size and expiry. A crash at any point leaves no file under the
//    key and a row that is not 'done': the lease expires, the job runs again from the start.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { numberSetting } from '../../app/core/config/settings.server';
import { EXPORT_READ_PERMISSION, type ExportKind } from '../../app/core/exports/export-kinds';
import type { ExportFilters } from '../../app/core/exports/export-request-form.server';
import { exportSource } from '../../app/core/exports/export-rows.server';
import { intersectScopes, scopeToCompany } from '../../app/core/exports/export-scope';
import type { ExportParams } from '../../app/core/exports/request-export.server';
import { exportPayloadSchema } from '../../app/core/jobs/payloads.server';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import type { ExportStorage } from '../../app/platform/files/export-storage';
import { exportJobs, users, type ExportJob } from '../../db/schema';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler';
import { errorText } from '../jobs/job-store';
import { jobAppContext } from '../maintenance/job-app-context';
import { openCsvWriter, openXlsxWriter, type ExportFileWriter } from './export-files';

export const DEFAULT_EXPORT_BATCH_ROWS = 1000;
export const DEFAULT_FILE_RETENTION_HOURS = 24;

export interface ExportHandlerOptions {
  storage: ExportStorage;
  /** Rows per read (and per progress write). */
  batchRows?: number;
}

const STAMP = (d: Date) => d.toISOString().slice(0, 10);

export function exportFileName(row: Pick<ExportJob, 'id' | 'exportType' | 'format'>, filters: ExportFilters, now: Date): string {
  const period = typeof filters.period === 'string' ? `-${filters.period}` : '';
  const company = typeof filters.company === 'string' ? `-${filters.company}` : '';
  return `${row.exportType.replace(/_/g, '-')}${company}${period}-${STAMP(now)}-${row.id}.${row.format}`;
}

/** Removes what an earlier attempt of this export left in staging (a crash mid-write). */
async function clearStaging(dir: string, exportId: number) {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(`export-${exportId}-`)).map((n) => rm(path.join(dir, n), { force: true })));
}

async function updateExport(run: JobRunContext, id: number, values: Partial<typeof exportJobs.$inferInsert>) {
  await run.db.update(exportJobs).set(values).where(eq(exportJobs.id, id));
}

export function createExportHandler(options: ExportHandlerOptions): JobHandler {
  const batchRows = options.batchRows ?? DEFAULT_EXPORT_BATCH_ROWS;
  const storage = options.storage;
  return async (payload, run) => {
    const parsed = exportPayloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('invalid export payload');
    const { exportJobId } = parsed.data;
    const [row] = await run.db.select().from(exportJobs).where(eq(exportJobs.id, exportJobId)).limit(1);
    if (!row) throw new PermanentJobError(`export ${exportJobId} does not exist`);
    if (row.status === 'done' || row.status === 'cancelled') return `export ${exportJobId} already ${row.status}`;
    const lastAttempt = run.job.attempts >= run.job.maxAttempts;
    try {
      return await buildExport(run, row, storage, batchRows);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      // The owner sees the error on the request screen; 'failed' only when no attempt is left.
      await updateExport(run, exportJobId, {
        status: permanent || lastAttempt ? 'failed' : 'pending',
        error: errorText(error),
        finishedAt: permanent || lastAttempt ? run.clock.now() : null,
      }).catch((e) => run.logger.error('export: could not record the failure', { exportJobId, error: e }));
      throw error;
    }
  };
}

async function buildExport(run: JobRunContext, row: ExportJob, storage: ExportStorage, batchRows: number): Promise<string> {
  const ctx = { ...jobAppContext(run), cache: createMemoryCache(8) }; // a fresh cache: the access is read now
  const kind = row.exportType as ExportKind;
  const params = (row.params ?? {}) as ExportParams;
  const filters: ExportFilters = params.filters ?? {};
  const [owner] = await run.db.select({ isActive: users.isActive, deletedAt: users.deletedAt }).from(users).where(eq(users.id, row.requestedBy));
  if (!owner || !owner.isActive || owner.deletedAt) throw new PermanentJobError('The requester is no longer an active user.');
  const access = await loadAccess(ctx, row.requestedBy);
  const both = intersectScopes(scopeFor(access, EXPORT_READ_PERMISSION[kind]), scopeFor(access, 'reports:export'));
  const scope = both && row.companyId !== null ? scopeToCompany(both, row.companyId) : both;
  if (!scope) throw new PermanentJobError('You no longer have permission for this export.');
  const started = run.clock.now();
  const source = await exportSource(ctx, kind, scope, filters);
  const total = await source.count();
  await updateExport(run, row.id, {
    status: 'running',
    startedAt: started,
    rowsDone: 0,
    rowsTotal: total,
    error: null,
    params: { filters, scope: { permission: scope.permission, companies: scope.companies }, scopeEvaluatedAt: started.toISOString() } satisfies ExportParams,
  });
  await run.reportProgress({ done: 0, total, message: `export ${row.id}` });

  const staging = storage.stagingDir();
  await mkdir(staging, { recursive: true });
  await clearStaging(staging, row.id);
  const stagingPath = path.join(staging, `export-${row.id}-${run.job.id}-${run.job.attempts}.${row.format}`);
  const writer: ExportFileWriter = row.format === 'csv' ? await openCsvWriter(stagingPath, source.columns) : await openXlsxWriter(stagingPath, source.columns);
  let done = 0;
  try {
    let after: number | null = null;
    for (;;) {
      run.signal.throwIfAborted();
      const batch = await source.batch(after, batchRows);
      if (batch.rows.length === 0) break;
      await writer.addRows(batch.rows);
      done += batch.rows.length;
      after = batch.last;
      await updateExport(run, row.id, { rowsDone: done });
      await run.reportProgress({ done, total });
      if (batch.rows.length < batchRows) break;
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    await rm(stagingPath, { force: true });
    throw error;
  }
  run.signal.throwIfAborted();
  const now = run.clock.now();
  const fileName = exportFileName(row, filters, now);
  const key = `exports/${row.id}/${fileName}`;
  const { size } = await storage.commitFile(stagingPath, key);
  const hours = await numberSetting(ctx, 'export_file_retention_hours', DEFAULT_FILE_RETENTION_HOURS);
  await updateExport(run, row.id, {
    status: 'done',
    rowsDone: done,
    fileName,
    filePath: key,
    fileSizeBytes: size,
    finishedAt: now,
    fileExpiresAt: new Date(now.getTime() + Math.max(1, hours) * 3_600_000),
    error: null,
  });
  run.logger.info('export done', { exportJobId: row.id, kind, format: row.format, rows: done, sizeBytes: size });
  return `export ${row.id}: ${done} rows, ${size} bytes`;
}
