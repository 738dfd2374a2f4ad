// status.bulk (decision 101, session 6): a bulk status update of more clients than the company's
// checker_bulk_status_size (off when unset or 0) waits as ONE request. The maker's selection is
// checked when asked (every client in reach, every version current, every row passing the status
// rules); approval runs applyBulkStatusUpdate as the checker, each client still on its own: a row
// changed since fails with its conflict and the others apply.
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { clientPeriodStatus, clients } from '../../../../db/schema';
import type { AppContext } from '../../../platform/context';
import { scopeCondition, scopeIncludesBranch, type StaffScope } from '../../access/scope.server';
import { logActivity } from '../../audit/activity-log.server';
import { applyBulkStatusUpdate, maxBulkClients } from '../../status/bulk-update.server';
import { statusLookups } from '../../status/status-lookups.server';
import { decideStatusUpdate } from '../../status/workflow';
import type { CheckedActionHandler } from '../checked-action.server';
import { askForChange } from '../request-store.server';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const bulkPayload = z.object({
  companyId: id,
  periodKey: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/),
  items: z
    .array(z.object({ clientId: id, baseVersion: z.number().int().min(0).max(999_999_999) }))
    .min(1)
    .max(maxBulkClients),
  change: z.object({ statusTypeId: id, reasonId: id.nullable(), remarks: z.string().max(500).nullable(), hasPayment: z.boolean() }),
  /** The selected clients' branches when asked: whom a checker must reach. */
  branchIds: z.array(id).min(1).max(maxBulkClients),
  /** For the approvals list only. */
  toStatus: z.string().max(40),
});
export type BulkPayload = z.infer<typeof bulkPayload>;

type Who = { userId: number; scope: StaffScope; revertScope: StaffScope | null };
export type BulkAsk = { ok: true; requestId: number } | { ok: false; kind: 'not-found' | 'invalid' | 'conflict'; message: string };

/** The maker's large bulk update: one pending request, or why not (nothing written then). */
export async function askForBulk(ctx: AppContext, who: Who, companyId: number, input: Pick<BulkPayload, 'periodKey' | 'items' | 'change'>): Promise<BulkAsk> {
  const lookups = await statusLookups(ctx);
  const ids = input.items.map((i) => i.clientId);
  return ctx.write(
    async (tx): Promise<BulkAsk> => {
      const rows = await tx
        .select({
          id: clientPeriodStatus.id,
          clientId: clientPeriodStatus.clientId,
          branchId: clients.branchId,
          version: clientPeriodStatus.version,
          statusTypeId: clientPeriodStatus.statusTypeId,
        })
        .from(clientPeriodStatus)
        .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
        .where(
          and(
            inArray(clientPeriodStatus.clientId, ids),
            eq(clientPeriodStatus.periodKey, input.periodKey),
            eq(clients.companyId, companyId),
            scopeCondition(who.scope, { companyId: clients.companyId, branchId: clients.branchId }),
          ),
        );
      const byClient = new Map(rows.map((r) => [r.clientId, r]));
      const missing = ids.find((clientId) => !byClient.has(clientId));
      if (missing !== undefined) return { ok: false, kind: 'not-found', message: `Client ${missing} is not in your territory for this period.` };
      for (const item of input.items) {
        const row = byClient.get(item.clientId)!;
        if (item.baseVersion > row.version)
          return { ok: false, kind: 'invalid', message: `The form names a version client ${item.clientId} never had: reload the page and select again.` };
        if (item.baseVersion < row.version)
          return { ok: false, kind: 'conflict', message: `Client ${item.clientId} changed since you opened the list: reload the page and select again.` };
        const canRevert = Boolean(who.revertScope && scopeIncludesBranch(who.revertScope, companyId, row.branchId));
        const decision = decideStatusUpdate(
          { companyId, current: row, statuses: lookups.statuses, reasons: lookups.reasons, canRevert },
          { ...input.change, baseVersion: item.baseVersion },
        );
        if (!decision.ok) return { ok: false, kind: 'invalid', message: `Client ${item.clientId}: ${decision.message}` };
      }
      const remark = input.change.remarks?.trim() ?? '';
      const payload: BulkPayload = {
        companyId,
        ...input,
        branchIds: [...new Set(rows.map((r) => r.branchId))].sort((a, b) => a - b),
        toStatus: lookups.statuses.find((s) => s.id === input.change.statusTypeId)?.code ?? '?',
      };
      const asked = await askForChange(ctx, tx, {
        action: 'status.bulk',
        companyId,
        targetType: 'status_bulk',
        // One pending bulk per maker and company: a second waits until the first is decided or withdrawn.
        targetId: who.userId,
        payload,
        before: { versions: Object.fromEntries(rows.map((r) => [String(r.clientId), r.version])) },
        remark,
        makerId: who.userId,
      });
      return asked.ok
        ? asked
        : { ok: false, kind: 'invalid', message: `Say why in the remarks (a bulk update this large waits for approval): ${asked.message}` };
    },
    { behavior: 'immediate' },
  );
}

export const statusBulkHandler: CheckedActionHandler<BulkPayload> = {
  action: 'status.bulk',
  permission: 'status:revert',
  /** A supervisor (status:revert) who can also update every selected client's branch. */
  covers(access, row) {
    const [revert, update] = [access.scope('status:revert'), access.scope('status:update')];
    const branchIds = (row.payload as Partial<BulkPayload>).branchIds ?? [];
    return Boolean(
      revert &&
      update &&
      branchIds.length &&
      branchIds.every((b) => scopeIncludesBranch(revert, row.companyId, b) && scopeIncludesBranch(update, row.companyId, b)),
    );
  },
  payload: bulkPayload,
  async apply(ctx, checker, row, payload, decide) {
    const scope = checker.access.scope('status:update');
    if (!scope) return { ok: false, message: 'You need status:update to approve this.' };
    // Closed once, before the rows: each row then stands on its own (its version decides it).
    const closed = await ctx.write((tx) => decide(tx, row.before));
    if (!closed.ok) return { ok: false, message: closed.message, conflict: true };
    const approval = { requestId: row.id, makerId: row.makerId };
    const who = { userId: checker.userId, scope, revertScope: checker.access.scope('status:revert') };
    const results = await applyBulkStatusUpdate(ctx, who, payload.periodKey, payload.items, payload.change, { hooks: { approval } });
    await logActivity(ctx, {
      userId: checker.userId,
      action: 'status.bulk_approved',
      resourceType: 'change_request',
      resourceId: row.id,
      companyId: row.companyId,
      details: { periodKey: payload.periodKey, approval: { ...approval, checkerId: checker.userId }, results },
    });
    return { ok: true };
  },
  diff(row) {
    const payload = row.payload as Partial<BulkPayload>;
    return [
      { field: `Status of ${payload.items?.length ?? 0} clients (${payload.periodKey ?? '?'})`, old: 'as each is now', new: String(payload.toStatus ?? '?') },
    ];
  },
};
