// Reads the flash cookie of a route answer (post/redirect/get, decision 085) the way a browser
// would see it: the Set-Cookie named cu_flash, its base64url JSON value decoded.
import { parse } from 'cookie';

export interface FlashSeen {
  type: 'success' | 'error';
  message: string;
  details?: Array<[string, string, string?]>;
  secret?: { label: string; value: string };
}

/** Every Set-Cookie of an answer, one string each. */
export function setCookiesOf(answer: { headers: Headers }): string[] {
  return answer.headers.getSetCookie();
}

/** The flash a redirect sets (null when it sets none); the cookie attributes are checked by the flash tests. */
export function flashOf(answer: { headers: Headers }): FlashSeen | null {
  const line = setCookiesOf(answer).find((c) => c.startsWith('cu_flash='));
  if (!line) return null;
  const value = parse(line).cu_flash;
  if (!value) return null;
  return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
}

/** The message of the flash a redirect sets (undefined when none). */
export const flashMessage = (answer: { headers: Headers }) => flashOf(answer)?.message;

/** Where a redirect goes and the message its flash carries: `{ location, flash }`. */
export function redirectOf(answer: { status: number; headers: Headers }) {
  return { status: answer.status, location: answer.headers.get('location'), flash: flashMessage(answer) };
}
