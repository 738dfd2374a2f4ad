// tsx db/migrate-cli.ts — migrates DATABASE_URL (file:, http(s):, libsql:) with optional DATABASE_AUTH_TOKEN.
import { DEFAULT_DATABASE_URL, openDatabase } from './client';
import { appliedMigrationId, migrateDatabase } from './migrate';

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const started = performance.now();
const { client } = await openDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
try {
  const before = await appliedMigrationId(client);
  await migrateDatabase(client);
  const after = await appliedMigrationId(client);
  const ms = Math.round(performance.now() - started);
  console.log(`migrate: ${redact(url)} ${before ?? '(empty)'} -> ${after} in ${ms} ms`);
} catch (error) {
  console.error(`migrate: failed for ${redact(url)}:`, error);
  process.exitCode = 1;
} finally {
  client.close();
}

/** Never print credentials embedded in a URL. */
function redact(u: string): string {
  return u.replace(/\/\/[^@/]*@/, '//***@').replace(/authToken=[^&]+/, 'authToken=***');
}
