import type { StaffScope } from '../../core/access/scope.server';
import { updateStatusOrAsk } from '../../core/approvals/actions/status-revert.server';
import { statusFormSchema } from '../../core/status/status-form.server';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash } from '../../web/flash.server';
import { answerWrite, formFailure, readFormData } from '../../web/form-protocol.server';

export type StatusWriter = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/**
 * The status form's POST (client page and workspace rows): 400 with field errors, 404, 409 with the
 * newer state, or back to `back` with the flash; a checked revert goes back saying it waits for approval.
 */
export async function handleStatusForm(ctx: AppContext, who: StatusWriter, clientId: number, form: FormData, back: string) {
  const read = readFormData(form, statusFormSchema);
  if (!read.ok) return formFailure({ ...read.reply, intent: 'status' });
  const { periodKey, ...req } = read.data;
  const result = await updateStatusOrAsk(ctx, who, { clientId, periodKey }, req);
  if (!result.ok && result.code === 'AWAITS_APPROVAL') {
    return redirectWithFlash(ctx, back, { type: 'success', message: `${result.message} A second person with status:revert must approve this revert.` });
  }
  return answerWrite(ctx, result, { values: read.values, intent: 'status', back, saved: 'Status saved.' });
}
