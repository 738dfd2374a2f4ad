// One chunk of the sync in one write transaction, with the sync's progress in the same commit: run
// by the sync's writer thread on its own connection (batch-writer-thread.ts), or on the service's
// connection when there is no thread (batch-writer.ts says when).
import type { Client } from '@libsql/client';
import { applyClientBatch, type BatchContext, type BatchResult } from './client-batch';
import { writeProgress, type SyncCounters, type SyncRun } from './sync-job-record';

/**
 * The page cache of the connection a sync writes on (decision 114): a batch inserts into every index of
 * clients and into the trigram index all over the file; SQLite's default 2 MiB cache re-reads those pages
 * from the OS for each batch. The setting stays with the connection (the service's other jobs gain).
 */
export const SYNC_PAGE_CACHE_KIB = 65_536;

export function addResult(c: SyncCounters, r: BatchResult): SyncCounters {
  c.created += r.created;
  c.updated += r.updated;
  c.unchanged += r.unchanged;
  return c;
}

/** `counters`: the sync's counters before this chunk (its read and rejected rows included). */
export async function writeBatchInTransaction(
  client: Client,
  rows: Parameters<typeof applyClientBatch>[1],
  ctx: BatchContext,
  sync: Pick<SyncRun, 'id' | 'startedAt'>,
  counters: SyncCounters,
): Promise<BatchResult> {
  const tx = await client.transaction('write');
  try {
    await tx.execute(`PRAGMA cache_size=-${SYNC_PAGE_CACHE_KIB}`);
    const applied = await applyClientBatch(tx, rows, ctx);
    await writeProgress(tx, sync, addResult({ ...counters }, applied));
    await tx.commit();
    return applied;
  } finally {
    tx.close();
  }
}
