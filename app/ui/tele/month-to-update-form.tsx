import { Form, useNavigation } from '@remix-run/react';
import { formatDateTime } from '../format';
import type { MonthCommandState } from './tele-types';

/** The latest Month to Update command as the agent needs to see it: waiting, confirmed, or failed with a retry. */
export function NextbankState({ action, latest, canRetry, error }: { action: string; latest: MonthCommandState | null; canRetry: boolean; error?: string }) {
  const nav = useNavigation();
  const busy = nav.state !== 'idle' && nav.formData?.get('intent') === 'nextbank-retry';
  if (!latest)
    return error ? (
      <p className="banner error" role="alert">
        {error}
      </p>
    ) : null;
  if (latest.status === 'pending' || latest.status === 'sent') {
    return (
      <p className="banner" role="status" data-testid="nextbank-waiting">
        {error ? <span className="error">{error} </span> : null}
        Waiting for NextBank: Month to Update {latest.monthToUpdate} {latest.status === 'sent' ? 'was sent and is not confirmed yet' : 'is queued'}.
        {latest.error ? <span className="muted"> Last attempt: {latest.error}</span> : null}
      </p>
    );
  }
  if (latest.status === 'confirmed') {
    return (
      <>
        {error ? (
          <p className="banner error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted" data-testid="nextbank-confirmed">
          NextBank confirmed Month to Update {latest.monthToUpdate} · {formatDateTime(latest.confirmedAt)}
        </p>
      </>
    );
  }
  return (
    <div className="banner error" role="alert" data-testid="nextbank-failed">
      <p>
        NextBank did not take Month to Update {latest.monthToUpdate}: {latest.error ?? 'no answer'}.
      </p>
      {error ? <p className="error">{error}</p> : null}
      {canRetry ? (
        <Form method="post" action={action}>
          <input type="hidden" name="intent" value="nextbank-retry" />
          <input type="hidden" name="historyId" value={latest.id} />
          <button type="submit" disabled={busy}>
            {busy ? 'Queuing…' : 'Retry'}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** The Month to Update date; saving it queues the NextBank command (the server checks every rule). */
export function MonthToUpdateForm(props: {
  action: string;
  current: string | null;
  min: string;
  max: string;
  waiting: boolean;
  /** The newest tele history row this form is based on (decision 045). */
  base: number;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const nav = useNavigation();
  const busy = nav.state !== 'idle' && nav.formData?.get('intent') === 'month-to-update';
  const error = props.errors?.monthToUpdate ?? props.errors?.form;
  return (
    <Form method="post" action={props.action} className="form" aria-label="Send Month to Update" data-testid="month-form">
      <input type="hidden" name="intent" value="month-to-update" />
      <input type="hidden" name="baseTeleHistoryId" value={props.values?.baseTeleHistoryId ?? String(props.base)} />
      <div className="field">
        <label htmlFor="t-month">Month to Update</label>
        <input
          id="t-month"
          name="monthToUpdate"
          type="date"
          min={props.min}
          max={props.max}
          required
          defaultValue={props.values?.monthToUpdate ?? props.current ?? ''}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 't-month-error' : undefined}
        />
        {error ? (
          <p id="t-month-error" className="error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={busy || props.waiting}>
        {busy ? 'Saving…' : 'Save and send to NextBank'}
      </button>
    </Form>
  );
}
