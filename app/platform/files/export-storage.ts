// The storage port for export files (issue 12 part 3; docs/decisions/093-exports.md).
// Runtime-neutral: the app reads through it (the download); only the Node service writes. Adapters:
// local-export-storage.ts (a directory, the embedded default; Node only) and s3-export-storage.ts
// (S3-compatible object storage: R2 or S3, through @aws-sdk/client-s3).
import { z } from 'zod';

export interface StoredFile {
  body: ReadableStream<Uint8Array>;
  size: number;
}

/** What the web app needs: read a finished file. */
export interface ExportFileReader {
  readonly kind: 'local' | 's3';
  /** The file under `key`, or null when there is none (deleted, never committed). */
  read(key: string): Promise<StoredFile | null>;
}

/** What the service needs as well: publish a finished local file, delete, check. */
export interface ExportStorage extends ExportFileReader {
  /**
   * Publishes a complete local file under `key` in one step: a rename on the same file system, one
   * PUT of the whole object on S3. Until it returns, nothing is visible under `key`; a crash before
   * leaves at most a staging file, never a partial object under `key`.
   */
  commitFile(localPath: string, key: string): Promise<{ size: number }>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Where the service writes a file being built (same file system as the local directory, so the commit is a rename). */
  stagingDir(): string;
}

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** The storage's environment, read by the app (downloads) and the service (writes) alike. */
export const exportStorageEnvShape = {
  /** local (a directory on this machine, the embedded default) or s3 (R2 / S3-compatible). */
  EXPORT_STORAGE: z.enum(['local', 's3']).default('local'),
  /** The local adapter's directory (app and service on one machine share it). */
  EXPORT_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('data/exports')),
  EXPORT_S3_ENDPOINT: optionalString,
  EXPORT_S3_BUCKET: optionalString,
  EXPORT_S3_REGION: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('auto')),
  EXPORT_S3_ACCESS_KEY_ID: optionalString,
  EXPORT_S3_SECRET_ACCESS_KEY: optionalString,
  /** Path-style addressing (http://host/bucket/key): what R2, MinIO and the loopback test server expect. */
  EXPORT_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
};

export const exportStorageEnvSchema = z.object(exportStorageEnvShape).superRefine((env, ctx) => {
  if (env.EXPORT_STORAGE !== 's3') return;
  for (const key of ['EXPORT_S3_BUCKET', 'EXPORT_S3_ACCESS_KEY_ID', 'EXPORT_S3_SECRET_ACCESS_KEY'] as const) {
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when EXPORT_STORAGE=s3' });
  }
});

export type ExportStorageEnv = z.infer<typeof exportStorageEnvSchema>;

/** A storage key is ours: exports/<id>/<file name>, nothing that climbs out of the directory. */
export function isSafeStorageKey(key: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,300}$/.test(key) && !key.split('/').some((part) => part === '..' || part === '.' || part === '');
}
