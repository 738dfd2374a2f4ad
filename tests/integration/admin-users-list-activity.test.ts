// The users list's filters (role, branch, area, active, locked, q) and the activity viewer's filters
// (user, action, Manila date range) and scope, compared with the rows the test wrote.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { activityLoader, areaIdOf, branchIdOf, createCompanyAdmin, createPcniAgent, usersLoader } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  admin = await startTestSession(ctx, 'admin@demo.test');
});
afterEach(() => t.close());

const usersPage = (cookie: string, qs: string) => callRoute(usersLoader, ctx, requestWithCookie(cookie, `/admin/users?pageSize=100&${qs}`));
async function emails(qs: string, cookie = admin.cookie): Promise<string[]> {
  const answer = await usersPage(cookie, qs);
  expect(answer.status, JSON.stringify(answer.data?.error)).toBe(200);
  expect(answer.data.list.total).toBe(answer.data.list.rows.length);
  return answer.data.list.rows.map((r: { email: string }) => r.email).sort();
}

describe('users list: filters', () => {
  let lockedId: number;
  beforeEach(async () => {
    lockedId = await createTestUser(t.client, {
      email: 'locked@demo.test',
      fullName: 'Lorna Locked',
      branches: ['QZN01'],
      grants: [['clients:read', 'FCASH', 'branch']],
    });
    const expired = await createTestUser(t.client, {
      email: 'was.locked@demo.test',
      fullName: 'Wally Waslocked',
      branches: ['QZN01'],
      grants: [['clients:read', 'FCASH', 'branch']],
    });
    const inactive = await createTestUser(t.client, {
      email: 'gone@demo.test',
      fullName: 'Gina Gone',
      branches: ['MNLA01'],
      grants: [['clients:read', 'FCASH', 'branch']],
    });
    const now = ctx.clock.now().getTime();
    await t.client.execute({ sql: 'UPDATE users SET locked_until = ?, failed_login_count = 5 WHERE id = ?', args: [now + 60_000, lockedId] });
    await t.client.execute({ sql: 'UPDATE users SET locked_until = ? WHERE id = ?', args: [now - 60_000, expired] });
    await t.client.execute({ sql: 'UPDATE users SET is_active = 0 WHERE id = ?', args: [inactive] });
  });

  const DEMO = ['admin@demo.test', 'area.ncr@demo.test', 'branch.mnla01@demo.test', 'tele.fcash@demo.test', 'viewer@demo.test'];

  it('without filters lists everyone, sorted by name, with role and lock state', async () => {
    const answer = await usersPage(admin.cookie, '');
    expect(answer.data.list.rows.map((r: any) => r.email).sort()).toEqual([...DEMO, 'gone@demo.test', 'locked@demo.test', 'was.locked@demo.test'].sort());
    const names = answer.data.list.rows.map((r: any) => r.fullName);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const tele = answer.data.list.rows.find((r: any) => r.email === 'tele.fcash@demo.test');
    expect(tele).toMatchObject({ roles: 'FCASH tele agent', locked: false, isActive: true });
    expect(
      answer.data.list.rows
        .find((r: any) => r.email === 'admin@demo.test')
        .roles.split(', ')
        .sort(),
    ).toEqual(['Administrator', 'Administrator']);
    expect(answer.data.list.rows.find((r: any) => r.email === 'locked@demo.test')).toMatchObject({ locked: true });
    expect(answer.data.list.rows.find((r: any) => r.email === 'was.locked@demo.test')).toMatchObject({ locked: false });
  });

  it('by role', async () => {
    expect(await emails('role=FC_TELE')).toEqual(['tele.fcash@demo.test']);
    expect(await emails('role=area_manager')).toEqual(['area.ncr@demo.test']);
    expect(await emails('role=PCNI_TELE')).toEqual([]);
  });

  it('by branch: direct assignment or through an area', async () => {
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    expect(await emails(`branch=${mnla01}`)).toEqual(['area.ncr@demo.test', 'branch.mnla01@demo.test', 'gone@demo.test', 'tele.fcash@demo.test']);
    const antp01 = await branchIdOf(t.client, 'ANTP01'); // in R4A, and linked to NCR as a secondary branch
    expect(await emails(`branch=${antp01}`)).toEqual(['area.ncr@demo.test']);
  });

  it('by area', async () => {
    expect(await emails(`area=${await areaIdOf(t.client, 'FCASH', 'NCR')}`)).toEqual(['area.ncr@demo.test']);
    expect(await emails(`area=${await areaIdOf(t.client, 'FCASH', 'R6')}`)).toEqual([]);
  });

  it('by active and locked (an expired lock is not locked)', async () => {
    expect(await emails('active=no')).toEqual(['gone@demo.test']);
    expect(await emails('active=yes')).not.toContain('gone@demo.test');
    expect(await emails('locked=yes')).toEqual(['locked@demo.test']);
    expect(await emails('locked=no')).toContain('was.locked@demo.test');
    expect(await emails('locked=no')).not.toContain('locked@demo.test');
  });

  it('by q: part of the name or email, any case; LIKE wildcards are literal', async () => {
    expect(await emails('q=villa')).toEqual(['area.ncr@demo.test']);
    expect(await emails('q=MNLA01')).toEqual(['branch.mnla01@demo.test']);
    expect(await emails('q=%25')).toEqual([]);
    expect(await emails('q=_')).toEqual([]);
  });

  it('combined filters narrow each other', async () => {
    const qzn01 = await branchIdOf(t.client, 'QZN01');
    expect(await emails(`branch=${qzn01}&locked=yes`)).toEqual(['locked@demo.test']);
    expect(await emails(`role=FC_TELE&branch=${qzn01}`)).toEqual(['tele.fcash@demo.test']);
    expect(await emails(`role=FC_TELE&active=no`)).toEqual([]);
  });

  it.each([
    ['role=bad code!', 'Filter "role" is not a role code'],
    ['branch=abc', 'Filter "branch" must be a positive whole number'],
    ['area=0', 'Filter "area" must be a positive whole number'],
    ['active=maybe', 'Filter "active"'],
    [`q=${'x'.repeat(101)}`, 'Filter "q" is at most 100 characters'],
  ])('answers 400 with a clear message for %s', async (qs, message) => {
    const answer = await usersPage(admin.cookie, qs);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toContain(message);
    expect(answer.data.list).toBeNull();
  });

  it('a single-company admin lists only users of its company', async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    await createPcniAgent(t.client);
    const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
    const seen = await emails('', fcashAdmin.cookie);
    expect(seen).not.toContain('tele.pcni@demo.test');
    expect(seen).toContain('tele.fcash@demo.test');
    expect(await emails('', admin.cookie)).toContain('tele.pcni@demo.test');
    expect(lockedId).toBeGreaterThan(0);
  });

  it('is 403 without users:read', async () => {
    const officer = await startTestSession(ctx, 'branch.mnla01@demo.test');
    expect((await usersPage(officer.cookie, '')).status).toBe(403);
  });
});

