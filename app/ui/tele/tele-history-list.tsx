import { formatDateTime } from '../format';
import type { TeleHistoryItem } from './tele-types';

const ACTIONS: Record<TeleHistoryItem['action'], string> = { status: 'Tele status', month_to_update: 'Month to Update', retry: 'Retry' };

/** JSON on one line, cut short. */
function compact(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

type Sent = { path?: string; idempotencyKey?: string; body?: { customerId?: string; customFields?: Array<{ name?: string; value?: string }> } };
type Answer = { httpStatus?: number; replayed?: boolean; code?: string; body?: { status?: string; commandId?: string } };

/** What was sent, as the agent reads it: the command, the customer, the field and the key's start. */
function sentSummary(value: unknown): string | null {
  const r = value as Sent | null;
  if (!r?.body?.customFields) return compact(value);
  const fields = r.body.customFields.map((f) => `${f.name} = ${f.value}`).join(', ');
  return `${r.path ?? ''} · customer ${r.body.customerId ?? '?'} · ${fields} · key ${(r.idempotencyKey ?? '').slice(0, 8)}…`;
}

function answerSummary(value: unknown): string | null {
  const r = value as Answer | null;
  if (typeof r?.httpStatus !== 'number') return compact(value);
  return [`HTTP ${r.httpStatus}`, r.body?.status, r.body?.commandId, r.code, r.replayed ? 'replayed' : null].filter(Boolean).join(' · ');
}

/** A one-line summary with the full JSON one click away. */
function Exchange({ label, summary, value }: { label: string; summary: string | null; value: unknown }) {
  if (!summary) return null;
  return (
    <details className="muted">
      <summary>
        {label}: <code>{summary}</code>
      </summary>
      <code>{JSON.stringify(value)}</code>
    </details>
  );
}

/** Every tele action, newest first, with what went to NextBank and what came back. */
export function TeleHistoryList({ items, names, reasons }: { items: TeleHistoryItem[]; names: Record<string, string>; reasons: Record<string, string> }) {
  if (items.length === 0) return <p className="muted">No tele history yet.</p>;
  return (
    <ol className="history" data-testid="tele-history">
      {items.map((h) => {
        return (
          <li key={h.id} data-testid="tele-history-row">
            <strong>{ACTIONS[h.action]}</strong>
            {h.action === 'status' ? ` · ${names[h.teleStatus ?? ''] ?? h.teleStatus ?? '—'} / ${names[h.updateStatus ?? ''] ?? h.updateStatus ?? '—'}` : ''}
            {h.action !== 'status' && h.monthToUpdate ? ` · ${h.monthToUpdate}` : ''}
            {h.nextbankStatus ? (
              <>
                {' '}
                · NextBank{' '}
                <span className="badge" data-testid="tele-history-nextbank">
                  {h.nextbankStatus}
                </span>
              </>
            ) : null}
            {h.reason ? ` · ${reasons[h.reason] ?? h.reason}` : ''}
            <div className="muted">
              {h.by ?? 'system'} · {formatDateTime(h.createdAt)}
              {h.pointerAfter && h.pointerAfter !== h.pointerBefore ? ` · pointer ${h.pointerBefore ?? 'current'} → ${h.pointerAfter}` : ''}
            </div>
            {h.remarks ? <div>{h.remarks}</div> : null}
            {h.error ? <div className="error">{h.error}</div> : null}
            <Exchange label="sent" summary={sentSummary(h.nextbankRequest)} value={h.nextbankRequest} />
            <Exchange label="answer" summary={answerSummary(h.nextbankResponse)} value={h.nextbankResponse} />
          </li>
        );
      })}
    </ol>
  );
}
