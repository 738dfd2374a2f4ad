/** A request id from a trusted upstream header, or a fresh one; echoed as x-request-id. */
const safeId = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestIdFrom(headerValue: string | null | undefined): string {
  if (headerValue && safeId.test(headerValue)) return headerValue;
  return crypto.randomUUID();
}
