// The zod half of the admin form block: the ONE schema built from a form's field descriptions
// (app/core/config/form-fields.ts), and FormData read the way that schema parses it. Server-only
// (decision 081): the browser gets the same limits as hints from form-fields.ts, never zod.
import { z } from 'zod';
import { isRequired, maxLengthOf, type FieldSpec, type FieldValue, type FormValues } from './form-fields';

const CODE_PATTERN = /^[A-Za-z0-9_]+$/;

/** One field's schema: the raw form value(s) in, the typed value (or null) out. */
function fieldSchema(field: FieldSpec): z.ZodType<FieldValue> {
  const required = isRequired(field);
  const max = maxLengthOf(field);
  const optionValues = new Set((field.options ?? []).map((o) => o.value));
  switch (field.kind) {
    case 'boolean':
      return z.unknown().transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes');
    case 'multiselect':
      return z.unknown().transform((v, ctx) => {
        const list = (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String);
        if (list.length > 500 || list.some((x) => !optionValues.has(x))) {
          ctx.addIssue({ code: 'custom', message: 'Choose from the listed options only.' });
          return z.NEVER;
        }
        const unique = [...new Set(list)];
        return field.ids ? unique.map(Number) : unique;
      });
    default:
      return z.unknown().transform((raw, ctx): FieldValue => {
        const fail = (message: string) => {
          ctx.addIssue({ code: 'custom', message });
          return z.NEVER;
        };
        if (raw !== undefined && typeof raw !== 'string') return fail('Enter one value.');
        const value = field.kind === 'textarea' || field.kind === 'json' ? (raw ?? '').replace(/\r\n/g, '\n').trim() : (raw ?? '').trim();
        if (value === '') return required ? fail('Required.') : null;
        if (max !== undefined && value.length > max) return fail(`At most ${max} characters (this has ${value.length}).`);
        switch (field.kind) {
          case 'code':
            return CODE_PATTERN.test(value) ? value : fail('Use letters, digits and _ only.');
          case 'number': {
            const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
            if (!Number.isFinite(n)) return fail('Enter a number.');
            if (field.integer !== false && !Number.isInteger(n)) return fail('Enter a whole number.');
            if (field.min !== undefined && n < field.min) return fail(`At least ${field.min}.`);
            if (field.max !== undefined && n > field.max) return fail(`At most ${field.max}.`);
            return n;
          }
          case 'select':
            if (!optionValues.has(value)) return fail('Choose one of the options.');
            return field.ids ? Number(value) : value;
          case 'json':
            try {
              JSON.parse(value);
              return value;
            } catch {
              return fail('Not valid JSON.');
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
  options: { mode?: 'create' | 'edit'; refine?: (values: FormValues, ctx: z.RefinementCtx) => void } = {},
) {
  const shape: Record<string, z.ZodType<FieldValue>> = {};
  for (const field of fields) {
    if (field.readOnly || (options.mode === 'edit' && field.createOnly)) continue;
    shape[field.name] = fieldSchema(field);
  }
  const base = z.object(shape) as unknown as z.ZodType<FormValues>;
  return options.refine ? base.superRefine(options.refine) : base;
}

/** The raw text of each field as submitted (to put back into the form after an error). */
export function submittedValues(fields: readonly FieldSpec[], form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const field of fields) {
    const all = form.getAll(field.name).map((v) => (typeof v === 'string' ? v.slice(0, 10_000) : ''));
    out[field.name] = field.kind === 'multiselect' ? all : (all[0] ?? '');
  }
  return out;
}

/** FormData → the plain object the schema parses (repeated names become arrays for multiselects). */
export function formObject(fields: readonly FieldSpec[], form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const all = form.getAll(field.name).map((v) => (typeof v === 'string' ? v : ''));
    out[field.name] = field.kind === 'multiselect' ? all : all.length ? all[0] : undefined;
  }
  return out;
}
