import { useState } from 'react';
import { Form } from '@remix-run/react';
import { ReasonOptions } from '../status/reason-options';
import { inputHints } from '../../core/config/form-fields';
import { remarksField } from '../../core/status/status-form-fields';

type Status = { id: number; name: string };
type Reason = { id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean };

/** One row's status in three interactions: status, reason, save (payment and remarks optional). */
export function QuickStatusForm(props: {
  clientId: number;
  version: number;
  periodKey: string;
  statusTypeId: number;
  hasPayment: boolean;
  statuses: Status[];
  reasons: Reason[];
  returnTo: string;
}) {
  const p = `r${props.clientId}`;
  const [status, setStatus] = useState(String(props.statusTypeId));
  return (
    <Form method="post" className="quick" aria-label={`Status of client ${props.clientId}`}>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="clientId" value={props.clientId} />
      <input type="hidden" name="periodKey" value={props.periodKey} />
      <input type="hidden" name="baseVersion" value={props.version} />
      <input type="hidden" name="returnTo" value={props.returnTo} />
      <label className="sr-only" htmlFor={`${p}-s`}>
        Status
      </label>
      <select id={`${p}-s`} name="statusTypeId" value={status} onChange={(e) => setStatus(e.target.value)}>
        {props.statuses.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor={`${p}-r`}>
        Reason
      </label>
      <select id={`${p}-r`} name="reasonId" defaultValue="">
        <option value="">Reason…</option>
        <ReasonOptions statuses={props.statuses} reasons={props.reasons} statusId={status} />
      </select>
      <label className="sr-only" htmlFor={`${p}-m`}>
        Remarks
      </label>
      <input id={`${p}-m`} name="remarks" placeholder="Remarks" {...inputHints(remarksField)} />
      <label className="sr-only" htmlFor={`${p}-p`}>
        Payment
      </label>
      <select id={`${p}-p`} name="hasPayment" defaultValue={props.hasPayment ? 'yes' : 'no'}>
        <option value="no">No payment</option>
        <option value="yes">Paid</option>
      </select>
      <button type="submit">Save</button>
    </Form>
  );
}
