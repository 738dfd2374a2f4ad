import { json, redirect } from "@remix-run/server-runtime";
import type { StaffScope } from "../core/access/scope.server";
import { contactFormSchema, updateClientContacts } from "../core/clients/update-contacts.server";
import type { AppContext } from "../platform/context";
import { fieldErrorsOf } from "./form-errors";
import { notFound } from "./http-errors.server";

/** The contact form's POST: 400 with field errors (input kept), 404 out of scope, or back to the page. */
export async function handleContactForm(
  ctx: AppContext, who: { userId: number; scope: StaffScope; userAgent: string | null }, clientId: number, form: FormData,
) {
  const values = { contactNumber: String(form.get("contactNumber") ?? ""), contactNumberAlt: String(form.get("contactNumberAlt") ?? "") };
  const parsed = contactFormSchema.safeParse(values);
  if (!parsed.success) {
    return json({ kind: "contact-invalid" as const, errors: fieldErrorsOf(parsed.error.issues), values }, { status: 400 });
  }
  const result = await updateClientContacts(ctx, who, clientId, parsed.data);
  if (!result.ok) notFound();
  // Only which fields changed reaches the server log; the numbers stay in the activity log.
  ctx.logger.info("client contacts saved", { clientId, changed: result.changed });
  return redirect(`/clients/${clientId}?saved=contact`);
}
