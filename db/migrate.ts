// Node only: apply the committed drizzle-kit migrations to a libSQL client.
import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDrizzle } from './database';

export { appliedMigrationId, latestMigrationTag } from './migration-status';

/** db/migrations next to this file, whatever the cwd. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function migrateDatabase(client: Client, migrationsFolder: string = MIGRATIONS_FOLDER): Promise<void> {
  await migrate(createDrizzle(client), { migrationsFolder });
}
