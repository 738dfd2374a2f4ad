// A checker's approval through the app's own path (decision 101): the request must be in the
// checker's reach (app/core/approvals/decide-request.server.ts requestInReach: the handler's
// permission and covers(), else 404), then approveRequest (403 own request, 409 decided or stale,
// 400 a stored change no longer valid). Statuses as the approvals route answers them.
import { loadAccess } from '../../app/core/access/access.server';
import { staffAccess } from '../../app/core/access/staff-access.server';
import { approveRequest, requestInReach } from '../../app/core/approvals/decide-request.server';
import type { AppContext } from '../../app/platform/context';

const STATUS = { 'not-found': 404, forbidden: 403, conflict: 409, invalid: 400 } as const;

export async function approveAs(ctx: AppContext, checkerId: number, requestId: number): Promise<{ status: number; message: string }> {
  const access = staffAccess(await loadAccess(ctx, checkerId), async () => []);
  const checker = { userId: checkerId, access };
  const row = await requestInReach(ctx, checker, requestId);
  if (!row) return { status: 404, message: 'No such request.' };
  const result = await approveRequest(ctx, checker, row);
  return result.ok ? { status: 302, message: result.message } : { status: STATUS[result.kind], message: result.message };
}
