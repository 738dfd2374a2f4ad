import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { setBrowserTraceId } from './ui/trace-reference';

// The reference an error page shows is the trace id of the answer it came with: the document's
// first, then each data request's (the host sends it as x-request-id).
setBrowserTraceId(document.querySelector('meta[name="trace-id"]')?.getAttribute('content'));
const pageFetch = window.fetch;
window.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await pageFetch(...args);
  if (new URL(response.url || location.href, location.href).origin === location.origin) setBrowserTraceId(response.headers.get('x-request-id'));
  return response;
};

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
