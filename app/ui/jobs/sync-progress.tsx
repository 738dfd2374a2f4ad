import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { SyncProgress } from '../../core/jobs/sync-requests.server';
import { formatDateTime } from '../format';

export const POLL_MS = 2000;
const STATUS_TEXT: Record<string, string> = {
  pending: 'Waiting for the service',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const n = (v: number) => v.toLocaleString('en-PH');

/** One sync's state: a progress bar (indeterminate until the service knows the total) and its counters. */
export function SyncProgressCard({ progress, refreshHref }: { progress: SyncProgress; refreshHref?: string }) {
  const p = progress;
  return (
    <section className="card" data-testid="sync-progress" aria-live="polite" data-status={p.status}>
      <h2>
        Sync #{p.id} · {p.mode}
        {p.isDryRun ? ' · dry run (preview, nothing is written)' : ''}
      </h2>
      <p>
        <span className={`badge ${p.status === 'done' ? 'DONE' : p.active ? 'PENDING' : ''}`} data-testid="sync-status">
          {STATUS_TEXT[p.status] ?? p.status}
        </span>
        {p.message ? <span className="muted"> · {p.message}</span> : null}
      </p>
      <ProgressBar percent={p.percent} label={`Sync ${p.id} progress`} />
      <p data-testid="sync-progress-text">
        {p.percent === null ? (p.active ? 'Counting rows…' : '') : `${p.percent}%`}
        {p.done !== null && p.total !== null ? ` · ${n(p.done)} of ${n(p.total)} rows` : null}
      </p>
      <dl className="facts">
        <dt>Rows read</dt>
        <dd data-testid="sync-rows-read">{n(p.counts.read)}</dd>
        <dt>Created</dt>
        <dd>{n(p.counts.inserted)}</dd>
        <dt>Updated</dt>
        <dd>{n(p.counts.updated)}</dd>
        <dt>Unchanged</dt>
        <dd>{n(p.counts.unchanged)}</dd>
        <dt>Rejected</dt>
        <dd data-testid="sync-rows-rejected">{n(p.counts.rejected)}</dd>
        <dt>Deactivated</dt>
        <dd>{n(p.counts.deactivated)}</dd>
        {p.startedAt ? (
          <>
            <dt>Started</dt>
            <dd>{formatDateTime(p.startedAt)}</dd>
          </>
        ) : null}
        {p.finishedAt ? (
          <>
            <dt>Finished</dt>
            <dd>{formatDateTime(p.finishedAt)}</dd>
          </>
        ) : null}
      </dl>
      {p.error ? (
        <p className="banner error" role="alert" data-testid="sync-error">
          {p.error}
        </p>
      ) : null}
      {p.active && refreshHref ? (
        <p>
          <a href={refreshHref} data-testid="sync-refresh">
            Refresh
          </a>{' '}
          <span className="muted">(updates by itself with JavaScript on)</span>
        </p>
      ) : null}
    </section>
  );
}

/**
 * The card kept live: while the sync is pending or running, polls /admin/sync/<id>/progress every
 * 2 s with fetch (a failed poll, e.g. 429, slows down instead of breaking the page); when it ends,
 * revalidates the page so the history shows the final counts. Without JavaScript: the Refresh link.
 */
export function LiveSyncProgress({ initial, refreshHref }: { initial: SyncProgress; refreshHref: string }) {
  const [live, setLive] = useState(initial);
  const revalidator = useRevalidator();
  const wasActive = useRef(initial.active);
  useEffect(() => setLive(initial), [initial]);
  useEffect(() => {
    if (!live.active) return;
    let cancelled = false;
    let delay = POLL_MS;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const response = await fetch(`/admin/sync/${live.id}/progress`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
        if (response.ok) {
          const next = (await response.json()) as SyncProgress;
          if (!cancelled) setLive(next);
          return;
        }
        delay = Math.min(delay * 2, 30_000);
      } catch {
        delay = Math.min(delay * 2, 30_000);
      }
      if (!cancelled) timer = setTimeout(poll, delay);
    };
    timer = setTimeout(poll, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [live]);
  useEffect(() => {
    if (wasActive.current && !live.active) revalidator.revalidate();
    wasActive.current = live.active;
  }, [live.active, revalidator]);
  return <SyncProgressCard progress={live} refreshHref={refreshHref} />;
}

/**
 * A full-width bar drawn as SVG (the CSP allows no inline styles, and <progress> cannot be sized
 * without CSS); role=progressbar with aria values. Unknown percent: an empty bar, no aria-valuenow.
 */
export function ProgressBar({ percent, label }: { percent: number | null; label: string }) {
  return (
    <svg
      data-testid="sync-progress-bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(percent === null ? { 'aria-valuetext': 'Not known yet' } : { 'aria-valuenow': percent })}
      width="100%"
      height="14"
      preserveAspectRatio="none"
      viewBox="0 0 100 14"
    >
      <rect x="0" y="0" width="100" height="14" rx="3" fill="#e8edf3" />
      {percent !== null ? <rect x="0" y="0" width={Math.max(0, Math.min(100, percent))} height="14" rx="3" fill="#2f6f4f" /> : null}
    </svg>
  );
}
