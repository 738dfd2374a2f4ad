// Runtime-neutral: wraps any libSQL client (node file, http, or @libsql/client/web) in the typed Drizzle database.
import type { Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema/index';

export type AppDatabase = LibSQLDatabase<typeof schema> & { $client: Client };

export function createDrizzle(client: Client): AppDatabase {
  return drizzle(client, { schema });
}

export { schema };
