import { json } from "@remix-run/server-runtime";

/** Out-of-scope and unknown ids both answer 404: existence outside the territory is not revealed. */
export function notFound(message = "There is nothing here, or it is outside your territory."): never {
  throw json({ message }, { status: 404 });
}

export function forbidden(message = "You do not have permission for this."): never {
  throw json({ message }, { status: 403 });
}

export function badRequest(message: string): never {
  throw json({ message }, { status: 400 });
}

export function tooManyRequests(retryAfterSeconds: number): never {
  throw json(
    { message: `Too many requests. Please wait ${retryAfterSeconds} seconds and try again.` },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

export function serviceUnavailable(message: string, retryAfterSeconds = 30): never {
  throw json({ message }, { status: 503, headers: { "Retry-After": String(retryAfterSeconds) } });
}