describe('activity viewer', () => {
  const activityPage = (cookie: string, qs: string) => callRoute(activityLoader, ctx, requestWithCookie(cookie, `/admin/activity?pageSize=100&${qs}`));
  /** Rows written with a known time, so the Manila day boundaries can be checked exactly. */
  async function logAt(userId: number | null, action: string, at: string, extra: { resourceId?: string; details?: object } = {}) {
    await t.client.execute({
      sql: "INSERT INTO activity_logs (user_id, action, resource_type, resource_id, details, created_at) VALUES (?, ?, 'user', ?, ?, ?)",
      args: [userId, action, extra.resourceId ?? null, extra.details ? JSON.stringify(extra.details) : null, new Date(at).getTime()],
    });
  }
  async function seen(qs: string, cookie = admin.cookie) {
    const answer = await activityPage(cookie, qs);
    expect(answer.status, JSON.stringify(answer.data?.error)).toBe(200);
    return answer.data.list.rows.map((r: any) => `${r.userEmail ?? '-'} ${r.action} ${new Date(r.createdAt).toISOString()}`);
  }

  let viewerId: number;
  let teleId: number;
  let pcniId: number;
  beforeEach(async () => {
    await t.client.execute('DELETE FROM activity_logs'); // only the rows below (the session starts wrote none, but be exact)
    viewerId = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'viewer@demo.test'"))[0].id);
    teleId = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'tele.fcash@demo.test'"))[0].id);
    pcniId = await createPcniAgent(t.client);
    // Manila midnight of 2026-11-15 is 2026-11-14T16:00:00Z.
    await logAt(viewerId, 'auth.login', '2026-11-14T15:59:59.999Z'); // Manila 11-14 23:59:59.999
    await logAt(viewerId, 'auth.login_failed', '2026-11-14T16:00:00.000Z'); // Manila 11-15 00:00
    await logAt(teleId, 'auth.login', '2026-11-15T02:00:00.000Z'); // Manila 11-15 10:00
    await logAt(teleId, 'auth.locked', '2026-11-15T15:59:59.999Z'); // Manila 11-15 23:59:59.999
    await logAt(viewerId, 'auth.logout', '2026-11-15T16:00:00.000Z'); // Manila 11-16 00:00
    await logAt(pcniId, 'auth.login', '2026-11-15T03:00:00.000Z');
    await logAt(null, 'auth.login_failed', '2026-11-15T04:00:00.000Z'); // an unknown email: no user
  });

  it('by date range: whole Manila days, inclusive of both ends', async () => {
    // Newest id first; here in the order the rows were written, reversed.
    expect(await seen('from=2026-11-15&to=2026-11-15')).toEqual([
      '- auth.login_failed 2026-11-15T04:00:00.000Z',
      'tele.pcni@demo.test auth.login 2026-11-15T03:00:00.000Z',
      'tele.fcash@demo.test auth.locked 2026-11-15T15:59:59.999Z',
      'tele.fcash@demo.test auth.login 2026-11-15T02:00:00.000Z',
      'viewer@demo.test auth.login_failed 2026-11-14T16:00:00.000Z',
    ]);
    const ids = (await activityPage(admin.cookie, 'from=2026-11-15&to=2026-11-15')).data.list.rows.map((r: any) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(await seen('to=2026-11-14')).toEqual(['viewer@demo.test auth.login 2026-11-14T15:59:59.999Z']);
    expect(await seen('from=2026-11-16')).toEqual(['viewer@demo.test auth.logout 2026-11-15T16:00:00.000Z']);
  });

  it('by user (email part or id) and by action (prefix)', async () => {
    expect(await seen('user=viewer@demo')).toEqual([
      'viewer@demo.test auth.logout 2026-11-15T16:00:00.000Z',
      'viewer@demo.test auth.login_failed 2026-11-14T16:00:00.000Z',
      'viewer@demo.test auth.login 2026-11-14T15:59:59.999Z',
    ]);
    expect(await seen(`user=${teleId}`)).toHaveLength(2);
    expect(await seen('action=auth.login_failed')).toEqual([
      '- auth.login_failed 2026-11-15T04:00:00.000Z',
      'viewer@demo.test auth.login_failed 2026-11-14T16:00:00.000Z',
    ]);
    expect(await seen('action=auth.locked&user=tele.fcash')).toEqual(['tele.fcash@demo.test auth.locked 2026-11-15T15:59:59.999Z']);
    expect(await seen('user=nobody@nowhere')).toEqual([]);
  });

  it("a single-company admin does not see the other company's users' activity", async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
    const rows = await seen('', fcashAdmin.cookie);
    expect(rows.some((r: string) => r.startsWith('tele.pcni@demo.test'))).toBe(false);
    expect(rows.some((r: string) => r.startsWith('tele.fcash@demo.test'))).toBe(true);
    expect(await seen('user=tele.pcni', fcashAdmin.cookie)).toEqual([]);
    expect(await seen(`user=${pcniId}`, fcashAdmin.cookie)).toEqual([]);
    // The two-company admin sees it.
    expect((await seen('user=tele.pcni')).length).toBe(1);
  });

  it("a single-company admin does not see admin actions about the other company's users either", async () => {
    // admin@demo.test (both companies) created the PCNI agent and gave it a PCNI branch: the rows name
    // the PCNI user and its branches in their details.
    await logAt(admin.userId, 'user.created', '2026-11-15T05:00:00.000Z', {
      resourceId: String(pcniId),
      details: { new: { email: 'tele.pcni@demo.test', fullName: 'Liza Manalo' } },
    });
    await createCompanyAdmin(t.client, 'FCASH');
    const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
    const answer = await activityPage(fcashAdmin.cookie, 'action=user.');
    expect(JSON.stringify(answer.data.list.rows)).not.toContain('tele.pcni@demo.test');
  });

  it.each([
    ['from=15-11-2026', 'Filter "from" must be a date (YYYY-MM-DD)'],
    ['to=2026-11-15T00:00', 'Filter "to" must be a date (YYYY-MM-DD)'],
    ['action=DROP TABLE', 'Filter "action" is not an action name'],
    ['from=2026-13-01', 'Filter "from"'],
    ['from=2026-02-30', 'Filter "from"'],
    ['from=2026-11-16&to=2026-11-15', '"from"'],
  ])('answers 400 with a clear message for %s, and reads nothing', async (qs, message) => {
    const before = await snapshot(t.client, 'activity_logs');
    const answer = await activityPage(admin.cookie, qs);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toContain(message);
    expect(answer.data.list).toBeNull();
    expect(await snapshot(t.client, 'activity_logs')).toEqual(before);
  });

  it('is 403 without activity:read', async () => {
    const officer = await startTestSession(ctx, 'branch.mnla01@demo.test');
    expect((await activityPage(officer.cookie, '')).status).toBe(403);
  });
});
