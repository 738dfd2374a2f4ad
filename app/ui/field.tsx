/** A labelled input with its error below it and the user's input kept (one pattern for every form). */
export function Field(props: {
  name: string;
  label: string;
  type?: string;
  defaultValue?: string | null;
  error?: string;
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
}) {
  const id = `field-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={props.defaultValue ?? undefined}
        required={props.required}
        maxLength={props.maxLength}
        autoComplete={props.autoComplete}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.error ? (
        <p id={`${id}-error`} className="error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
