import { z } from 'zod';
import { applyStatusUpdate } from '../core/status/apply-status-update.server';
import type { AppContext } from '../platform/context';
import type { StaffScope } from '../core/access/scope.server';
import { redirectWithFlash } from './flash.server';
import { conflictWith, failWith, formFailure, readFormData } from './form-protocol.server';
import { notFound } from './http-errors.server';
import { idField } from '../core/ids/record-id';

const id = idField('Choose from the list.');
export const statusFormSchema = z.object({
  periodKey: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'Unknown period.'),
  baseVersion: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  statusTypeId: id,
  reasonId: z.union([z.literal('').transform(() => null), id]),
  remarks: z
    .string()
    .max(500, 'Remarks are at most 500 characters.')
    .optional()
    .transform((v) => v ?? null),
  hasPayment: z.enum(['yes', 'no'], { error: 'Say whether there was a payment.' }).transform((v) => v === 'yes'),
});

/** The status form's POST: 400 with field errors, 409 with the newer state (FormReply), or back to the page with the flash. */
export async function handleStatusForm(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope; revertScope: StaffScope | null },
  clientId: number,
  form: FormData,
  back: string,
) {
  const read = readFormData(form, statusFormSchema);
  if (!read.ok) return formFailure({ ...read.reply, intent: 'status' });
  const { periodKey, ...req } = read.data;
  const result = await applyStatusUpdate(ctx, who, { clientId, periodKey }, req);
  if (!result.ok && result.code === 'NOT_FOUND') notFound();
  if (!result.ok && result.code === 'STALE_VERSION' && result.current) {
    return conflictWith(read.values, result.current, result.message, { intent: 'status', field: result.field });
  }
  if (!result.ok) return failWith(read.values, { field: result.field, message: result.message }, { intent: 'status' });
  return redirectWithFlash(ctx, back, 'Status saved.');
}
