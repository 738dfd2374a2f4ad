import { inputHints, isRequired, type FieldSpec } from '../../core/config/form-fields';

export type ShownValue = string | number | boolean | null | undefined | readonly (string | number)[];

const asText = (v: ShownValue): string => (v === null || v === undefined ? '' : Array.isArray(v) ? String(v[0] ?? '') : String(v));
const asList = (v: ShownValue): string[] => (Array.isArray(v) ? v.map(String) : v === null || v === undefined || v === '' ? [] : [String(v)]);
const asChecked = (v: ShownValue): boolean => v === true || v === 'on' || v === 'true' || v === '1' || v === 1;

/**
 * One described field: label, the input with the server's limits as browser hints, the error
 * right under it (aria-describedby) and the value to show (the kept input after an error).
 */
export function FieldInput({
  field,
  value,
  error,
  idPrefix = 'f',
  disabled,
}: {
  field: FieldSpec;
  value: ShownValue;
  error?: string;
  idPrefix?: string;
  disabled?: boolean;
}) {
  const id = `${idPrefix}-${field.name}`;
  const hints = inputHints(field);
  const described = [error ? `${id}-error` : null, field.help ? `${id}-help` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    disabled: disabled || field.readOnly,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
  };
  let input: React.ReactNode;
  switch (field.kind) {
    case 'boolean':
      input = <input type="checkbox" {...common} defaultChecked={asChecked(value)} />;
      break;
    case 'textarea':
    case 'json':
      input = (
        <textarea
          {...common}
          rows={field.kind === 'json' ? 4 : 3}
          defaultValue={asText(value)}
          required={hints.required}
          maxLength={hints.maxLength}
          placeholder={field.placeholder}
          className={field.kind === 'json' ? 'mono' : undefined}
        />
      );
      break;
    case 'select':
      input = (
        <select {...common} defaultValue={asText(value)} required={hints.required}>
          {!isRequired(field) || asText(value) === '' ? <option value="">{isRequired(field) ? 'Choose…' : (field.emptyLabel ?? '—')}</option> : null}
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'multiselect': {
      const chosen = new Set(asList(value));
      return (
        <fieldset className="field" aria-invalid={error ? true : undefined} aria-describedby={described}>
          <legend>{field.label}</legend>
          {(field.options ?? []).map((o) => (
            <label key={o.value} className="check">
              <input type="checkbox" name={field.name} value={o.value} defaultChecked={chosen.has(o.value)} disabled={disabled || field.readOnly} /> {o.label}
            </label>
          ))}
          {field.help ? (
            <p id={`${id}-help`} className="muted">
              {field.help}
            </p>
          ) : null}
          {error ? (
            <p id={`${id}-error`} className="error">
              {error}
            </p>
          ) : null}
        </fieldset>
      );
    }
    default:
      input = (
        <input
          type={field.kind === 'number' ? 'number' : 'text'}
          {...common}
          defaultValue={asText(value)}
          {...hints}
          placeholder={field.placeholder}
          autoComplete="off"
        />
      );
  }
  return (
    <div className={field.kind === 'boolean' ? 'field check' : 'field'}>
      {field.kind === 'boolean' ? (
        <label htmlFor={id}>
          {input} {field.label}
        </label>
      ) : (
        <>
          <label htmlFor={id}>{field.label}</label>
          {input}
        </>
      )}
      {field.help ? (
        <p id={`${id}-help`} className="muted">
          {field.help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
