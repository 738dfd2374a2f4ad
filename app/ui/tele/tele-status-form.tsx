import { useState } from 'react';
import { Form, useNavigation } from '@remix-run/react';
import { useHydrated } from '../status/reason-options';
import type { TeleStatusChoice } from './tele-types';
import { inputHints } from '../../core/config/form-fields';
import { remarksField } from '../../core/status/status-form-fields';

/**
 * Tele status + update status. Without JavaScript every tele status's update statuses are listed
 * in groups and the server checks the pair; with it, only the chosen tele status's are offered and
 * the reason/remarks requirement follows the choice.
 */
export function TeleStatusForm(props: {
  action: string;
  teleStatuses: TeleStatusChoice[];
  reasons: Array<{ code: string; label: string }>;
  current: { teleStatus: string | null; updateStatus: string | null };
  /** The newest tele history row this form is based on (decision 045). */
  base: number;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const hydrated = useHydrated();
  const nav = useNavigation();
  const busy = nav.state !== 'idle' && nav.formData?.get('intent') === 'tele-status';
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  const [tele, setTele] = useState(v.teleStatus ?? props.current.teleStatus ?? props.teleStatuses[0]?.code ?? '');
  const chosen = props.teleStatuses.find((t) => t.code === tele);
  const groups = hydrated ? props.teleStatuses.filter((t) => t.code === tele) : props.teleStatuses;
  const needs = (flag: 'requiresReason' | 'requiresRemarks') =>
    hydrated
      ? chosen?.[flag]
        ? ' (required)'
        : ' (optional)'
      : ` (required for ${
          props.teleStatuses
            .filter((t) => t[flag])
            .map((t) => t.name)
            .join(', ') || 'none'
        })`;
  return (
    <Form method="post" action={props.action} className="form" aria-label="Record tele status" data-testid="tele-status-form">
      <input type="hidden" name="intent" value="tele-status" />
      {/* A refused (400) form keeps the base it was loaded with, so a newer save is never overwritten. */}
      <input type="hidden" name="baseTeleHistoryId" value={v.baseTeleHistoryId ?? String(props.base)} />
      {errors.form ? (
        <p className="banner error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="t-tele">Tele status</label>
        <select id="t-tele" name="teleStatus" value={tele} onChange={(e) => setTele(e.target.value)} aria-invalid={errors.teleStatus ? true : undefined}>
          {props.teleStatuses.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </select>
        {errors.teleStatus ? <p className="error">{errors.teleStatus}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="t-update">Update status</label>
        <select
          id="t-update"
          name="updateStatus"
          key={hydrated ? tele : 'all'}
          aria-invalid={errors.updateStatus ? true : undefined}
          defaultValue={v.updateStatus ?? (tele === props.current.teleStatus ? (props.current.updateStatus ?? undefined) : undefined)}
        >
          {groups.map((t) => (
            <optgroup key={t.code} label={t.name}>
              {t.updateStatuses.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {errors.updateStatus ? <p className="error">{errors.updateStatus}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="t-reason">Reason{needs('requiresReason')}</label>
        <select id="t-reason" name="reason" defaultValue={v.reason ?? ''} aria-invalid={errors.reason ? true : undefined}>
          <option value="">No reason</option>
          {props.reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label}
            </option>
          ))}
        </select>
        {errors.reason ? <p className="error">{errors.reason}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="t-remarks">Remarks{needs('requiresRemarks')}</label>
        <textarea
          id="t-remarks"
          name="remarks"
          {...inputHints(remarksField)}
          rows={2}
          defaultValue={v.remarks ?? ''}
          aria-invalid={errors.remarks ? true : undefined}
        />
        {errors.remarks ? <p className="error">{errors.remarks}</p> : null}
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save tele status'}
      </button>
    </Form>
  );
}
