import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prepareDatabase, startNodeApp } from '../support/app-server';

/** A fresh seeded database and the built Node app on a free port; returns the teardown. */
export default async function globalSetup() {
  const dir = path.resolve('.tmp/e2e');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const databaseUrl = `file:${path.join(dir, 'app.db')}`;
  prepareDatabase(databaseUrl, { clients: 3000 });
  const app = await startNodeApp({ databaseUrl });
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_DATABASE_URL = databaseUrl;
  return async () => {
    await app.process.stop();
  };
}
