import type { StaffScope } from '../../core/access/scope.server';
import { contactFormSchema, updateClientContacts } from '../../core/clients/update-contacts.server';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash } from '../../web/flash.server';
import { formFailure, readFormData } from '../../web/form-protocol.server';
import { notFound } from '../../web/http-errors.server';

/** The contact form's POST: 400 FormReply with field errors (input kept), 404 out of scope, or back to the page with the flash. */
export async function handleContactForm(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope; userAgent: string | null },
  clientId: number,
  form: FormData,
) {
  const input = { contactNumber: String(form.get('contactNumber') ?? ''), contactNumberAlt: String(form.get('contactNumberAlt') ?? '') };
  const read = readFormData(form, contactFormSchema, input);
  if (!read.ok) return formFailure({ ...read.reply, intent: 'contact', values: input });
  const result = await updateClientContacts(ctx, who, clientId, read.data);
  if (!result.ok) notFound();
  // Only which fields changed reaches the server log; the numbers stay in the activity log.
  ctx.logger.info('client contacts saved', { clientId, changed: result.changed });
  return redirectWithFlash(ctx, `/clients/${clientId}`, 'Contact numbers saved.');
}
