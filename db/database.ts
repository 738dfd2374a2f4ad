// Runtime-neutral: wraps any libSQL client (node, web, http) in the typed Drizzle database.
import type { Client } from '@libsql/client';
import { type LibSQLDatabase, construct } from 'drizzle-orm/libsql/driver-core';
import * as schema from './schema/index';

export type AppDatabase = LibSQLDatabase<typeof schema>;

export function createDrizzle(client: Client): AppDatabase {
  return construct(client, { schema }) as AppDatabase;
}

export { schema };
