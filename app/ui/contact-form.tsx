import { Form } from '@remix-run/react';
import { Field } from './field';
import { fieldProps } from '../core/config/form-fields';
import { contactFields } from '../core/clients/contact-form-fields';

/** The client's contact numbers, editable by clients:update (works without JavaScript). */
export function ContactForm(props: {
  action: string;
  current: { contactNumber: string | null; contactNumberAlt: string | null };
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const value = (name: 'contactNumber' | 'contactNumberAlt') => props.values?.[name] ?? props.current[name] ?? '';
  return (
    <Form method="post" action={props.action} className="card" data-testid="contact-form" aria-label="Contact numbers">
      <input type="hidden" name="intent" value="contact" />
      {props.errors?.form ? (
        <p className="banner error" role="alert">
          {props.errors.form}
        </p>
      ) : null}
      <Field
        {...fieldProps(contactFields.contactNumber)}
        type="tel"
        autoComplete="off"
        defaultValue={value('contactNumber')}
        error={props.errors?.contactNumber}
      />
      <Field
        {...fieldProps(contactFields.contactNumberAlt)}
        type="tel"
        autoComplete="off"
        defaultValue={value('contactNumberAlt')}
        error={props.errors?.contactNumberAlt}
      />
      <p className="muted">Mobile 0917 123 4567 or +63 917 123 4567; landline with area code, e.g. (02) 8123 4567.</p>
      <button type="submit">Save contact numbers</button>
    </Form>
  );
}
