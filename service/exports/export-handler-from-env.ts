// The 'export' queue's handler and the storage it writes to, from the service's environment
// (the same EXPORT_* variables as the web app: app/platform/files/export-storage.ts).
import { z } from 'zod';
import { exportStorageEnvSchema, type ExportStorage } from '../../app/platform/files/export-storage';
import { exportStorageFromEnv } from '../../app/platform/files/node-export-storage';
import type { JobHandler } from '../jobs/handler';
import { createExportHandler, DEFAULT_EXPORT_BATCH_ROWS } from './export-handler';

const batchSchema = z.object({ EXPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(50_000).default(DEFAULT_EXPORT_BATCH_ROWS) });

export function exportStorageFromServiceEnv(env: Record<string, string | undefined>): ExportStorage {
  const parsed = exportStorageEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid export storage environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return exportStorageFromEnv(parsed.data);
}

export function exportHandlerFromEnv(env: Record<string, string | undefined>, storage = exportStorageFromServiceEnv(env)): JobHandler {
  const { EXPORT_BATCH_ROWS } = batchSchema.parse(env);
  return createExportHandler({ storage, batchRows: EXPORT_BATCH_ROWS });
}
