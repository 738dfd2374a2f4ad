// Field descriptions of admin forms (plain, JSON-serialisable data) and the ONE zod schema built
// from them. The same description gives the browser its hints (required, maxlength, min/max,
// inputmode) and the server its rules, so the two can never disagree. Runtime-neutral: no Remix.
// Usage: app/ui/forms/admin-form.tsx (top comment).
import { z } from "zod";

export type FieldKind = "text" | "code" | "textarea" | "number" | "boolean" | "select" | "multiselect" | "json";

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** Default true, except booleans and multiselects (never required). An optional empty value parses to null. */
  required?: boolean;
  /** text 120, code 40, textarea 2000, json 4000 unless set. */
  maxLength?: number;
  /** number: bounds and whole numbers only (integer defaults to true). */
  min?: number;
  max?: number;
  integer?: boolean;
  /** select/multiselect: the allowed values (filled per request, e.g. companies in the admin's reach). */
  options?: FieldOption[];
  /** select/multiselect: values are ids; they parse to numbers. */
  ids?: boolean;
  /** Label of the empty choice of an optional select (default "—"). */
  emptyLabel?: string;
  help?: string;
  placeholder?: string;
  /** Shown but not submitted/changed on edit (e.g. a setting's key). The server ignores it on edit. */
  createOnly?: boolean;
  /** Rendered disabled; the server never reads it. */
  readOnly?: boolean;
}

export type FieldValue = string | number | boolean | null | number[] | string[];
export type FormValues = Record<string, FieldValue>;

const DEFAULT_MAX: Partial<Record<FieldKind, number>> = { text: 120, code: 40, textarea: 2000, json: 4000 };
const CODE_PATTERN = /^[A-Za-z0-9_]+$/;

export function maxLengthOf(field: FieldSpec): number | undefined {
  return field.maxLength ?? DEFAULT_MAX[field.kind];
}

export function isRequired(field: FieldSpec): boolean {
  if (field.kind === "boolean" || field.kind === "multiselect") return false;
  return field.required ?? true;
}

/** What the browser gets as attributes: the same limits the server enforces. */
export function inputHints(field: FieldSpec) {
  const numeric = field.kind === "number";
  return {
    required: isRequired(field) || undefined,
    maxLength: numeric ? undefined : maxLengthOf(field),
    min: numeric ? field.min : undefined,
    max: numeric ? field.max : undefined,
    step: numeric ? (field.integer === false ? "any" : 1) : undefined,
    inputMode: numeric ? ("numeric" as const) : undefined,
    pattern: field.kind === "code" ? "[A-Za-z0-9_]+" : undefined,
  };
}

/** One field's schema: the raw form value(s) in, the typed value (or null) out. */
function fieldSchema(field: FieldSpec): z.ZodType<FieldValue> {
  const required = isRequired(field);
  const max = maxLengthOf(field);
  const optionValues = new Set((field.options ?? []).map((o) => o.value));
  switch (field.kind) {
    case "boolean":
      return z.unknown().transform((v) => v === "on" || v === "true" || v === "1" || v === "yes");
    case "multiselect":
      return z.unknown().transform((v, ctx) => {
        const list = (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]).map(String);
        if (list.length > 500 || list.some((x) => !optionValues.has(x))) {
          ctx.addIssue({ code: "custom", message: "Choose from the listed options only." });
          return z.NEVER;
        }
        const unique = [...new Set(list)];
        return field.ids ? unique.map(Number) : unique;
      });
    default:
      return z.unknown().transform((raw, ctx): FieldValue => {
        const fail = (message: string) => {
          ctx.addIssue({ code: "custom", message });
          return z.NEVER;
        };
        if (raw !== undefined && typeof raw !== "string") return fail("Enter one value.");
        const value = field.kind === "textarea" || field.kind === "json" ? (raw ?? "").replace(/\r\n/g, "\n").trim() : (raw ?? "").trim();
        if (value === "") return required ? fail("Required.") : null;
        if (max !== undefined && value.length > max) return fail(`At most ${max} characters (this has ${value.length}).`);
        switch (field.kind) {
          case "code":
            return CODE_PATTERN.test(value) ? value : fail("Use letters, digits and _ only.");
          case "number": {
            const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
            if (!Number.isFinite(n)) return fail("Enter a number.");
            if (field.integer !== false && !Number.isInteger(n)) return fail("Enter a whole number.");
            if (field.min !== undefined && n < field.min) return fail(`At least ${field.min}.`);
            if (field.max !== undefined && n > field.max) return fail(`At most ${field.max}.`);
            return n;
          }
          case "select":
            if (!optionValues.has(value)) return fail("Choose one of the options.");
            return field.ids ? Number(value) : value;
          case "json":
            try {
              JSON.parse(value);
              return value;
            } catch {
              return fail("Not valid JSON.");
            }
          default:
            return value;
        }
      });
  }
}

/**
 * The form's zod schema from its field descriptions. `mode: "edit"` leaves out createOnly and
 * readOnly fields (they cannot change). Extra cross-field rules: pass `refine`.
 */
export function formSchema(
  fields: readonly FieldSpec[],
  options: { mode?: "create" | "edit"; refine?: (values: FormValues, ctx: z.RefinementCtx) => void } = {},
) {
  const shape: Record<string, z.ZodType<FieldValue>> = {};
  for (const field of fields) {
    if (field.readOnly || (options.mode === "edit" && field.createOnly)) continue;
    shape[field.name] = fieldSchema(field);
  }
  const base = z.object(shape) as unknown as z.ZodType<FormValues>;
  return options.refine ? base.superRefine(options.refine) : base;
}

/** The raw text of each field as submitted (to put back into the form after an error). */
export function submittedValues(fields: readonly FieldSpec[], form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const field of fields) {
    const all = form.getAll(field.name).map((v) => (typeof v === "string" ? v.slice(0, 10_000) : ""));
    out[field.name] = field.kind === "multiselect" ? all : (all[0] ?? "");
  }
  return out;
}

/** FormData → the plain object the schema parses (repeated names become arrays for multiselects). */
export function formObject(fields: readonly FieldSpec[], form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const all = form.getAll(field.name).map((v) => (typeof v === "string" ? v : ""));
    out[field.name] = field.kind === "multiselect" ? all : all.length ? all[0] : undefined;
  }
  return out;
}

/** What a successful save did: savedMessage (app/web/form-protocol.server.ts) turns it into the flash text. */
export const SAVED_CODES = ["created", "updated", "deleted", "restored", "moved", "saved"] as const;
export type SavedCode = (typeof SAVED_CODES)[number];
