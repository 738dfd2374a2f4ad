import { Link, isRouteErrorResponse, useLocation, useRouteError } from '@remix-run/react';
import { TraceReference } from './trace-reference';

/**
 * The error page every route exports as its ErrorBoundary (decision 084). It renders inside the
 * root layout, so the navigation stays. A thrown route response (app/web/http-errors.server.ts)
 * gets its status's page and may carry its own `message`; anything else is an unexpected error and
 * says only that something went wrong: never its message, never a stack. Every page shows the
 * request's reference (its trace id, decision 094) for support to find it.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const page = errorPageFor(error);
  const here = location.pathname + location.search;
  return (
    <section className="card" data-testid="error-page" data-status={page.status}>
      <h1>{page.title}</h1>
      <p data-testid="error-message">{page.message}</p>
      <p>
        <TraceReference />
      </p>
      <p>
        {page.tryAgain ? (
          <>
            <a href={here}>Try again</a> ·{' '}
          </>
        ) : null}
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}

export interface ErrorPage {
  status: number;
  title: string;
  message: string;
  /** Offer to load the same page again (the request may work later). */
  tryAgain: boolean;
}

type PageText = Omit<ErrorPage, 'status'>;

/** The friendly page of each status a route throws on purpose; the message is the default one. */
const PAGES: Record<number, PageText> = {
  400: { title: 'That request was not understood', message: 'Something in the address or the form was not right. Go back and try again.', tryAgain: false },
  403: { title: 'Not allowed', message: 'You do not have permission for this.', tryAgain: false },
  404: { title: 'Not found', message: 'There is nothing here, or it is outside your territory.', tryAgain: false },
  409: {
    title: 'Changed meanwhile',
    message: 'Someone else changed this while you were working. Reload the page to see the newer state, then try again.',
    tryAgain: true,
  },
  413: { title: 'Too large', message: 'That form is larger than Client Updater accepts. Nothing was saved.', tryAgain: false },
  415: { title: 'Not a form', message: 'Client Updater takes only its own web forms here. Nothing was saved.', tryAgain: false },
  429: { title: 'Too many requests', message: 'You have sent many requests in a short time. Please wait a moment and try again.', tryAgain: true },
  503: { title: 'Temporarily unavailable', message: 'This part of Client Updater is paused for a moment. Please try again shortly.', tryAgain: true },
};

const UNEXPECTED: PageText = {
  title: 'Something went wrong',
  message: 'Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.',
  tryAgain: true,
};

/** The page for what a route threw: by status, with the wait of a 429; an unexpected error stays generic. */
export function errorPageFor(error: unknown): ErrorPage {
  if (!isRouteErrorResponse(error)) return { status: 500, ...UNEXPECTED };
  const status = error.status;
  const known = PAGES[status];
  if (!known) return { status, ...(status >= 400 && status < 500 ? PAGES[400] : UNEXPECTED) };
  if (status === 429) {
    const wait = retryAfterOf(error.data);
    return { status, ...known, message: wait ? `You have sent many requests in a short time. Please wait ${waitText(wait)} and try again.` : known.message };
  }
  return { status, ...known, message: ownMessageOf(error.data) ?? known.message };
}

/** The `message` our http-errors put in a thrown response (never Remix's own text, never an Error's). */
function ownMessageOf(data: unknown): string | null {
  if (!data || typeof data !== 'object' || !('message' in data)) return null;
  const message = (data as { message: unknown }).message;
  return typeof message === 'string' && message.trim() ? message : null;
}

function retryAfterOf(data: unknown): number | null {
  if (!data || typeof data !== 'object' || !('retryAfterSeconds' in data)) return null;
  const seconds = Number((data as { retryAfterSeconds: unknown }).retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

/** 1 second, 45 seconds, 2 minutes (rounded up): how long a person waits before trying again. */
export function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
