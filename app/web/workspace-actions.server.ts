import { z } from 'zod';
import type { StaffScope } from '../core/access/scope.server';
import { applyBulkStatusUpdate, maxBulkClients } from '../core/status/bulk-update.server';
import type { AppContext } from '../platform/context';
import { redirectWithFlash } from './flash.server';
import type { FlashDetail } from '../core/forms/form-reply';
import { failWith, valuesOf } from './form-protocol.server';
import { badRequest } from './http-errors.server';
import { safeRedirect } from './safe-redirect';
import { handleStatusForm, statusFormSchema } from './status-update-action.server';
import { idField } from '../core/ids/record-id';

const clientId = idField();
const bulkSchema = statusFormSchema.omit({ baseVersion: true }).extend({
  clientIds: z.array(clientId).min(1, 'Select at least one client.').max(maxBulkClients, `Select at most ${maxBulkClients} clients.`),
});

/** Up to this many clients the flash lists every one (a cookie holds ~4 KB). */
const BULK_LINES = 30;

type Who = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/**
 * The workspace's two forms: one row's status (same rules as the client page) and the bulk update.
 * Both redirect back to the list with the flash; the bulk's flash lists each client's outcome.
 */
export async function handleWorkspaceAction(ctx: AppContext, who: Who, form: FormData, here: string) {
  const intent = form.get('intent');
  if (intent === 'status') {
    const id = clientId.safeParse(form.get('clientId'));
    if (!id.success) badRequest('Unknown client.');
    return handleStatusForm(ctx, who, id.data, form, safeRedirect(form.get('returnTo'), here));
  }
  if (intent !== 'bulk') badRequest('Unknown action.');
  const raw = { ...Object.fromEntries([...form].map(([k, v]) => [k, String(v)])), clientIds: form.getAll('clientIds').map(String) };
  const parsed = bulkSchema.safeParse(raw);
  if (!parsed.success) return failWith(valuesOf(form), { message: parsed.error.issues[0].message }, { intent: 'bulk' });
  const { periodKey, clientIds, ...change } = parsed.data;
  // Each selected row carries the version its checkbox was rendered with: a stale one is refused alone.
  const items = clientIds.map((id) => ({ clientId: id, baseVersion: Number(form.get(`v${id}`) ?? -1) }));
  const results = await applyBulkStatusUpdate(ctx, who, periodKey, items, change);
  // One line per client, in order; a round too long for the flash cookie lists only the refusals.
  const saved = results.filter((r) => r.ok).length;
  const line = (r: (typeof results)[number]): FlashDetail => [`Client ${r.clientId}`, r.message, `/clients/${r.clientId}`];
  const lines =
    results.length <= BULK_LINES ? results.map(line) : [...results.filter((r) => !r.ok).map(line), ['Saved', `${saved} other client(s)`] as FlashDetail];
  return redirectWithFlash(ctx, here, {
    type: saved === results.length ? 'success' : 'error',
    message: `${saved} of ${results.length} saved.`,
    details: lines,
  });
}
