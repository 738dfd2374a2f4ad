// The checker's generic approval as the checked-action interface describes it (decision 101;
// app/core/approvals/checked-action.server.ts): reach (permission + covers, else 404), still pending
// (409), not the maker (403), the stored payload re-validated (400), then handler.apply with a
// decide hook that compares the target's state with `before` (stable JSON) and closes the request
// with one guarded UPDATE. Engineer A's registry (decide-request.server.ts) is the app's copy of this;
// on merge these tests switch to it (the lead reconciles).
import { and, eq } from 'drizzle-orm';
import { changeRequests } from '../../db/schema';
import { loadAccess } from '../../app/core/access/access.server';
import { staffAccess } from '../../app/core/access/staff-access.server';
import type { CheckedActionHandler, Decide } from '../../app/core/approvals/checked-action.server';
import { statusBulkHandler } from '../../app/core/approvals/actions/status-bulk.server';
import { statusReinstateHandler } from '../../app/core/approvals/actions/status-reinstate.server';
import { statusRevertHandler } from '../../app/core/approvals/actions/status-revert.server';
import type { AppContext } from '../../app/platform/context';

const HANDLERS: Record<string, CheckedActionHandler<any>> = {
  'status.revert': statusRevertHandler,
  'status.reinstate': statusReinstateHandler,
  'status.bulk': statusBulkHandler,
};

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

export async function approveAs(ctx: AppContext, checkerId: number, requestId: number): Promise<{ status: number; message: string }> {
  const [row] = await ctx.db.select().from(changeRequests).where(eq(changeRequests.id, requestId));
  const handler = row ? HANDLERS[row.action] : undefined;
  const access = staffAccess(await loadAccess(ctx, checkerId), async () => []);
  if (!row || !handler || !access.can(handler.permission) || !handler.covers(access, row)) return { status: 404, message: 'No such request.' };
  if (row.state !== 'pending') return { status: 409, message: `This request is already ${row.state}.` };
  if (row.makerId === checkerId) return { status: 403, message: 'You made this request: another person must approve it.' };
  const payload = handler.payload.safeParse(row.payload);
  if (!payload.success) return { status: 400, message: 'This request no longer holds a valid change.' };
  const close = (tx: Parameters<Decide>[0], state: 'approved' | 'stale') =>
    tx
      .update(changeRequests)
      .set({ state, checkerId, decidedAt: ctx.clock.now() })
      .where(and(eq(changeRequests.id, row.id), eq(changeRequests.state, 'pending')))
      .returning({ id: changeRequests.id });
  const decide: Decide = async (tx, current) => {
    if (stable(current) !== stable(row.before)) {
      await close(tx, 'stale');
      return { ok: false, message: 'The target changed after this request was made; it was not applied.' };
    }
    if ((await close(tx, 'approved')).length !== 1) return { ok: false, message: 'This request was decided a moment ago.' };
    return { ok: true };
  };
  const applied = await handler.apply(ctx, { userId: checkerId, access }, row, payload.data, decide);
  if (applied.ok) return { status: 302, message: 'Approved.' };
  return { status: applied.conflict ? 409 : 403, message: applied.message };
}
