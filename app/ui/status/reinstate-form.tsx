import { Form } from '@remix-run/react';
import { valueOf, type FormReply } from '../../core/forms/form-reply';
import { inputHints } from '../../core/config/form-fields';
import { remarksField } from '../../core/status/status-form-fields';

/** An admin's reinstatement of a terminal client (status:revert), with the remarks it needs. */
export function ReinstateForm({ action, periods, answer }: { action: string; periods: string[]; answer?: FormReply }) {
  const error = answer?.fieldErrors.remarks ?? answer?.formError;
  return (
    <details className="card" open={Boolean(answer)} data-testid="reinstate">
      <summary>Terminal since {periods[0]}: reinstate</summary>
      <Form method="post" action={action} className="form" aria-label="Reinstate client">
        <input type="hidden" name="intent" value="reinstate" />
        <p className="muted">Clears the terminal mark of {periods.join(', ')}, so the client is included again from the next period initialization.</p>
        <div className="field">
          <label htmlFor="r-remarks">Why (required)</label>
          <textarea
            id="r-remarks"
            name="remarks"
            {...inputHints({ ...remarksField, required: true })}
            rows={2}
            defaultValue={valueOf(answer, 'remarks') ?? ''}
            aria-invalid={error ? true : undefined}
          />
          {error ? <p className="error">{error}</p> : null}
        </div>
        <button type="submit">Reinstate client</button>
      </Form>
    </details>
  );
}
