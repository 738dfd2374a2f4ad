// THE form protocol's data, as both halves see it (docs/decisions/085). Browser-safe: plain types
// and small pure functions, no zod, no server code. The server half is form-protocol.server.ts
// (replies) and flash.server.ts (the success message after a redirect).

/** The raw input of a form as submitted (repeated names become lists). */
export type SubmittedValues = Record<string, string | string[]>;

/**
 * What EVERY failed POST answers (400 field errors, 409 conflict, 403/404 are thrown instead):
 * the route's useActionData() gives it to the form whose intent it names.
 */
export interface FormReply<Current = unknown> {
  ok: false;
  /** Which form on the page failed (its intent), so only that form shows the errors. */
  intent: string | null;
  /** First message per field, keyed by the field name. */
  fieldErrors: Record<string, string>;
  /** A message for the whole form (e.g. "System rows cannot be deleted."). */
  formError: string | null;
  /** The raw input, put back into the fields; never a password (see isSecretField). */
  values: SubmittedValues;
  /** On a 409: the newer state the form is re-based on; otherwise null. */
  current: Current | null;
}

/** The success message after a redirect, carried by the flash cookie and shown once by <FlashToast>. */
export interface Flash {
  /** Unique per flash, so the same message twice is shown twice. */
  id: string;
  type: 'success' | 'error';
  message: string;
  /** Extra lines (a report's figures, each client of a bulk save): label, value, and a link (a path of this app). */
  details?: FlashDetail[];
  /** A value shown once (a temporary password): HttpOnly cookie, never in a URL or a log. */
  secret?: { label: string; value: string };
}

export type FlashDetail = [label: string, value: string, href?: string];

/** Fields whose input is never sent back (a password is typed again, never echoed). */
export function isSecretField(name: string): boolean {
  return /password|secret|token/i.test(name);
}

/** The action data if it is a failure reply for this form (matching intent, or a reply for no form), else null. */
export function replyFor<Current = unknown>(data: unknown, intent?: string): FormReply<Current> | null {
  if (!data || typeof data !== 'object' || (data as { ok?: unknown }).ok !== false || !('fieldErrors' in data)) return null;
  const reply = data as FormReply<Current>;
  return intent === undefined || reply.intent === null || reply.intent === intent ? reply : null;
}

/** One submitted value as text ("" when missing or a list). */
export function valueOf(reply: Pick<FormReply, 'values'> | null | undefined, name: string): string | undefined {
  const v = reply?.values[name];
  return typeof v === 'string' ? v : undefined;
}
