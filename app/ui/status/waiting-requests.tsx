import { formatDateTime } from '../format';

export interface WaitingItem {
  id: number;
  /** What the request would change, in words ("Status to Pending, November 2026"). */
  what: string;
  makerName: string;
  askedAt: string;
  remark: string;
}

/** The client page's notice of changes waiting for a checker (decision 117): nothing changes until one decides. */
export function WaitingRequests({ items }: { items: WaitingItem[] }) {
  return (
    <section className="banner waiting" aria-labelledby="waiting-title" data-testid="waiting-requests">
      <h2 id="waiting-title">Waiting for a checker</h2>
      <ul>
        {items.map((r) => (
          <li key={r.id} data-testid="waiting-request">
            {r.what}: asked by {r.makerName}, {formatDateTime(r.askedAt)} (request {r.id}). “{r.remark}”
          </li>
        ))}
      </ul>
    </section>
  );
}
