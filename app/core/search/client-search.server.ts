import { sql, type SQL } from 'drizzle-orm';
import { clients } from '../../../db/schema';

// The client search of every list (clients, workspace, their exports): one FTS5 trigram index,
// `clients_search` (db/migrations/0004, decision 099), kept exact by triggers on `clients`. Its rowid
// is the client id; scope, soft deletion and the other filters stay on `clients` in the caller's WHERE.

/** Below this many characters a trigram index has nothing to look up: the query matches prefixes instead. */
export const SUBSTRING_SEARCH_MIN = 3;

/** An FTS5 string literal: the user's text taken literally (no operators, no column filters). */
function phrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** The digits of a phone or pension number as typed ("0917 123 4567", "+63 917…", "03-1234567-8"), or null for other text. */
export function numberDigits(text: string): string | null {
  if (!/^\+?[\d\s\-.()]+$/.test(text)) return null;
  const compact = text.replace(/[\s\-.()]/g, '');
  // Numbers are stored with the trunk 0 (app/core/clients/phone-numbers.ts): +63 917… is 0917…
  return compact.startsWith('+63') ? `0${compact.slice(3)}` : compact.replace(/^\+/, '');
}

/**
 * The MATCH expression for a search box text: any substring (3+ characters, any case) of the name,
 * code or pension number, or of a contact/pension number's digits; 1–2 characters match the start
 * of a name word or of the code ("Uy", "Go", "FC"). Null for blank text.
 */
export function clientSearchMatch(text: string): string | null {
  // FTS5 ends a string at NUL ("unterminated string"); no stored value holds one.
  const t = text.replace(/\0/g, '').trim();
  if (!t) return null;
  if ([...t].length < SUBSTRING_SEARCH_MIN) return `starts : ${phrase(`^^${t}`)}`;
  const parts = [`{name code pension} : ${phrase(t)}`];
  const digits = numberDigits(t);
  if (digits && digits.length >= SUBSTRING_SEARCH_MIN) parts.push(`digits : ${phrase(digits)}`);
  return parts.join(' OR ');
}

/** The WHERE part for a search box text: the ids the index finds (blank text matches every client). */
export function clientSearchCondition(text: string): SQL {
  return matchesCondition(text, sql`${clients.id}`);
}

/**
 * The same matches, tested row by row while the caller walks another index in order (a name index,
 * decision 105's "many matches" page): `+id` keeps the planner from starting at the matches and
 * sorting them all, which it prefers once ANALYZE has measured the tables (decision 125).
 */
export function clientSearchWalkCondition(text: string): SQL {
  return matchesCondition(text, sql`+${clients.id}`);
}

function matchesCondition(text: string, id: SQL): SQL {
  const match = clientSearchMatch(text);
  if (!match) return sql`1`;
  return sql`${id} in (select rowid from clients_search where clients_search match ${match})`;
}
