import type { AppLoadContext, EntryContext } from '@remix-run/server-runtime';
import { RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { NonceProvider } from './ui/nonce';
import { TraceIdProvider } from './ui/trace-reference';

const utf8 = new TextEncoder();

/**
 * One renderer for both hosts: pages are small and fully server-rendered (no deferred data),
 * so renderToString works the same on Node and in workerd with no streaming differences.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.app.cspNonce;
  const markup = renderToString(
    <NonceProvider value={nonce}>
      <TraceIdProvider value={loadContext.app.trace.traceId}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </TraceIdProvider>
    </NonceProvider>,
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  if (responseStatusCode === 429 || responseStatusCode === 503) keepRetryAfter(remixContext, responseHeaders);
  // Pages carry personal data: never kept in a shared or back-button cache unless a route says so.
  if (!responseHeaders.has('Cache-Control')) responseHeaders.set('Cache-Control', 'private, no-store');
  // Bytes, not a string: undici checks a string body for lone surrogates character by character
  // before encoding it (~1.4 % of a 45 kB page's CPU); TextEncoder does the same replacement natively.
  return new Response(utf8.encode('<!DOCTYPE html>' + markup), { status: responseStatusCode, headers: responseHeaders });
}

/**
 * A thrown 429 or 503 keeps its Retry-After. Remix hands a thrown response's headers only to the
 * headers() of the route whose error boundary renders it, and every route has its own boundary now
 * (decision 084): take the header from the thrown response here, once, for every route.
 */
function keepRetryAfter(context: EntryContext, headers: Headers) {
  if (headers.has('Retry-After')) return;
  const { actionHeaders, loaderHeaders } = context.staticHandlerContext;
  for (const thrown of [...Object.values(actionHeaders ?? {}), ...Object.values(loaderHeaders ?? {})]) {
    const wait = thrown.get('Retry-After');
    if (wait) return void headers.set('Retry-After', wait);
  }
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  const path = new URL(request.url).pathname;
  // A response thrown on purpose (a 404 for an odd `?_data=`, a 405): its status, not "[object Object]";
  // a refusal is a warning, not an error (issue 19 item 6).
  const status = thrownStatus(error);
  if (status !== null) {
    context.app.logger[status >= 500 ? 'error' : 'warn']('route answered an error response', { path, status });
    return;
  }
  // The request's logger: the line carries its trace_id and span_id (decision 094).
  context.app.logger.error('unhandled route error', {
    path,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
}

/** The status of a thrown Response or of Remix's ErrorResponse ({status, statusText, data}), else null. */
export function thrownStatus(error: unknown): number | null {
  if (error instanceof Response) return error.status;
  if (error && typeof error === 'object' && 'status' in error && 'statusText' in error && 'data' in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === 'number' ? status : null;
  }
  return null;
}

/** Client-side navigations fetch loader data; the same no-store rule applies to it. */
export function handleDataRequest(response: Response) {
  if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'private, no-store');
  return response;
}
