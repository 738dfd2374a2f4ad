import type { StaffScope } from '../../core/access/scope.server';
import { applyStatusUpdate } from '../../core/status/apply-status-update.server';
import { statusFormSchema } from '../../core/status/status-form.server';
import type { AppContext } from '../../platform/context';
import { answerWrite, formFailure, readFormData } from '../../web/form-protocol.server';

export type StatusWriter = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/** The status form's POST (client page and workspace rows): 400 with field errors, 404, 409 with the newer state, or back to `back` with the flash. */
export async function handleStatusForm(ctx: AppContext, who: StatusWriter, clientId: number, form: FormData, back: string) {
  const read = readFormData(form, statusFormSchema);
  if (!read.ok) return formFailure({ ...read.reply, intent: 'status' });
  const { periodKey, ...req } = read.data;
  const result = await applyStatusUpdate(ctx, who, { clientId, periodKey }, req);
  return answerWrite(ctx, result, { values: read.values, intent: 'status', back, saved: 'Status saved.' });
}
