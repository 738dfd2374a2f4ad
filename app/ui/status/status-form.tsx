import { useState } from 'react';
import { Form, useNavigation } from '@remix-run/react';
import { ReasonOptions } from './reason-options';
import { inputHints } from '../../core/config/form-fields';
import { remarksField } from '../../core/status/status-form-fields';

type Status = { id: number; code: string; name: string };
type Reason = { id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean };
export type StatusFormState = { statusTypeId: number; statusReasonId: number | null; remarks: string | null; hasPayment: boolean; version: number };

/**
 * Records a status: only the company's workflow statuses, their reasons grouped under each status
 * (terminal and remarks-required marked), remarks, and an explicit payment yes/no. Plain form: works
 * without JavaScript; with it, the button shows the pending state.
 */
export function StatusForm(props: {
  action: string;
  periodKey: string;
  statuses: Status[];
  reasons: Reason[];
  current: StatusFormState;
  errors?: Record<string, string | undefined>;
  values?: Partial<Record<string, string>>;
}) {
  const nav = useNavigation();
  const busy = nav.state !== 'idle' && nav.formData?.get('intent') === 'status';
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  const [status, setStatus] = useState(v.statusTypeId ?? String(props.current.statusTypeId));
  const payment = v.hasPayment ?? (props.current.hasPayment ? 'yes' : 'no');
  return (
    <Form method="post" action={props.action} className="card form" aria-label="Record status">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="periodKey" value={props.periodKey} />
      <input type="hidden" name="baseVersion" value={props.current.version} />
      <div className="field">
        <label htmlFor="s-status">Status</label>
        <select
          id="s-status"
          name="statusTypeId"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          aria-invalid={errors.statusTypeId ? true : undefined}
        >
          {props.statuses.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        {errors.statusTypeId ? <p className="error">{errors.statusTypeId}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="s-reason">Reason</label>
        <select id="s-reason" name="reasonId" defaultValue={v.reasonId ?? ''} aria-invalid={errors.reasonId ? true : undefined}>
          <option value="">No reason</option>
          <ReasonOptions statuses={props.statuses} reasons={props.reasons} statusId={status} />
        </select>
        {errors.reasonId ? <p className="error">{errors.reasonId}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="s-remarks">Remarks</label>
        <textarea
          id="s-remarks"
          name="remarks"
          {...inputHints(remarksField)}
          rows={2}
          defaultValue={v.remarks ?? ''}
          aria-invalid={errors.remarks ? true : undefined}
        />
        {errors.remarks ? <p className="error">{errors.remarks}</p> : null}
      </div>
      <fieldset className="field">
        <legend>Payment this period</legend>
        <label>
          <input type="radio" name="hasPayment" value="yes" defaultChecked={payment === 'yes'} /> Yes
        </label>{' '}
        <label>
          <input type="radio" name="hasPayment" value="no" defaultChecked={payment === 'no'} /> No
        </label>
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save status'}
      </button>
    </Form>
  );
}
