// The admin's period initialization screen (/admin/periods): config:manage at scope 'all' in every
// company (decision 009); the POST runs initializePeriod, shows its report and logs period.initialized;
// a second run creates nothing; bad input is a 400 that writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '../../app/routes/admin.periods';
import { callRoute, formInit, signedInRequest, testContext, type RouteAnswer, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { eligibleClientIds } from '../support/status';
import { createTestUser } from '../support/user-factory';
import { flashOf } from '../support/flash';

const ADMIN = 'admin@demo.test';
let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
});
afterEach(() => t.close());

async function run(email: string, fields: Record<string, string>) {
  return callRoute(action, ctx, await signedInRequest(ctx, email, '/admin/periods', formInit(fields)));
}
const rowsOf = (key: string) => sqlCount(t.client, 'SELECT count(*) FROM client_period_status WHERE period_key = ?', [key]);
const deniedOf = (email: string) =>
  sqlCount(
    t.client,
    "SELECT count(*) FROM activity_logs a JOIN users u ON u.id = a.user_id WHERE a.action = 'access.denied' AND u.email = ? AND a.resource_id = '/admin/periods'",
    [email],
  );

/**
 * A run answers post/redirect/get: back to the screen, the report in the flash (one line per
 * figure), so a reload never initializes twice. Read back into the report's shape.
 */
function reportOf(answer: RouteAnswer) {
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  expect(answer.headers.get('location')).toBe('/admin/periods');
  const flash = flashOf(answer)!;
  const n = Object.fromEntries(flash.details!.map(([label, value]) => [label, Number(value)]));
  return {
    periodKey: /\((\S+)\) initialized\.$/.exec(flash.message)?.[1],
    created: n['Created'],
    alreadyPresent: n['Already present'],
    leftOut: {
      inactive: n['Left out: inactive or deleted'],
      parNotTrackable: n['Left out: PAR status not trackable'],
      otherCycle: n['Left out: product on the other cycle'],
      terminalEarlier: n['Left out: terminal in an earlier period'],
    },
  };
}
describe('period initialization screen', () => {
  it('offers the selectable years to an admin', async () => {
    const page = await callRoute(loader, ctx, await signedInRequest(ctx, ADMIN, '/admin/periods'));
    expect(page.status).toBe(200);
    expect(page.data).toEqual({ years: [2025, 2026, 2027], current: { year: 2026, month: 11, quarter: 4 } });
  });

  it.each([
    [{ periodType: 'monthly', year: '2027', month: '1' }, 'monthly', 2027, 1, '2027-01'],
    [{ periodType: 'quarterly', year: '2027', quarter: '1' }, 'quarterly', 2027, 1, '2027-Q1'],
  ] as const)('runs %j, shows the report and logs it; a second run creates 0', async (fields, type, year, number, key) => {
    expect(await rowsOf(key)).toBe(0);
    const eligible = await eligibleClientIds(t.client, type, year, number);
    expect(eligible.length).toBeGreaterThan(0);

    const first = reportOf(await run(ADMIN, fields));
    expect(first).toMatchObject({ periodKey: key, created: eligible.length, alreadyPresent: 0 });
    const total = await sqlCount(t.client, 'SELECT count(*) FROM clients');
    const leftOut = Object.values(first.leftOut).reduce((a, b) => a + b, 0);
    expect(first.created + leftOut).toBe(total);
    const ids = (await sqlRows(t.client, 'SELECT client_id FROM client_period_status WHERE period_key = ? ORDER BY client_id', [key])).map((r) =>
      Number(r.client_id),
    );
    expect(ids).toEqual(eligible);

    const second = reportOf(await run(ADMIN, fields));
    expect(second).toEqual({ ...first, created: 0, alreadyPresent: eligible.length });
    expect(await rowsOf(key)).toBe(eligible.length);

    const logs = await sqlRows(
      t.client,
      "SELECT a.resource_type, a.resource_id, a.details, u.email FROM activity_logs a JOIN users u ON u.id = a.user_id WHERE a.action = 'period.initialized' ORDER BY a.id",
    );
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ resource_type: 'period', resource_id: key, email: ADMIN });
    expect(JSON.parse(String(logs[0].details))).toMatchObject({ ...first, trigger: 'admin' });
    expect(JSON.parse(String(logs[1].details))).toMatchObject({ created: 0 });
  });

  it.each([
    [{ periodType: 'monthly', year: '2019', month: '1' }, 'year'],
    [{ periodType: 'monthly', year: '2028', month: '1' }, 'year'],
    [{ periodType: 'monthly', year: '2027', month: '13' }, 'month'],
    [{ periodType: 'monthly', year: '2027', month: '' }, 'month'],
    [{ periodType: 'quarterly', year: '2027', quarter: '5' }, 'quarter'],
    [{ periodType: 'weekly', year: '2027', month: '1' }, 'periodType'],
    [{ periodType: 'monthly', year: 'next', month: '1' }, 'year'],
  ])('%j → 400 on %s, nothing written', async (fields, field) => {
    const before = { rows: await snapshot(t.client, 'client_period_status'), logs: await snapshot(t.client, 'activity_logs') };
    const answer = await run(ADMIN, fields);
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, values: fields });
    expect(Object.keys(answer.data.fieldErrors)).toContain(field);
    expect(await snapshot(t.client, 'client_period_status')).toEqual(before.rows);
    expect(await snapshot(t.client, 'activity_logs')).toEqual(before.logs);
  });
});

describe('who may initialize', () => {
  it.each(['area.ncr@demo.test', 'viewer@demo.test', 'branch.mnla01@demo.test'])('refuses %s (no config:manage) with 403 and access.denied', async (email) => {
    const page = await callRoute(loader, ctx, await signedInRequest(ctx, email, '/admin/periods'));
    expect(page.status).toBe(403);
    const answer = await run(email, { periodType: 'monthly', year: '2027', month: '1' });
    expect(answer.status).toBe(403);
    expect(await rowsOf('2027-01')).toBe(0);
    expect(await deniedOf(email)).toBe(2);
  });

  it('refuses an admin of FCASH only (config:manage, but not in every company) with 403', async () => {
    const email = 'fcash.config@periods.test';
    await createTestUser(t.client, {
      email,
      grants: [
        ['config:manage', 'FCASH', 'all'],
        ['clients:read', 'FCASH', 'all'],
      ],
    });
    const answer = await run(email, { periodType: 'monthly', year: '2027', month: '1' });
    expect(answer.status).toBe(403);
    expect(answer.data).toEqual({ message: 'You do not have permission for this.' });
    expect(await rowsOf('2027-01')).toBe(0);
    expect(await deniedOf(email)).toBe(1);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'period.initialized'")).toBe(0);
  });

  it('refuses config:manage in both companies when one of them is only at area scope', async () => {
    const email = 'mixed.config@periods.test';
    await createTestUser(t.client, {
      email,
      grants: [
        ['config:manage', 'FCASH', 'all'],
        ['config:manage', 'PCNI', 'area'],
      ],
    });
    expect((await run(email, { periodType: 'monthly', year: '2027', month: '1' })).status).toBe(403);
    const both = 'both.config@periods.test';
    await createTestUser(t.client, {
      email: both,
      grants: [
        ['config:manage', 'FCASH', 'all'],
        ['config:manage', 'PCNI', 'all'],
      ],
    });
    expect((await run(both, { periodType: 'monthly', year: '2027', month: '1' })).status).toBe(302);
  });
});
