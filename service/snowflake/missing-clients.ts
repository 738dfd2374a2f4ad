// After a COMPLETE, unfiltered full sync: active clients whose code the view no longer holds are
// marked inactive, each with an is_active history row. Never after a partial, failed, aborted,
// incremental or branch-filtered run (the caller decides), and never more than a set share of the
// active clients at once: a view that suddenly returns half its rows is an upstream fault, and
// deactivating on it would empty every workspace (the report says what was held back).
import type { AppDatabase } from '../../db/database';
import { inWriteTurn } from '../../app/platform/write-queue';
import { writeProgress, type SyncCounters, type SyncRun } from './sync-job-record';

export interface DeactivationReport {
  missing: number;
  activeBefore: number;
  deactivated: number;
  /** Set when the guard held the deactivation back. */
  heldBack?: string;
  /** Up to 100 codes, for the report. */
  sample: string[];
}

export async function deactivateMissingClients(
  db: AppDatabase,
  input: { seen: ReadonlySet<string>; sync: SyncRun; now: Date; dryRun: boolean; maxPercent: number; counters: SyncCounters; signal: AbortSignal },
): Promise<DeactivationReport> {
  // Two strings instead of 200,000 row objects (ten times faster). Both aggregates walk the same rows in the same order.
  const [list] = (
    await db.$client.execute(
      'SELECT group_concat(id) AS ids, group_concat(client_code, char(31)) AS codes, count(*) AS n FROM clients WHERE is_active = 1 AND deleted_at IS NULL',
    )
  ).rows;
  const ids = list.ids === null ? [] : String(list.ids).split(',');
  const codes = list.codes === null ? [] : String(list.codes).split('\x1f');
  if (ids.length !== codes.length || ids.length !== Number(list.n))
    throw new Error('active client list is inconsistent (a client code holds a control character?)');
  const missing: { id: number; code: string }[] = [];
  codes.forEach((code, i) => {
    if (!input.seen.has(code)) missing.push({ id: Number(ids[i]), code });
  });
  const active = ids;
  // Key order is the JSON's: the admin screen shows the start of it, so the codes come last.
  const report: DeactivationReport = {
    missing: missing.length,
    activeBefore: active.length,
    deactivated: 0,
    heldBack: undefined,
    sample: missing.slice(0, 100).map((r) => r.code),
  };
  if (missing.length === 0) return report;
  const limit = Math.floor((active.length * input.maxPercent) / 100);
  if (missing.length > limit) {
    report.heldBack = `${missing.length} of ${active.length} active clients are missing from the view (over ${input.maxPercent}%): none deactivated; check the view, then raise SNOWFLAKE_MAX_DEACTIVATION_PERCENT if this is real`;
    return report;
  }
  if (input.dryRun) {
    report.deactivated = missing.length;
    input.counters.deactivated = missing.length;
    return report;
  }
  const now = input.now.getTime();
  for (let i = 0; i < missing.length; i += 500) {
    input.signal.throwIfAborted();
    const batchIds = missing.slice(i, i + 500).map((r) => r.id);
    const marks = batchIds.map(() => '?').join(',');
    await inWriteTurn(db, async () => {
      const tx = await db.$client.transaction('write');
      try {
        // is_active = 1 again in the WHERE: a client reactivated meanwhile is left alone (and gets no history row).
        const changed = await tx.execute({
          sql: `UPDATE clients SET is_active = 0, updated_at = ?, last_synced_at = ?, sync_source = 'snowflake' WHERE id IN (${marks}) AND is_active = 1 RETURNING id`,
          args: [now, now, ...batchIds],
        });
        const changedIds = changed.rows.map((r) => Number(r.id));
        if (changedIds.length > 0) {
          await tx.execute({
            sql: `INSERT INTO client_sync_history (client_id, sync_job_id, field, old_value, new_value, created_at) VALUES ${changedIds.map(() => "(?, ?, 'is_active', '1', '0', ?)").join(',')}`,
            args: changedIds.flatMap((id) => [id, input.sync.id, now]),
          });
        }
        input.counters.deactivated += changedIds.length;
        report.deactivated += changedIds.length;
        await writeProgress(tx, input.sync, input.counters);
        await tx.commit();
      } finally {
        tx.close();
      }
    });
  }
  return report;
}
