// The same migrations and seed over HTTP against the real sqld (Turso's server protocol).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { appliedMigrationId, latestMigrationTag, migrateDatabase } from '../../db/migrate';
import { seedDatabase } from '../../db/seed/index';
import { startSqld, type StartedSqld } from '../support/sqld';

let sqld: StartedSqld;

beforeAll(async () => {
  sqld = await startSqld();
});

afterAll(async () => {
  await sqld?.stop();
});

describe('over HTTP against sqld', () => {
  it('migrates, reports the migration and seeds', async () => {
    const { client } = await openDatabase(sqld.url);
    try {
      expect(await appliedMigrationId(client)).toBeNull();
      await migrateDatabase(client);
      await migrateDatabase(client); // idempotent over HTTP too
      expect(await appliedMigrationId(client)).toBe(latestMigrationTag);
      const summary = await seedDatabase(client, { clients: 300, seed: 3, today: '2026-11-15' });
      expect(summary.counts).toMatchObject({ branches: 150, areas: 12, users: 5, clients: 300 });
      const n = (await client.execute('SELECT count(*) AS n FROM clients')).rows[0].n;
      expect(Number(n)).toBe(300);
      expect((await seedDatabase(client, { clients: 300 })).skipped).toBe(true);
    } finally {
      client.close();
    }
  });
});
