// The workspace's two forms: one row's status (the client page's status form and handler) and the
// bulk update. Both redirect back to the list with the flash; the bulk's flash lists each outcome.
import { bulkFormSchema } from '../../core/status/bulk-form.server';
import { applyBulkStatusUpdate } from '../../core/status/bulk-update.server';
import type { FlashDetail } from '../../core/forms/form-reply';
import { idField } from '../../core/ids/record-id';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, valuesOf } from '../../web/form-protocol.server';
import { badRequest } from '../../web/http-errors.server';
import { safeRedirect } from '../../web/safe-redirect';
import { handleStatusForm, type StatusWriter } from '../clients.$id/status.server';

const clientId = idField();

/** Up to this many clients the flash lists every one (a cookie holds ~4 KB). */
const BULK_LINES = 30;

export async function handleWorkspaceAction(ctx: AppContext, who: StatusWriter, form: FormData, here: string) {
  const intent = form.get('intent');
  if (intent === 'status') {
    const id = clientId.safeParse(form.get('clientId'));
    if (!id.success) badRequest('Unknown client.');
    return handleStatusForm(ctx, who, id.data, form, safeRedirect(form.get('returnTo'), here));
  }
  if (intent !== 'bulk') badRequest('Unknown action.');
  return handleBulkForm(ctx, who, form, here);
}

async function handleBulkForm(ctx: AppContext, who: StatusWriter, form: FormData, here: string) {
  const raw = { ...Object.fromEntries([...form].map(([k, v]) => [k, String(v)])), clientIds: form.getAll('clientIds').map(String) };
  const parsed = bulkFormSchema.safeParse(raw);
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
