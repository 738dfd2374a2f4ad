import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { applyStatusUpdate } from './apply-status-update.server';

export const maxBulkClients = 100;

export interface BulkItemResult {
  clientId: number;
  ok: boolean;
  message: string;
}

/**
 * The same status for up to 100 clients: each validated by the same rules and written in its own
 * transaction, so one refusal never blocks the others. Returns one result per client, in order.
 */
export async function applyBulkStatusUpdate(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope; revertScope: StaffScope | null },
  periodKey: string,
  items: Array<{ clientId: number; baseVersion: number }>,
  change: { statusTypeId: number; reasonId: number | null; remarks: string | null; hasPayment: boolean },
): Promise<BulkItemResult[]> {
  if (items.length > maxBulkClients) throw new RangeError(`At most ${maxBulkClients} clients at once`);
  const results: BulkItemResult[] = [];
  for (const item of items) {
    const r = await applyStatusUpdate(ctx, who, { clientId: item.clientId, periodKey }, { ...change, baseVersion: item.baseVersion });
    results.push({
      clientId: item.clientId,
      ok: r.ok,
      message: r.ok ? `Saved (update ${r.eventSequence})` : r.code === 'NOT_FOUND' ? 'Not found in your territory for this period.' : r.message,
    });
  }
  return results;
}
