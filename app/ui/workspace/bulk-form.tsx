import { useState } from 'react';
import { Form, useNavigation } from '@remix-run/react';
import { ReasonOptions } from '../status/reason-options';
import { inputHints } from '../../core/config/form-fields';
import { remarksField } from '../../core/status/status-form-fields';

type Status = { id: number; name: string };
type Reason = { id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean };

/** One status for the selected rows (checkboxes below point at this form with form="bulk-form"). */
export function BulkForm({ periodKey, statuses, reasons }: { periodKey: string; statuses: Status[]; reasons: Reason[] }) {
  const busy = useNavigation().formData?.get('intent') === 'bulk';
  const [status, setStatus] = useState(String(statuses[0]?.id ?? ''));
  return (
    <Form method="post" id="bulk-form" className="card quick" aria-label="Bulk update of the selected clients">
      <strong>Selected clients:</strong>
      <input type="hidden" name="intent" value="bulk" />
      <input type="hidden" name="periodKey" value={periodKey} />
      <label className="sr-only" htmlFor="b-status">
        Status
      </label>
      <select id="b-status" name="statusTypeId" value={status} onChange={(e) => setStatus(e.target.value)}>
        {statuses.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="b-reason">
        Reason
      </label>
      <select id="b-reason" name="reasonId" defaultValue="">
        <option value="">Reason…</option>
        <ReasonOptions statuses={statuses} reasons={reasons} statusId={status} />
      </select>
      <label className="sr-only" htmlFor="b-remarks">
        Remarks
      </label>
      <input id="b-remarks" name="remarks" placeholder="Remarks" {...inputHints(remarksField)} />
      <label className="sr-only" htmlFor="b-payment">
        Payment
      </label>
      <select id="b-payment" name="hasPayment" defaultValue="no">
        <option value="no">No payment</option>
        <option value="yes">Paid</option>
      </select>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Update selected'}
      </button>
    </Form>
  );
}
