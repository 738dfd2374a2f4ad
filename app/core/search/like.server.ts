import { or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { clients } from '../../../db/schema';

/** LIKE with the user's text taken literally: "%" and "_" typed by a user match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function likeContains(column: SQLiteColumn, text: string): SQL {
  return sql`${column} like ${`%${escapeLike(text)}%`} escape '\\'`;
}

export function likePrefix(column: SQLiteColumn, text: string): SQL {
  return sql`${column} like ${`${escapeLike(text)}%`} escape '\\'`;
}

/** The client search of every list: code prefix (any case), pension-number prefix, or part of the name. */
export function clientSearchCondition(text: string): SQL {
  return or(likePrefix(clients.clientCode, text.toUpperCase()), likePrefix(clients.pensionNumber, text), likeContains(clients.fullName, text))!;
}
