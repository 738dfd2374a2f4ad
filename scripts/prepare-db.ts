/**
 * Migrates DATABASE_URL and, on the embedded default, seeds demo data when the database is empty.
 * Used by `npm start` and `npm run start:edge`. Flags: --clients N, --today YYYY-MM-DD.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { isSeeded, seedDatabase, seedReferenceData } from '../db/seed/index';

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '20000' }, today: { type: 'string' } },
});

const url = process.env.DATABASE_URL ?? 'file:data/app.db';
const production = process.env.NODE_ENV === 'production';
const { client } = await openDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
const started = Date.now();
await migrateDatabase(client);
if (await isSeeded(client)) {
  console.log(`[db] ${redactUrl(url)} is migrated and already seeded`);
} else if (production) {
  await seedReferenceData(client);
  console.log(`[db] ${redactUrl(url)}: reference data seeded (production: no demo data)`);
} else {
  const clients = Number(values.clients);
  const result = await seedDatabase(client, { clients, demoUsers: true, today: values.today });
  console.log(`[db] ${redactUrl(url)}: demo data seeded in ${Date.now() - started} ms`, JSON.stringify(result));
}
client.close();

function redactUrl(u: string) {
  return u.replace(/\/\/[^@/]*@/, '//***@');
}
