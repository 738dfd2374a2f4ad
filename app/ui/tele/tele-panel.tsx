import { MonthToUpdateForm, NextbankState } from "./month-to-update-form";
import { PointerBadge } from "./pointer-badge";
import { TeleHistoryList } from "./tele-history-list";
import { TeleStatusForm } from "./tele-status-form";
import type { MonthCommandState, TeleFormAnswer, TeleHistoryItem, TeleStatusChoice } from "./tele-types";

export interface TelePanelProps {
  action: string;
  client: { teleStatus: string | null; updateStatus: string | null; pointer: string | null; monthToUpdate: string | null };
  panel: {
    canEdit: boolean;
    teleStatuses: TeleStatusChoice[];
    names: Record<string, string>;
    reasons: Array<{ code: string; label: string }>;
    reasonLabels: Record<string, string>;
    monthRange: { earliest: string; latest: string };
    latest: MonthCommandState | null;
    history: TeleHistoryItem[] | null;
  };
  /** A refused tele form coming back (400), to show its errors with the input kept. */
  answer?: TeleFormAnswer;
}

/** The FCASH tele workflow on the client page: pointer, tele status, Month to Update, NextBank state, history. */
export function TelePanel({ action, client, panel, answer }: TelePanelProps) {
  const of = (form: string) => (answer?.form === form ? answer : undefined);
  const waiting = panel.latest?.status === "pending" || panel.latest?.status === "sent";
  const name = (code: string | null) => (code ? panel.names[code] ?? code : "—");
  return (
    <section className="card" aria-label="Tele workflow" data-testid="tele-panel">
      <h2>Tele workflow</h2>
      <p>
        <PointerBadge pointer={client.pointer} />{" "}
        <span data-testid="tele-current">{name(client.teleStatus)} / {name(client.updateStatus)}</span>
        {" · "}Month to Update <strong data-testid="tele-month">{client.monthToUpdate ?? "—"}</strong>
      </p>
      <NextbankState action={action} latest={panel.latest} canRetry={panel.canEdit} error={of("nextbank-retry")?.errors.form} />
      {panel.canEdit ? (
        <div className="grid-2">
          <TeleStatusForm action={action} teleStatuses={panel.teleStatuses} reasons={panel.reasons}
            current={{ teleStatus: client.teleStatus, updateStatus: client.updateStatus }}
            errors={of("tele-status")?.errors} values={of("tele-status")?.values} />
          <MonthToUpdateForm action={action} current={client.monthToUpdate} min={panel.monthRange.earliest} max={panel.monthRange.latest}
            waiting={waiting} errors={of("month-to-update")?.errors} values={of("month-to-update")?.values} />
        </div>
      ) : null}
      <h3>Tele history</h3>
      {panel.history ? <TeleHistoryList items={panel.history} names={panel.names} reasons={panel.reasonLabels} />
        : <p className="muted">You cannot read the tele history.</p>}
    </section>
  );
}
