// Server half of the admin form pattern (usage: app/ui/forms/admin-form.tsx, top comment).
// read → 400 with field errors and the input kept, or typed values → core write → redirect
// with ?saved=<code> (the toast), so a reload never re-posts and the page works without JS.
import { json, redirect } from "@remix-run/server-runtime";
import type { z } from "zod";
import type { FieldSpec, FormValues, SavedCode } from "../core/config/form-fields";
import { formObject, formSchema, submittedValues } from "../core/config/form-schema.server";
import { fieldErrorsOf } from "./form-errors";

/** What a failed submission answers: the route's useActionData() gives it to <AdminForm reply>. */
export interface FormReply {
  ok: false;
  /** Which form on the page failed (its intent), so only that form shows the errors. */
  intent: string | null;
  fieldErrors: Record<string, string>;
  /** A message for the whole form (e.g. "System rows cannot be deleted."). */
  formError: string | null;
  /** The raw input, put back into the fields. */
  values: Record<string, string | string[]>;
}

export type FormRead<T> = { ok: true; data: T; values: Record<string, string | string[]> } | { ok: false; reply: FormReply };

/** Parses a form described by fields (the usual case) with the schema built from them. */
export function readForm(
  form: FormData,
  fields: readonly FieldSpec[],
  options: Parameters<typeof formSchema>[1] = {},
): FormRead<FormValues> {
  return readFormWith(form, formSchema(fields, options), fields);
}

/** Parses with a hand-written zod schema; `fields` only say which inputs to keep for re-display. */
export function readFormWith<T>(form: FormData, schema: z.ZodType<T>, fields: readonly FieldSpec[]): FormRead<T> {
  const values = submittedValues(fields, form);
  const intent = typeof form.get("intent") === "string" ? String(form.get("intent")) : null;
  const parsed = schema.safeParse(formObject(fields, form));
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const fieldErrors = fieldErrorsOf(parsed.error.issues);
  const formError = fieldErrors.form ?? null;
  delete fieldErrors.form;
  return { ok: false, reply: { ok: false, intent, fieldErrors, formError, values } };
}

/** A 400 (or other) answer carrying the reply; return it from the action. */
export function formFailure(reply: FormReply, status = 400) {
  return json(reply, { status });
}

/** A failure found after parsing (a duplicate code, a system row): one field's error or the form's. */
export function failWith(
  values: Record<string, string | string[]>,
  error: { field?: string | null; message: string },
  options: { intent?: string | null; status?: number } = {},
) {
  return formFailure({
    ok: false, intent: options.intent ?? null, values,
    fieldErrors: error.field ? { [error.field]: error.message } : {},
    formError: error.field ? null : error.message,
  }, options.status ?? 400);
}

/** After a successful write: back to `to` with ?saved=<code> (the toast); the browser follows with a GET. */
export function redirectSaved(to: string, saved: SavedCode, headers?: HeadersInit) {
  const url = new URL(to, "http://x");
  url.searchParams.set("saved", saved);
  return redirect(url.pathname + url.search, { headers });
}
