import { json } from '@remix-run/server-runtime';

/** Out-of-scope and unknown ids both answer 404: existence outside the territory is not revealed. */
export function notFound(message = 'There is nothing here, or it is outside your territory.'): never {
  throw json({ message }, { status: 404 });
}

export function forbidden(message = 'You do not have permission for this.'): never {
  throw json({ message }, { status: 403 });
}

export function badRequest(message: string): never {
  throw json({ message }, { status: 400 });
}

/** The wait travels in the data too: an error boundary sees the data, not the Retry-After header. */
export function tooManyRequests(retryAfterSeconds: number): never {
  throw json(
    { message: `Too many requests. Please wait ${retryAfterSeconds} seconds and try again.`, retryAfterSeconds },
    { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
  );
}

/** The request conflicts with the record's current state and there is no newer form to show (a form's 409 is its reply). */
export function conflict(message = 'Someone else changed this while you were working. Reload the page to see the newer state, then try again.'): never {
  throw json({ message }, { status: 409 });
}

export function serviceUnavailable(message: string, retryAfterSeconds = 30): never {
  throw json({ message }, { status: 503, headers: { 'Retry-After': String(retryAfterSeconds) } });
}

/** A body larger than the app reads (forms are small; decision 091). */
export function payloadTooLarge(maxBytes: number): never {
  throw json({ message: `That form is too large (more than ${Math.round(maxBytes / 1024)} KB). Nothing was saved.` }, { status: 413 });
}

/** A body that is not a web form (JSON, plain text…): every action takes forms only. */
export function unsupportedMediaType(): never {
  throw json({ message: 'Send this as a web form. Nothing was saved.' }, { status: 415 });
}
