// The S3-compatible adapter of the export storage port (Cloudflare R2 or S3) with @aws-sdk/client-s3.
// One PutObject per file (no multipart): S3 makes an object visible only once its PUT is complete,
// so the PUT is the commit; the file is built in a local staging file first (decision 093).
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isSafeStorageKey, type ExportStorage, type ExportStorageEnv } from './export-storage';

export interface S3ExportStorageOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
  /** Key prefix inside the bucket. */
  prefix?: string;
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export function s3ExportStorage(options: S3ExportStorageOptions): ExportStorage & { client: S3Client } {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only when the operation requires them: R2 and older S3-compatible stores refuse the new defaults.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const keyOf = (key: string) => {
    if (!isSafeStorageKey(key)) throw new Error(`export storage: refused key ${JSON.stringify(key.slice(0, 80))}`);
    return `${options.prefix ?? ''}${key}`;
  };
  return {
    kind: 's3',
    client,
    stagingDir: () => path.join(tmpdir(), 'client-updater-exports'),
    async commitFile(localPath, key) {
      const { size } = await stat(localPath);
      await client.send(new PutObjectCommand({ Bucket, Key: keyOf(key), Body: createReadStream(localPath), ContentLength: size }));
      await unlink(localPath).catch(() => undefined);
      return { size };
    },
    async read(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        if (!out.Body) return null;
        return { body: out.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: Number(out.ContentLength ?? 0) };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        throw error;
      }
    },
  };
}

export function s3ExportStorageFromEnv(env: ExportStorageEnv): ExportStorage {
  return s3ExportStorage({
    endpoint: env.EXPORT_S3_ENDPOINT,
    region: env.EXPORT_S3_REGION,
    bucket: env.EXPORT_S3_BUCKET!,
    accessKeyId: env.EXPORT_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.EXPORT_S3_SECRET_ACCESS_KEY!,
    forcePathStyle: env.EXPORT_S3_FORCE_PATH_STYLE === 'true',
  });
}
