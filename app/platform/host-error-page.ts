/**
 * The host's own 500 page (server/node.ts, server/worker.ts), for an error the Remix handler did not
 * turn into a page: no layout, no stack, only the reference a field officer reads out (decision 094).
 */
import { shortReference, TRACE_ID } from './trace-context';

export function hostErrorPage(traceId: string | null): string {
  const id = traceId && TRACE_ID.test(traceId) ? traceId : null;
  const reference = id ? `<p data-testid="error-reference" data-trace-id="${id}" title="${id}">Reference ${shortReference(id)}…</p>` : '';
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Something went wrong · Client Updater</title></head><body><main>',
    '<section class="card" data-testid="error-page" data-status="500"><h1>Something went wrong</h1>',
    '<p data-testid="error-message">Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.</p>',
    reference,
    '<p><a href="/">Go to the start page</a></p></section></main></body></html>',
  ].join('');
}
