// A user's own exports as the request screen shows them: state (derived from the job as well, so a
// crashed or dead job never reads as running), rows written of rows expected, size, the error.
import { and, desc, eq } from 'drizzle-orm';
import { exportJobs, jobQueue } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { ExportFormat, ExportKind } from './export-kinds';

export const MY_EXPORTS_SHOWN = 30;

export type ExportState = 'pending' | 'running' | 'retrying' | 'ready' | 'expired' | 'failed' | 'cancelled';
export const ACTIVE_EXPORT_STATES: readonly ExportState[] = ['pending', 'running', 'retrying'];

export interface MyExport {
  id: number;
  kind: ExportKind;
  format: ExportFormat;
  state: ExportState;
  rowsDone: number;
  rowsTotal: number | null;
  percent: number | null;
  sizeBytes: number | null;
  fileName: string | null;
  error: string | null;
  filters: Record<string, unknown>;
  createdAt: string;
  finishedAt: string | null;
  fileExpiresAt: string | null;
}

interface StateRow {
  status: string;
  jobStatus: string | null;
  fileExpiresAt: Date | null;
  fileDeletedAt: Date | null;
  filePath: string | null;
}

export function exportStateOf(row: StateRow, now: Date): ExportState {
  if (row.status === 'done') {
    return row.filePath && !row.fileDeletedAt && row.fileExpiresAt && row.fileExpiresAt.getTime() > now.getTime() ? 'ready' : 'expired';
  }
  if (row.status === 'cancelled' || row.jobStatus === 'cancelled') return 'cancelled';
  switch (row.jobStatus) {
    case 'dead':
      return 'failed';
    case 'failed':
      return 'retrying';
    case 'running':
      return 'running';
    case 'pending':
      return row.status === 'running' ? 'running' : 'pending';
    default:
      return row.status === 'failed' ? 'failed' : row.jobStatus === null && row.status !== 'pending' ? 'failed' : (row.status as ExportState);
  }
}

const columns = {
  id: exportJobs.id,
  kind: exportJobs.exportType,
  format: exportJobs.format,
  status: exportJobs.status,
  params: exportJobs.params,
  rowsDone: exportJobs.rowsDone,
  rowsTotal: exportJobs.rowsTotal,
  fileName: exportJobs.fileName,
  filePath: exportJobs.filePath,
  sizeBytes: exportJobs.fileSizeBytes,
  error: exportJobs.error,
  createdAt: exportJobs.createdAt,
  finishedAt: exportJobs.finishedAt,
  fileExpiresAt: exportJobs.fileExpiresAt,
  fileDeletedAt: exportJobs.fileDeletedAt,
  jobStatus: jobQueue.status,
  jobError: jobQueue.lastError,
};

export async function myExports(ctx: AppContext, userId: number): Promise<MyExport[]> {
  const rows = await ctx.db
    .select(columns)
    .from(exportJobs)
    .leftJoin(jobQueue, eq(jobQueue.id, exportJobs.jobQueueId))
    .where(eq(exportJobs.requestedBy, userId))
    .orderBy(desc(exportJobs.id))
    .limit(MY_EXPORTS_SHOWN);
  const now = ctx.clock.now();
  return rows.map((r) => {
    const state = exportStateOf(r, now);
    const percent = state === 'ready' || state === 'expired' ? 100 : r.rowsTotal ? Math.min(100, Math.floor((r.rowsDone / r.rowsTotal) * 1000) / 10) : null;
    const params = (r.params ?? {}) as { filters?: Record<string, unknown> };
    return {
      id: r.id,
      kind: r.kind,
      format: r.format,
      state,
      rowsDone: r.rowsDone,
      rowsTotal: r.rowsTotal,
      percent,
      sizeBytes: state === 'ready' ? r.sizeBytes : null,
      fileName: r.fileName,
      error: state === 'failed' || state === 'retrying' ? (r.error ?? r.jobError ?? 'The export failed.').slice(0, 500) : null,
      filters: params.filters ?? {},
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      fileExpiresAt: r.fileExpiresAt?.toISOString() ?? null,
    };
  });
}

/** One export of this user (null for another user's or an unknown id: the same answer). */
export async function ownExport(ctx: AppContext, userId: number, exportId: number) {
  const [row] = await ctx.db
    .select(columns)
    .from(exportJobs)
    .leftJoin(jobQueue, eq(jobQueue.id, exportJobs.jobQueueId))
    .where(and(eq(exportJobs.id, exportId), eq(exportJobs.requestedBy, userId)))
    .limit(1);
  return row ? { ...row, state: exportStateOf(row, ctx.clock.now()) } : null;
}
