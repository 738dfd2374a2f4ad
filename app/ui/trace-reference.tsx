import { createContext, useContext } from 'react';

/**
 * The request's trace id (decision 094), shown on error pages as a reference a field officer can
 * read out: "Reference 4bf92f35…" (the first 8 hex characters; the full id in title and
 * data-trace-id). entry.server provides it per request; in the browser it comes from the page's
 * <meta name="trace-id">, then from the x-request-id of each data request (entry.client).
 */
const TraceIdContext = createContext<string | null>(null);
export const TraceIdProvider = TraceIdContext.Provider;

const TRACE_ID = /^[0-9a-f]{32}$/;
let browserTraceId: string | null = null;

/** Browser only: the trace id of the newest answer from the server. */
export function setBrowserTraceId(id: string | null | undefined) {
  if (id && TRACE_ID.test(id)) browserTraceId = id;
}

export function useTraceId(): string | null {
  const provided = useContext(TraceIdContext);
  return provided ?? (typeof document === 'undefined' ? null : browserTraceId);
}

export function TraceReference() {
  const id = useTraceId();
  if (!id) return null;
  return (
    <span className="reference" data-testid="error-reference" data-trace-id={id} title={id}>
      Reference {id.slice(0, 8)}…
    </span>
  );
}
