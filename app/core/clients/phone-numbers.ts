/**
 * Philippine phone numbers as staff type them, parsed and written in one canonical form.
 *
 * Accepted (spaces, dashes, dots and brackets around the area code are ignored):
 * - mobile: 09XXXXXXXXX, +639XXXXXXXXX or 639XXXXXXXXX → canonical `09XXXXXXXXX` (11 digits, no spaces);
 * - landline: trunk 0 (or +63 / 63 instead of it), an area code, then the subscriber number:
 *   Metro Manila `2` + 8 digits (the 2019 migration to 8 digits), any other area code (two digits,
 *   3x–8x, e.g. 32 Cebu, 82 Davao) + 7 digits, or + 8 digits where the area has migrated.
 *   Canonical: `(0AA) NNN NNNN` for 7 digits, `(0AA) NNNN NNNN` for 8, e.g. `(02) 8123 4567`,
 *   `(032) 234 5678`. The trunk 0 is written, so the stored number is dialled as shown in the country.
 * Pure: no I/O, the same on Node and Workers.
 */
export type PhoneKind = 'mobile' | 'landline';
export type ParsedPhone = { ok: true; kind: PhoneKind; canonical: string } | { ok: false; message: string };

export const PHONE_HINT = 'Enter a Philippine mobile number (0917 123 4567) or a landline with its area code ((02) 8123 4567).';

const separators = /[\s\-.()]/g;

export function parsePhilippinePhone(input: string): ParsedPhone {
  const raw = input.trim();
  if (!/^\+?[\d\s\-.()]+$/.test(raw)) return { ok: false, message: `Only digits, spaces and dashes, please. ${PHONE_HINT}` };
  const compact = raw.replace(separators, '');
  if (compact.indexOf('+') > 0) return { ok: false, message: PHONE_HINT };
  let national: string; // with the trunk 0, e.g. 09171234567 or 0281234567
  if (compact.startsWith('+63')) national = '0' + compact.slice(3);
  else if (compact.startsWith('+')) return { ok: false, message: 'Only Philippine numbers (+63) are accepted.' };
  else if (compact.startsWith('63') && compact.length >= 10) national = '0' + compact.slice(2);
  else national = compact;
  if (national.startsWith('00')) return { ok: false, message: PHONE_HINT };

  if (/^09\d{9}$/.test(national)) return { ok: true, kind: 'mobile', canonical: national };
  if (national.startsWith('09')) return { ok: false, message: 'A mobile number has 11 digits: 09XX XXX XXXX.' };

  const manila = /^02(\d{8})$/.exec(national);
  if (manila) return { ok: true, kind: 'landline', canonical: `(02) ${group(manila[1])}` };
  const provincial = /^0([3-8]\d)(\d{7,8})$/.exec(national);
  if (provincial) return { ok: true, kind: 'landline', canonical: `(0${provincial[1]}) ${group(provincial[2])}` };
  if (national.startsWith('02')) return { ok: false, message: 'A Metro Manila landline is (02) and 8 digits, e.g. (02) 8123 4567.' };
  return { ok: false, message: PHONE_HINT };
}

/** 7 digits → 3 4; 8 digits → 4 4. */
function group(subscriber: string): string {
  return `${subscriber.slice(0, subscriber.length - 4)} ${subscriber.slice(-4)}`;
}
