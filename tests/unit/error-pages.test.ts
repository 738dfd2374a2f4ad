import { describe, expect, it } from 'vitest';
import { errorPageFor, waitText } from '../../app/ui/general-error-boundary';

/** What Remix gives an error boundary for a thrown response (isRouteErrorResponse's shape). */
const thrown = (status: number, data: unknown) => ({ status, statusText: '', internal: false, data });

describe('the error page for each status (GeneralErrorBoundary)', () => {
  it.each([
    [403, 'Not allowed', 'You do not have permission for this.'],
    [404, 'Not found', 'There is nothing here, or it is outside your territory.'],
    [409, 'Changed meanwhile', 'Someone else changed this while you were working. Reload the page to see the newer state, then try again.'],
    [503, 'Temporarily unavailable', 'This part of Client Updater is paused for a moment. Please try again shortly.'],
  ])('%i has its own page', (status, title, message) => {
    expect(errorPageFor(thrown(status, null))).toMatchObject({ status, title, message });
  });

  it('shows the message our own http-errors put in the thrown data (403, 409, 503)', () => {
    expect(errorPageFor(thrown(403, { message: 'Assigning users needs the users:manage permission.' })).message).toBe(
      'Assigning users needs the users:manage permission.',
    );
    expect(errorPageFor(thrown(409, { message: 'Job 7 changed meanwhile; reload and try again.' })).message).toBe(
      'Job 7 changed meanwhile; reload and try again.',
    );
    expect(errorPageFor(thrown(503, { message: 'This action is paused while the rate limiter is unreachable.' }))).toMatchObject({
      title: 'Temporarily unavailable',
      message: 'This action is paused while the rate limiter is unreachable.',
      tryAgain: true,
    });
  });

  it('429 says how long to wait, from the thrown data', () => {
    expect(errorPageFor(thrown(429, { message: 'Too many requests.', retryAfterSeconds: 42 }))).toMatchObject({
      status: 429,
      title: 'Too many requests',
      message: 'You have sent many requests in a short time. Please wait 42 seconds and try again.',
      tryAgain: true,
    });
    expect(errorPageFor(thrown(429, { retryAfterSeconds: 61 })).message).toContain('Please wait 2 minutes');
    expect(errorPageFor(thrown(429, null)).message).toBe('You have sent many requests in a short time. Please wait a moment and try again.');
  });

  it('an unexpected error says something generic: never its message, never a stack', () => {
    const error = new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/app/data/app.db');
    const page = errorPageFor(error);
    expect(page).toEqual({
      status: 500,
      title: 'Something went wrong',
      tryAgain: true,
      message: 'Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.',
    });
    expect(JSON.stringify(page)).not.toContain('SQLITE');
    expect(errorPageFor(thrown(500, { message: 'secret detail' })).message).not.toContain('secret');
    expect(errorPageFor('a thrown string')).toMatchObject({ status: 500, title: 'Something went wrong' });
  });

  it("Remix's own text (a string body, a 405) is never shown", () => {
    expect(errorPageFor(thrown(404, 'Error: No route matches URL "/x"')).message).toBe('There is nothing here, or it is outside your territory.');
    expect(errorPageFor(thrown(405, 'Error: You made a POST request to "/x" but did not provide an `action`'))).toMatchObject({
      status: 405,
      title: 'That request was not understood',
    });
  });

  it('words the wait', () => {
    expect([1, 2, 59, 60, 61, 600].map(waitText)).toEqual(['1 second', '2 seconds', '59 seconds', '1 minute', '2 minutes', '10 minutes']);
  });
});
