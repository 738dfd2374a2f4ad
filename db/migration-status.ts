// Runtime-neutral (works on Workers): which migration the database is on, for the /status page.
import type { Client } from '@libsql/client';
import journal from './migrations/meta/_journal.json';

const MIGRATIONS_TABLE = '__drizzle_migrations';

/** Tag of the newest migration ('0000_initial'); null when none has been applied. */
export async function appliedMigrationId(client: Client): Promise<string | null> {
  let rows;
  try {
    rows = (await client.execute(`SELECT hash, created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`)).rows;
  } catch (error) {
    if (String(error).includes('no such table')) return null;
    throw error;
  }
  if (rows.length === 0) return null;
  const when = Number(rows[0].created_at);
  // drizzle records the journal's `when` as created_at; an unknown one means a newer build migrated the db.
  const entry = journal.entries.find((e) => e.when === when);
  return entry?.tag ?? String(rows[0].hash);
}

/** Tag of the newest migration this build ships. */
export const latestMigrationTag: string = journal.entries[journal.entries.length - 1]?.tag ?? '';
