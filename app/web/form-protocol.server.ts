// Server half of THE form protocol (docs/decisions/070 and 085; usage: app/ui/forms/admin-form.tsx,
// top comment). read → 400 with field errors and the input kept, or typed values → core write →
// a redirect with the flash message (flash.server.ts), so a reload never re-posts and the page
// works without JS. Every failure, of every form, is one FormReply (app/core/forms/form-reply.ts).
import { json } from '@remix-run/server-runtime';
import type { z } from 'zod';
import type { FieldSpec, FormValues, SavedCode } from '../core/config/form-fields';
import { formObject, formSchema, submittedValues } from '../core/config/form-schema.server';
import { fieldErrorsOf } from './form-errors';
import { redirectWithFlash, type FlashInput } from './flash.server';
import { notFound } from './http-errors.server';
import type { AppContext } from '../platform/context';
import { isSecretField, type FormReply, type SubmittedValues } from '../core/forms/form-reply';

export type { FormReply } from '../core/forms/form-reply';

export type FormRead<T> = { ok: true; data: T; values: SubmittedValues } | { ok: false; reply: FormReply<never> };

/** The one way to build a reply: passwords dropped from the values, errors normalised. */
export function replyOf<Current = never>(parts: {
  intent?: string | null;
  values?: SubmittedValues;
  fieldErrors?: Record<string, string>;
  formError?: string | null;
  current?: Current | null;
}): FormReply<Current> {
  const values = Object.fromEntries(Object.entries(parts.values ?? {}).filter(([name]) => !isSecretField(name)));
  const { form, ...fieldErrors } = parts.fieldErrors ?? {};
  return { ok: false, intent: parts.intent ?? null, fieldErrors, formError: parts.formError ?? form ?? null, values, current: parts.current ?? null };
}

/** The intent of a posted form ("intent" field), or null. */
export function intentOf(form: FormData): string | null {
  const intent = form.get('intent');
  return typeof intent === 'string' ? intent.slice(0, 60) : null;
}

/** Every text field of a form as submitted (repeated names become lists), the intent left out. */
export function valuesOf(form: FormData): SubmittedValues {
  const out: SubmittedValues = {};
  for (const [name, value] of form) {
    if (name === 'intent') continue;
    const text = typeof value === 'string' ? value.slice(0, 10_000) : '';
    const seen = out[name];
    out[name] = seen === undefined ? text : Array.isArray(seen) ? [...seen, text] : [seen, text];
  }
  return out;
}

/** Parses a form described by fields (the usual case) with the schema built from them. */
export function readForm(form: FormData, fields: readonly FieldSpec[], options: Parameters<typeof formSchema>[1] = {}): FormRead<FormValues> {
  return readFormWith(form, formSchema(fields, options), fields);
}

/** Parses with a hand-written zod schema; `fields` only say which inputs to keep for re-display. */
export function readFormWith<T>(form: FormData, schema: z.ZodType<T>, fields: readonly FieldSpec[]): FormRead<T> {
  const values = submittedValues(fields, form);
  const parsed = schema.safeParse(formObject(fields, form));
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, reply: replyOf({ intent: intentOf(form), values, fieldErrors: fieldErrorsOf(parsed.error.issues) }) };
}

/**
 * Parses a form that has no field descriptions (its schema takes the plain object of the input:
 * `input` defaults to every field as text; pass it to shape lists). The reply keeps the input.
 */
export function readFormData<T>(form: FormData, schema: z.ZodType<T>, input?: Record<string, unknown>): FormRead<T> {
  const values = valuesOf(form);
  const parsed = schema.safeParse(input ?? values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, reply: replyOf({ intent: intentOf(form), values, fieldErrors: fieldErrorsOf(parsed.error.issues) }) };
}

/** A 400 (or other) answer carrying the reply; return it from the action. */
export function formFailure<Current>(reply: FormReply<Current>, status = 400) {
  return json(reply, { status });
}

/** A failure found after parsing (a duplicate code, a system row): one field's error or the form's. */
export function failWith(
  values: SubmittedValues,
  error: { field?: string | null; message: string },
  options: { intent?: string | null; status?: number } = {},
) {
  const field = error.field && error.field !== 'form' ? error.field : null;
  return formFailure(
    replyOf({
      intent: options.intent ?? null,
      values,
      fieldErrors: field ? { [field]: error.message } : {},
      formError: field ? null : error.message,
    }),
    options.status ?? 400,
  );
}

/** 409: the form was based on an older state; `current` is the newer one the form is re-based on. */
export function conflictWith<Current>(
  values: SubmittedValues,
  current: Current,
  message: string,
  options: { intent?: string | null; field?: string | null } = {},
) {
  const field = options.field && options.field !== 'form' ? options.field : null;
  return formFailure(
    replyOf({
      intent: options.intent ?? null,
      values,
      current,
      fieldErrors: field ? { [field]: message } : {},
      formError: field ? null : message,
    }),
    409,
  );
}

const VERBS: Record<SavedCode, string> = {
  created: 'created',
  updated: 'saved',
  deleted: 'deactivated',
  restored: 'restored',
  moved: 'moved',
  saved: 'saved',
};

/** The success message of a described form's write, e.g. "Area created." (verbs: per-screen wording). */
export function savedMessage(noun: string, saved: SavedCode, verbs: Partial<Record<SavedCode, string>> = {}): string {
  return `${noun} ${verbs[saved] ?? VERBS[saved]}.`;
}

/** A core write's answer, as core functions type it (DESIGN.md "Core functions … return … a typed failure"). */
export type WriteResult<Current = unknown> =
  { ok: true } | { ok: false; code: string; field?: string | null; message?: string; current?: Current | null | undefined };

const STALE_CODES = new Set(['STALE', 'STALE_VERSION']);

/**
 * The one mapping of a core write's result to HTTP: NOT_FOUND → 404 (out of scope looks like
 * missing), a stale base with the newer state → 409, any other refusal → 400 naming the field, and
 * a success → a redirect to `back` with the flash (post/redirect/get).
 */
export function answerWrite<Current>(
  ctx: AppContext,
  result: WriteResult<Current>,
  answer: { values: SubmittedValues; intent: string | null; back: string; saved: FlashInput | string },
) {
  if (result.ok) return redirectWithFlash(ctx, answer.back, answer.saved);
  if (result.code === 'NOT_FOUND') notFound();
  const message = result.message ?? 'That cannot be done.';
  if (STALE_CODES.has(result.code) && result.current)
    return conflictWith(answer.values, result.current, message, { intent: answer.intent, field: result.field });
  return failWith(answer.values, { field: result.field, message }, { intent: answer.intent });
}
