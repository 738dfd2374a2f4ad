import { z } from 'zod';

/**
 * A record id as text (a route param, a form field, a query param): 1 to 16 digits without a leading
 * zero, and a safe integer. Anything else is not an id: a route answers 404, a form its field error.
 */
const RECORD_ID = /^[1-9]\d{0,15}$/;

/** The id `raw` names, or null when it is not an id. */
export function parseRecordId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !RECORD_ID.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** The same rule as a zod field (text in, number out); `message` is the field's error, missing or malformed. */
export function idField(message?: string) {
  const error = message ? { error: message } : undefined;
  return z.string(error).regex(RECORD_ID, message).transform(Number).refine(Number.isSafeInteger, error);
}
