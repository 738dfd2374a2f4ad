// Field descriptions of admin forms (plain, JSON-serialisable data). The same description gives the
// browser its hints (required, maxlength, min/max, inputmode) and the server its rules (the ONE zod
// schema: form-schema.server.ts), so the two can never disagree. Runtime-neutral: no Remix. No zod
// here: this module reaches the browser (decision 081). Usage: app/ui/forms/admin-form.tsx (top comment).

export type FieldKind = 'text' | 'code' | 'textarea' | 'number' | 'boolean' | 'select' | 'multiselect' | 'json';

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

export function maxLengthOf(field: FieldSpec): number | undefined {
  return field.maxLength ?? DEFAULT_MAX[field.kind];
}

export function isRequired(field: FieldSpec): boolean {
  if (field.kind === 'boolean' || field.kind === 'multiselect') return false;
  return field.required ?? true;
}

/** What the browser gets as attributes: the same limits the server enforces. */
export function inputHints(field: FieldSpec) {
  const numeric = field.kind === 'number';
  return {
    required: isRequired(field) || undefined,
    maxLength: numeric ? undefined : maxLengthOf(field),
    min: numeric ? field.min : undefined,
    max: numeric ? field.max : undefined,
    step: numeric ? (field.integer === false ? 'any' : 1) : undefined,
    inputMode: numeric ? ('numeric' as const) : undefined,
    pattern: field.kind === 'code' ? '[A-Za-z0-9_]+' : undefined,
  };
}

/** What a successful save did: savedMessage (app/web/form-protocol.server.ts) turns it into the flash text. */
export const SAVED_CODES = ['created', 'updated', 'deleted', 'restored', 'moved', 'saved'] as const;
export type SavedCode = (typeof SAVED_CODES)[number];

/** A described field's name, label and hints as the Field component takes them (hand-laid-out forms). */
export function fieldProps(field: FieldSpec) {
  return { name: field.name, label: field.label, required: isRequired(field) || undefined, maxLength: maxLengthOf(field) };
}
