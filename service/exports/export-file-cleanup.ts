// Export files are deleted export_file_retention_hours (default 24) after they were made; the
// export_jobs row stays (export_metadata_retention_days, deleted by the retention cleanup) with
// file_deleted_at set, so the owner's list says "expired". Run hourly by the cleanup queue.
import { and, isNotNull, isNull, lt, eq } from 'drizzle-orm';
import type { ExportStorage } from '../../app/platform/files/export-storage';
import type { AppDatabase } from '../../db/database';
import { exportJobs } from '../../db/schema';

export async function deleteExpiredExportFiles(db: AppDatabase, storage: ExportStorage, now: Date, signal?: AbortSignal): Promise<number> {
  let deleted = 0;
  for (;;) {
    signal?.throwIfAborted();
    const due = await db
      .select({ id: exportJobs.id, key: exportJobs.filePath })
      .from(exportJobs)
      .where(and(isNotNull(exportJobs.filePath), isNull(exportJobs.fileDeletedAt), lt(exportJobs.fileExpiresAt, now)))
      .limit(200);
    if (due.length === 0) return deleted;
    for (const file of due) {
      await storage.remove(file.key!);
      await db.update(exportJobs).set({ fileDeletedAt: now }).where(eq(exportJobs.id, file.id));
      deleted++;
    }
  }
}
