import { MonthToUpdateForm, NextbankState } from './month-to-update-form';
import { PointerBadge } from './pointer-badge';
import { TeleHistoryList } from './tele-history-list';
import { TeleStatusForm } from './tele-status-form';
import type { MonthCommandState, TeleFormAnswer, TeleHistoryItem, TeleStatusChoice } from './tele-types';

export interface TelePanelProps {
  action: string;
  client: { teleStatus: string | null; updateStatus: string | null; pointer: string | null; monthToUpdate: string | null };
  panel: {
    canEdit: boolean;
    baseTeleHistoryId: number;
    teleStatuses: TeleStatusChoice[];
    names: Record<string, string>;
    reasons: Array<{ code: string; label: string }>;
    reasonLabels: Record<string, string>;
    monthRange: { earliest: string; latest: string };
    latest: MonthCommandState | null;
    history: TeleHistoryItem[] | null;
  };
  /** A refused tele form coming back: 400 with its errors and the input kept, or 409 with the newer state. */
  answer?: TeleFormAnswer;
}

/** The FCASH tele workflow on the client page: pointer, tele status, Month to Update, NextBank state, history. */
export function TelePanel({ action, client: loaded, panel, answer }: TelePanelProps) {
  // On a 409 both forms are re-based on the newer state it brought back; the refused input is dropped.
  // (Its state is used unless the page's data, reloaded after the action, is newer still.)
  const conflict = answer?.current ?? null;
  const rebased = conflict && conflict.baseTeleHistoryId > panel.baseTeleHistoryId ? conflict : null;
  const client = rebased ?? loaded;
  const base = rebased?.baseTeleHistoryId ?? panel.baseTeleHistoryId;
  const of = (form: string) => (answer?.intent === form && !conflict ? answer : undefined);
  // The forms take one map of errors: the fields' and the whole form's (as "form").
  const errorsOf = (form: string) => {
    const r = of(form);
    return r ? { ...r.fieldErrors, ...(r.formError ? { form: r.formError } : {}) } : undefined;
  };
  const valuesOf = (form: string) => of(form)?.values as Record<string, string> | undefined;
  const waiting = panel.latest?.status === 'pending' || panel.latest?.status === 'sent';
  const name = (code: string | null) => (code ? (panel.names[code] ?? code) : '—');
  return (
    <section className="card" aria-label="Tele workflow" data-testid="tele-panel">
      <h2>Tele workflow</h2>
      <p>
        <PointerBadge pointer={client.pointer} />{' '}
        <span data-testid="tele-current">
          {name(client.teleStatus)} / {name(client.updateStatus)}
        </span>
        {' · '}Month to Update <strong data-testid="tele-month">{client.monthToUpdate ?? '—'}</strong>
      </p>
      {conflict ? (
        <p className="banner error" role="alert" data-testid="tele-conflict">
          {answer?.formError}
        </p>
      ) : null}
      <NextbankState action={action} latest={panel.latest} canRetry={panel.canEdit} error={of('nextbank-retry')?.formError ?? undefined} />
      {panel.canEdit ? (
        <div className="grid-2" key={base}>
          <TeleStatusForm
            action={action}
            teleStatuses={panel.teleStatuses}
            reasons={panel.reasons}
            current={{ teleStatus: client.teleStatus, updateStatus: client.updateStatus }}
            base={base}
            errors={errorsOf('tele-status')}
            values={valuesOf('tele-status')}
          />
          <MonthToUpdateForm
            action={action}
            current={client.monthToUpdate}
            min={panel.monthRange.earliest}
            max={panel.monthRange.latest}
            waiting={waiting}
            base={base}
            errors={errorsOf('month-to-update')}
            values={valuesOf('month-to-update')}
          />
        </div>
      ) : null}
      <h3>Tele history</h3>
      {panel.history ? (
        <TeleHistoryList items={panel.history} names={panel.names} reasons={panel.reasonLabels} />
      ) : (
        <p className="muted">You cannot read the tele history.</p>
      )}
    </section>
  );
}
