import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSeeded, seedDatabase, seedReferenceData } from '../../db/seed/index';
import { createTestDb, type TestDb } from '../support/db';

const open: TestDb[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function fresh(seeded: boolean) {
  const t = await createTestDb({ seeded });
  open.push(t);
  return t;
}

const TABLES = [
  'companies',
  'status_reasons',
  'permissions',
  'role_template_grants',
  'config_settings',
  'config_options',
  'scheduled_jobs',
  'areas',
  'branches',
  'area_branches',
  'users',
  'user_permissions',
  'clients',
  'client_period_status',
  'status_events',
];

async function counts(t: TestDb) {
  const result: Record<string, number> = {};
  for (const table of TABLES) result[table] = Number((await t.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  return result;
}

describe('seeding safety', () => {
  it('never seeds demo users (or any demo data) with NODE_ENV=production', async () => {
    const t = await fresh(false);
    vi.stubEnv('NODE_ENV', 'production');
    await expect(seedDatabase(t.client, { clients: 10, demoUsers: true })).rejects.toThrow(/production/);
    await expect(seedDatabase(t.client, { clients: 10, demoUsers: false })).rejects.toThrow(/production/);
    expect(await counts(t)).toMatchObject({ users: 0, branches: 0, clients: 0, companies: 0 });
  });

  it('seeds reference data in production, without any user', async () => {
    const t = await fresh(false);
    vi.stubEnv('NODE_ENV', 'production');
    await seedReferenceData(t.client);
    const c = await counts(t);
    expect(c).toMatchObject({ companies: 2, permissions: 19, status_reasons: 12, users: 0, branches: 0 });
    expect(await isSeeded(t.client)).toBe(false);
  });

  it('does not duplicate anything when reference data is seeded twice', async () => {
    const t = await fresh(false);
    await seedReferenceData(t.client);
    const first = await counts(t);
    await seedReferenceData(t.client);
    expect(await counts(t)).toEqual(first);
  });

  it('skips an already-seeded database instead of duplicating it', async () => {
    const t = await fresh(true);
    expect(await isSeeded(t.client)).toBe(true);
    const before = await counts(t);
    const summary = await seedDatabase(t.client, { clients: 500, seed: 99, today: '2026-11-15' });
    expect(summary.skipped).toBe(true);
    expect(await counts(t)).toEqual(before);
  });

  it('seeds org and clients without demo users when asked', async () => {
    const t = await fresh(false);
    const summary = await seedDatabase(t.client, { clients: 40, seed: 1, today: '2026-11-15', demoUsers: false });
    expect(summary.counts).toMatchObject({ users: 0, clients: 40, branches: 150, areas: 12 });
    const c = await counts(t);
    expect(c.users).toBe(0);
    expect(Number((await t.client.execute('SELECT count(*) AS n FROM status_events WHERE created_by IS NOT NULL')).rows[0].n)).toBe(0);
  });
});
