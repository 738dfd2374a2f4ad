import { afterEach, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../db/seed/index';
import { createTestDb, type TestDb } from '../support/db';

const open: TestDb[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function seeded(options: { clients: number; seed: number | string; today: string }) {
  const t = await createTestDb({ seeded: false });
  open.push(t);
  await seedDatabase(t.client, { ...options, demoUsers: false });
  const clients = (
    await t.client.execute('SELECT client_code, full_name, pension_number, birth_date, branch_id, product_id FROM clients ORDER BY id')
  ).rows.map((r) => ({ ...r }));
  const periods = (
    await t.client.execute('SELECT client_id, period_key, status_type_id, status_reason_id, update_count FROM client_period_status ORDER BY id')
  ).rows.map((r) => ({ ...r }));
  return { clients, periods };
}

describe('the client generator', () => {
  it('gives the same clients and histories for the same seed and day', async () => {
    const a = await seeded({ clients: 300, seed: 7, today: '2026-03-02' });
    const b = await seeded({ clients: 300, seed: 7, today: '2026-03-02' });
    expect(a.clients).toHaveLength(300);
    expect(b.clients).toEqual(a.clients);
    expect(b.periods).toEqual(a.periods);
  });

  it('gives different clients for a different seed', async () => {
    const a = await seeded({ clients: 100, seed: 7, today: '2026-03-02' });
    const b = await seeded({ clients: 100, seed: 8, today: '2026-03-02' });
    expect(b.clients.map((c) => c.full_name)).not.toEqual(a.clients.map((c) => c.full_name));
  });

  it('keeps the first clients (codes and names) whatever the count and the day', async () => {
    const small = await seeded({ clients: 50, seed: 'demo', today: '2026-03-02' });
    const large = await seeded({ clients: 120, seed: 'demo', today: '2026-11-15' });
    const key = (c: Record<string, unknown>) => `${c.client_code} ${c.full_name} ${c.pension_number}`;
    expect(large.clients.slice(0, 50).map(key)).toEqual(small.clients.map(key));
  });
});
