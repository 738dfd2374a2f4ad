// The route side of the fuzz suite: which route modules exist (as Remix's flat routes see them, the
// same walk as tests/integration/access-matrix.test.ts), their URL patterns, and the database every
// fuzz run starts from (the seeded test database plus the access matrix's users).
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@libsql/client';
import { openDatabase } from '../../db/client';
import { applyTemplateStatement, recordRoleStatement } from '../../db/seed/role-templates';
import { ACTORS, MATRIX_USERS } from '../integration/access-matrix/matrix';
import { createTestDb, type TestDb } from './db';
import { createTestUser } from './user-factory';

export { ROUTES_DIR, routeModules, urlPatternOf } from './route-modules';
import { ROUTES_DIR } from './route-modules';

export type RouteFn = (args: { request: Request; params: Record<string, string | undefined>; context: any }) => unknown;
export interface RouteModule {
  loader?: RouteFn;
  action?: RouteFn;
}

export function importRoute(file: string): Promise<RouteModule> {
  return import(/* @vite-ignore */ join(ROUTES_DIR, file)) as Promise<RouteModule>;
}

/** Adds the access matrix's extra users the way the admin screens create them (role templates + user_roles). */
export async function addMatrixUsers(client: Client): Promise<void> {
  for (const u of MATRIX_USERS) {
    const id = await createTestUser(client, { email: u.email, fullName: u.fullName, password: ACTORS.viewer.password, branches: u.branches });
    for (const [template, company] of u.templates) {
      await client.execute(applyTemplateStatement(id, template, company));
      await client.execute(recordRoleStatement(id, template, company));
    }
  }
}

let base: Promise<string> | undefined;
let copies = 0;

/** A private copy of the seeded database with the matrix users (the base is built once per file run). */
export async function fuzzDb(): Promise<TestDb> {
  base ??= (async () => {
    const t = await createTestDb();
    await addMatrixUsers(t.client);
    await t.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    await t.client.execute('PRAGMA journal_mode=DELETE');
    t.client.close();
    return t.path; // inside the run's test directory: the global teardown removes it
  })();
  const from = await base;
  const path = from.replace(/\.db$/, `-fuzz-${++copies}.db`);
  copyFileSync(from, path);
  const url = pathToFileURL(path).href;
  const { client, db } = await openDatabase(url);
  await client.execute('PRAGMA synchronous=OFF'); // a throwaway copy: no fsync per commit
  return {
    url,
    path,
    client,
    db,
    close: async () => {
      client.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}
