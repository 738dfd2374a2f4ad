import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { applyStatusUpdate, type StatusUpdateHooks, type StatusUpdateResult } from './apply-status-update.server';
import type { StatusUpdateRequest } from './workflow';

/** One client's write: the direct path, or the maker's (a checked revert becomes its own request). */
export type StatusWrite = (target: { clientId: number; periodKey: string }, req: StatusUpdateRequest) => Promise<StatusUpdateResult>;

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
  options: { write?: StatusWrite; hooks?: StatusUpdateHooks } = {},
): Promise<BulkItemResult[]> {
  const write: StatusWrite = options.write ?? ((target, req) => applyStatusUpdate(ctx, who, target, req, options.hooks));
  if (items.length > maxBulkClients) throw new RangeError(`At most ${maxBulkClients} clients at once`);
  const results: BulkItemResult[] = [];
  for (const item of items) {
    const r = await write({ clientId: item.clientId, periodKey }, { ...change, baseVersion: item.baseVersion });
    results.push({
      clientId: item.clientId,
      ok: r.ok,
      message: r.ok ? `Saved (update ${r.eventSequence})` : r.code === 'NOT_FOUND' ? 'Not found in your territory for this period.' : r.message,
    });
  }
  return results;
}
