import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db';

let t: TestDb;
const count = async (sql: string) => Number(Object.values((await t.client.execute(sql)).rows[0])[0]);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.close());

describe('seeded period rows and status events', () => {
  it('exist, for the last 6 periods of each cycle before 2026-11-15 (Asia/Manila)', async () => {
    const keys = (await t.client.execute('SELECT DISTINCT period_type, period_key FROM client_period_status ORDER BY 1, 2')).rows.map(
      (r) => `${r.period_type}:${r.period_key}`,
    );
    expect(keys).toEqual([
      'monthly:2026-06',
      'monthly:2026-07',
      'monthly:2026-08',
      'monthly:2026-09',
      'monthly:2026-10',
      'monthly:2026-11',
      'quarterly:2025-Q3',
      'quarterly:2025-Q4',
      'quarterly:2026-Q1',
      'quarterly:2026-Q2',
      'quarterly:2026-Q3',
      'quarterly:2026-Q4',
    ]);
    expect(await count('SELECT count(*) FROM status_events')).toBeGreaterThan(1000);
  });

  it('have event sequences 1..n with no gaps, n = update_count, version = n + 1', async () => {
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s
       LEFT JOIN (SELECT period_status_id, count(*) n, min(event_sequence) lo, max(event_sequence) hi FROM status_events GROUP BY 1) e
         ON e.period_status_id = s.id
       WHERE coalesce(e.n, 0) <> s.update_count OR s.version <> s.update_count + 1
          OR (e.n IS NOT NULL AND (e.lo <> 1 OR e.hi <> e.n))`,
      ),
    ).toBe(0);
  });

  it('chain each event from the previous one and end on the row state', async () => {
    const pending = "(SELECT id FROM status_types WHERE code = 'PENDING')";
    // from = previous event's to (PENDING for the first); times strictly increase.
    expect(
      await count(
        `SELECT count(*) FROM status_events e
       LEFT JOIN status_events p ON p.period_status_id = e.period_status_id AND p.event_sequence = e.event_sequence - 1
       WHERE e.from_status_type_id <> coalesce(p.to_status_type_id, ${pending}) OR e.created_at <= coalesce(p.created_at, 0)`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s
       JOIN status_events e ON e.period_status_id = s.id AND e.event_sequence = s.update_count
       WHERE e.to_status_type_id <> s.status_type_id OR e.status_reason_id IS NOT s.status_reason_id
          OR e.has_payment <> s.has_payment OR e.created_by IS NOT s.last_updated_by OR e.created_at <> s.last_updated_at
          OR e.client_id <> s.client_id`,
      ),
    ).toBe(0);
    expect(await count(`SELECT count(*) FROM client_period_status WHERE update_count = 0 AND status_type_id <> ${pending}`)).toBe(0);
  });

  it('mark reverts exactly where the status moves backward, always with remarks', async () => {
    expect(
      await count(
        `SELECT count(*) FROM status_events e JOIN status_types f ON f.id = e.from_status_type_id JOIN status_types t ON t.id = e.to_status_type_id
       WHERE e.is_revert <> (t.sequence < f.sequence) OR (e.is_revert = 1 AND e.remarks IS NULL)`,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) FROM status_events WHERE is_revert = 1')).toBeGreaterThan(0);
  });

  it('follow the reason rules: reasons belong to the status; remarks present when required', async () => {
    expect(
      await count(
        `SELECT count(*) FROM status_events e JOIN status_reasons r ON r.id = e.status_reason_id
       WHERE r.status_type_id <> e.to_status_type_id OR (r.requires_remarks = 1 AND e.remarks IS NULL)`,
      ),
    ).toBe(0);
    // A status with reasons always gets one.
    expect(
      await count(
        `SELECT count(*) FROM status_events e
       WHERE e.status_reason_id IS NULL AND EXISTS (SELECT 1 FROM status_reasons r WHERE r.status_type_id = e.to_status_type_id)`,
      ),
    ).toBe(0);
  });

  it('use only the client company workflow (no VISITED for PCNI) and copy company/branch from the client', async () => {
    expect(
      await count(
        `SELECT count(*) FROM status_events e JOIN clients c ON c.id = e.client_id JOIN status_types t ON t.id = e.to_status_type_id
       WHERE t.company_id IS NOT NULL AND t.company_id <> c.company_id`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s JOIN clients c ON c.id = s.client_id
       JOIN products p ON p.id = c.product_id
       WHERE s.company_id <> c.company_id OR s.branch_id <> c.branch_id OR s.period_type <> p.tracking_cycle`,
      ),
    ).toBe(0);
  });

  it('exist only for active clients with a trackable PAR status', async () => {
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN par_statuses p ON p.id = c.par_status_id
       WHERE c.is_active = 0 OR p.is_trackable = 0`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM clients c JOIN par_statuses p ON p.id = c.par_status_id
       WHERE c.is_active = 1 AND p.is_trackable = 1 AND NOT EXISTS (SELECT 1 FROM client_period_status s WHERE s.client_id = c.id)`,
      ),
    ).toBe(0);
  });

  it('mark terminal rows only for DONE with a terminal reason, with no later period for that client', async () => {
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s LEFT JOIN status_reasons r ON r.id = s.status_reason_id
       WHERE s.is_terminal <> coalesce(r.is_terminal, 0)`,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) FROM client_period_status WHERE is_terminal = 1')).toBeGreaterThan(0);
    expect(
      await count(
        `SELECT count(*) FROM client_period_status s JOIN client_period_status later
         ON later.client_id = s.client_id AND later.period_key > s.period_key
       WHERE s.is_terminal = 1`,
      ),
    ).toBe(0);
  });

  it('keep event times inside their period and not after the seed day', async () => {
    const end = Date.UTC(2026, 10, 15, 17) - 8 * 3_600_000; // 2026-11-15 17:00 Manila
    expect(await count(`SELECT count(*) FROM status_events WHERE created_at > ${end}`)).toBe(0);
    const novemberStart = Date.UTC(2026, 10, 1) - 8 * 3_600_000;
    expect(
      await count(
        `SELECT count(*) FROM status_events e JOIN client_period_status s ON s.id = e.period_status_id
       WHERE s.period_key = '2026-11' AND e.created_at < ${novemberStart}`,
      ),
    ).toBe(0);
  });
});
