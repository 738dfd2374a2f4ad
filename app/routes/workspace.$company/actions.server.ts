// The workspace's two forms: one row's status (the client page's status form and handler) and the
// bulk update. Both redirect back to the list with the flash; the bulk's flash lists each outcome.
// A bulk of more clients than the company's checker_bulk_status_size waits as one request, and a
// checked revert inside a smaller one as its own request (decision 101).
import { askForBulk } from '../../core/approvals/actions/status-bulk.server';
import { updateStatusOrAsk } from '../../core/approvals/actions/status-revert.server';
import { bulkCheckSize } from '../../core/approvals/checker-rules.server';
import { bulkFormSchema } from '../../core/status/bulk-form.server';
import { applyBulkStatusUpdate } from '../../core/status/bulk-update.server';
import type { FlashDetail } from '../../core/forms/form-reply';
import { idField } from '../../core/ids/record-id';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, valuesOf } from '../../web/form-protocol.server';
import { badRequest, notFound } from '../../web/http-errors.server';
import { safeRedirect } from '../../web/safe-redirect';
import { handleStatusForm, type StatusWriter } from '../clients.$id/status.server';

const clientId = idField();

/** Up to this many clients the flash lists every one (a cookie holds ~4 KB). */
const BULK_LINES = 30;

export async function handleWorkspaceAction(ctx: AppContext, who: StatusWriter, companyId: number, form: FormData, here: string) {
  const intent = form.get('intent');
  if (intent === 'status') {
    const id = clientId.safeParse(form.get('clientId'));
    if (!id.success) badRequest('Unknown client.');
    return handleStatusForm(ctx, who, id.data, form, safeRedirect(form.get('returnTo'), here));
  }
  if (intent !== 'bulk') badRequest('Unknown action.');
  return handleBulkForm(ctx, who, companyId, form, here);
}

async function handleBulkForm(ctx: AppContext, who: StatusWriter, companyId: number, form: FormData, here: string) {
  const raw = { ...Object.fromEntries([...form].map(([k, v]) => [k, String(v)])), clientIds: form.getAll('clientIds').map(String) };
  const parsed = bulkFormSchema.safeParse(raw);
  if (!parsed.success) return failWith(valuesOf(form), { message: parsed.error.issues[0].message }, { intent: 'bulk' });
  const { periodKey, clientIds, ...change } = parsed.data;
  // Each selected row carries the version its checkbox was rendered with: a stale one is refused alone.
  const versions = clientIds.map((id) => form.get(`v${id}`));
  // A version that is not a number is a damaged form (400), not someone else's newer save (decision 045).
  if (versions.some((v) => typeof v !== 'string' || !/^\d{1,9}$/.test(v))) {
    return failWith(valuesOf(form), { message: 'This form is out of date or damaged: reload the page and select the clients again.' }, { intent: 'bulk' });
  }
  const items = clientIds.map((id, i) => ({ clientId: id, baseVersion: Number(versions[i]) }));
  const checkAbove = await bulkCheckSize(ctx, companyId);
  if (checkAbove !== null && items.length > checkAbove) {
    const asked = await askForBulk(ctx, who, companyId, { periodKey, items, change });
    if (asked.ok)
      return redirectWithFlash(ctx, here, {
        type: 'success',
        message: `Waiting for approval (request ${asked.requestId}): an update of more than ${checkAbove} clients needs a second person with status:revert.`,
      });
    if (asked.kind === 'not-found') notFound();
    return failWith(valuesOf(form), { message: asked.message }, { intent: 'bulk', status: asked.kind === 'conflict' ? 409 : 400 });
  }
  const write = (target: { clientId: number; periodKey: string }, req: Parameters<typeof updateStatusOrAsk>[3]) => updateStatusOrAsk(ctx, who, target, req);
  const results = await applyBulkStatusUpdate(ctx, who, periodKey, items, change, { write });
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
