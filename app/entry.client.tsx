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

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

// Hydrate after the browser has painted the server's HTML (decision 096): when the scripts arrive
// before the first frame (a fast network, a warm cache), hydrating first would hold the page blank
// for the length of a 4×-slower phone's render. The page works before it (plain links and forms).
// A hidden tab paints no frames, so it hydrates at once.
if (document.visibilityState === 'hidden') hydrate();
else requestAnimationFrame(() => setTimeout(hydrate, 0));
