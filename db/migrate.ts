// Node only: apply the committed drizzle-kit migrations to a libSQL client.
import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDrizzle } from './database';

export { appliedMigrationId, latestMigrationTag } from './migration-status';

/** db/migrations next to this file, whatever the cwd. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function migrateDatabase(client: Client, migrationsFolder: string = MIGRATIONS_FOLDER): Promise<void> {
  const before = await appliedCount(client);
  await migrate(createDrizzle(client), { migrationsFolder });
  // A migration that adds or widens an index leaves the planner with statistics of the old shape (or
  // none for the new index), and the plans follow the statistics (decision 125): a database that was
  // analyzed before is analyzed again once its schema moved. A new database has none; its seed analyzes.
  if ((await appliedCount(client)) > before && (await hasStatistics(client))) await client.execute('ANALYZE');
}

async function appliedCount(client: Client): Promise<number> {
  const found = await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'");
  if (Number(found.rows[0].n) === 0) return 0;
  return Number((await client.execute('SELECT count(*) AS n FROM __drizzle_migrations')).rows[0].n);
}

async function hasStatistics(client: Client): Promise<boolean> {
  const found = await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'");
  return Number(found.rows[0].n) > 0;
}
