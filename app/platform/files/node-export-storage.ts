// The Node hosts' choice of export storage (the web app's Node host and the service): the local
// directory by default, S3-compatible storage when EXPORT_STORAGE=s3.
import type { ExportStorage, ExportStorageEnv } from './export-storage';
import { localExportStorage } from './local-export-storage';
import { s3ExportStorageFromEnv } from './s3-export-storage';

export function exportStorageFromEnv(env: ExportStorageEnv): ExportStorage {
  return env.EXPORT_STORAGE === 's3' ? s3ExportStorageFromEnv(env) : localExportStorage(env.EXPORT_DIR);
}
