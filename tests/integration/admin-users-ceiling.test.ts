// The privilege ceiling (decision 089): an admin with users:manage company-wide gives, changes and
// takes away only grants they hold themselves at a scope at least as wide; role templates alike
// (on the user page and on /admin/users/new); nobody changes their own grants or territory, on the
// user page, in the core functions, or through the branch screen's assign/unassign. Every refusal
// is a 400 form error, writes nothing but one logged refusal row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as branchAction, loader as branchLoader } from '../../app/routes/branches.$id/route';
import { applyRoleTemplate, roleTemplateRefusal, setCompanyGrants } from '../../app/core/users/grants.server';
import { loader as newUserLoader } from '../../app/routes/admin.users.new';
import { setTerritory } from '../../app/core/users/territory.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { loadAccess } from '../../app/core/access/access.server';
import { ADMIN_TABLES, branchIdOf, companyIdOf, createUserPost, grantsOf, postForm, snapshotAll, userPageGet, userPagePost } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;
let fcash: number;

/** A user administrator of FCASH who is a branch officer otherwise: users:manage company-wide, little else. */
const LIMITED_ADMIN = 'user.admin@demo.test';
const BRANCH_OFFICER_SET = ['clients:read', 'clients:update', 'status:read', 'status:update', 'status:history:read', 'reports:read', 'branches:read'] as const;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  fcash = await companyIdOf(t.client, 'FCASH');
});
afterEach(() => t.close());

async function limitedAdmin() {
  await createTestUser(t.client, {
    email: LIMITED_ADMIN,
    fullName: 'Ursula Admin',
    branches: ['MNLA01'],
    grants: [['users:read', 'FCASH', 'all'], ['users:manage', 'FCASH', 'all'], ...BRANCH_OFFICER_SET.map((code) => [code, 'FCASH', 'branch'] as const)],
  });
  return startTestSession(ctx, LIMITED_ADMIN);
}

const userIdOf = async (email: string) => Number((await sqlRows(t.client, 'SELECT id FROM users WHERE email = ?', [email]))[0].id);

const refusals = (action: string) =>
  sqlRows(t.client, 'SELECT user_id, resource_id, details FROM activity_logs WHERE action = ? ORDER BY id', [action]).then((rows) =>
    rows.map((r) => ({ ...r, details: JSON.parse(String(r.details)) })),
  );

/** Runs `run`; asserts that nothing changed but exactly one new activity row, of `action`. */
async function expectOnlyRefusal<T>(action: string, run: () => Promise<T>): Promise<T> {
  const before = await snapshotAll(t.client);
  const result = await run();
  const after = await snapshotAll(t.client);
  for (const table of ADMIN_TABLES) if (table !== 'activity_logs') expect(after[table], `${table} changed`).toEqual(before[table]);
  const added = after.activity_logs.slice(before.activity_logs.length);
  expect(added.map((r) => (r as { action: string }).action)).toEqual([action]);
  return result;
}

describe('grants and role templates are capped at the admin’s own', () => {
  it('refuses a permission the admin does not hold (config:manage, status:revert, sync:execute), and logs it', async () => {
    const admin = await limitedAdmin();
    const userId = await createTestUser(t.client, { email: 'newcomer@demo.test' });
    for (const code of ['config:manage', 'status:revert', 'sync:execute']) {
      const answer = await expectOnlyRefusal('user.grant_refused', () =>
        userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, 'grant:clients:read': 'branch', [`grant:${code}`]: 'self' }),
      );
      expect(answer.status, code).toBe(400);
      expect(answer.data.formError).toBe(`You cannot change ${code}: you do not hold it yourself. Ask an admin who holds it.`);
    }
    expect(await grantsOf(t.client, userId)).toEqual([]);
    const [log] = await refusals('user.grant_refused');
    expect(log).toMatchObject({
      user_id: admin.userId,
      resource_id: String(userId),
      details: { companyId: fcash, beyond: [{ code: 'config:manage', scope: 'self', actorScope: null }] },
    });
  });

  it('refuses a scope wider than the admin’s own, and allows the same permission at the admin’s scope or narrower', async () => {
    const admin = await limitedAdmin();
    const userId = await createTestUser(t.client, { email: 'newcomer@demo.test' });
    const wider = await expectOnlyRefusal('user.grant_refused', () =>
      userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, 'grant:clients:read': 'all' }),
    );
    expect(wider.status).toBe(400);
    expect(wider.data.formError).toBe('You cannot change clients:read: you hold it only at scope branch, not all. Ask an admin who holds it.');
    const ok = await userPagePost(ctx, admin.cookie, userId, {
      intent: 'grants',
      companyId: fcash,
      'grant:clients:read': 'branch',
      'grant:status:read': 'self',
    });
    expect(ok.status).toBe(302);
    expect(await grantsOf(t.client, userId)).toEqual([
      ['clients:read', 'FCASH', 'branch'],
      ['status:read', 'FCASH', 'self'],
    ]);
  });

  it('refuses to take away or narrow a grant above the ceiling, but leaves it alone when only other grants change', async () => {
    const admin = await limitedAdmin();
    const userId = await createTestUser(t.client, {
      email: 'senior@demo.test',
      grants: [
        ['config:manage', 'FCASH', 'all'],
        ['clients:read', 'FCASH', 'all'],
      ],
    });
    for (const fields of [{ 'grant:clients:read': 'all' }, { 'grant:config:manage': 'self', 'grant:clients:read': 'all' }, { 'grant:config:manage': 'all' }]) {
      const answer = await expectOnlyRefusal('user.grant_refused', () =>
        userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, ...fields }),
      );
      expect(answer.status, JSON.stringify(fields)).toBe(400);
    }
    const ok = await userPagePost(ctx, admin.cookie, userId, {
      intent: 'grants',
      companyId: fcash,
      'grant:config:manage': 'all',
      'grant:clients:read': 'all',
      'grant:status:read': 'branch',
    });
    expect(ok.status).toBe(302);
  });

  it('applies a template within the ceiling, refuses one beyond it (admin, viewer at scope all)', async () => {
    const admin = await limitedAdmin();
    const userId = await createTestUser(t.client, { email: 'newcomer@demo.test' });
    for (const [template, message] of [
      ['admin', 'The role admin changes activity:read: you do not hold it yourself (and 16 more). Ask an admin who holds it.'],
      ['viewer', 'The role viewer changes areas:read: you do not hold it yourself (and 4 more). Ask an admin who holds it.'],
    ]) {
      const answer = await expectOnlyRefusal('user.grant_refused', () =>
        userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, roleTemplate: template }),
      );
      expect(answer.status, template).toBe(400);
      expect(answer.data.formError).toBe(message);
    }
    expect((await userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, roleTemplate: 'branch_officer' })).status).toBe(302);
    expect((await grantsOf(t.client, userId)).map((g) => g[0])).toEqual([...BRANCH_OFFICER_SET].sort());
  });

  it('offers only the templates within the ceiling, on the user page and on /admin/users/new; the full admin sees them all', async () => {
    const admin = await limitedAdmin();
    const userId = await createTestUser(t.client, { email: 'newcomer@demo.test' });
    const offered = (answer: { data: { options: { templates: Array<{ code: string }> } } }) => answer.data.options.templates.map((x) => x.code);
    const page = await userPageGet(ctx, admin.cookie, userId);
    const form = await callRoute(newUserLoader, ctx, requestWithCookie(admin.cookie, '/admin/users/new'));
    expect(offered(page)).not.toContain('admin');
    expect(offered(page)).not.toContain('viewer');
    expect(offered(page)).toContain('branch_officer');
    expect(offered(form)).toEqual(offered(page));
    // Every template offered is one the limited admin may apply (a refused one would be offered in vain).
    for (const code of offered(page)) expect(await roleTemplateRefusal(ctx, await userIdOf(LIMITED_ADMIN), fcash, code), code).toBeNull();
    const full = await startTestSession(ctx, 'admin@demo.test');
    const all = await sqlCount(t.client, 'SELECT count(*) FROM role_templates WHERE is_active = 1');
    expect(offered(await userPageGet(ctx, full.cookie, userId))).toHaveLength(all);
  });

  it('refuses a template beyond the ceiling on /admin/users/new before creating anyone', async () => {
    const admin = await limitedAdmin();
    const usersBefore = await sqlCount(t.client, 'SELECT count(*) FROM users');
    const answer = await createUserPost(ctx, admin.cookie, { email: 'climber@demo.test', fullName: 'Carl Climber', roleTemplate: 'admin', companyId: fcash });
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.roleTemplate).toMatch(/^The role admin changes activity:read: you do not hold it yourself/);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM users')).toBe(usersBefore);
    expect(await refusals('user.grant_refused')).toHaveLength(1);
    const within = await createUserPost(ctx, admin.cookie, {
      email: 'officer@demo.test',
      fullName: 'Olga Officer',
      roleTemplate: 'branch_officer',
      companyId: fcash,
    });
    expect(within.status).toBe(302);
  });

  it('the core functions refuse the admin’s own grants and a company where the actor lacks users:manage company-wide', async () => {
    const admin = await limitedAdmin();
    const pcni = await companyIdOf(t.client, 'PCNI');
    const other = await createTestUser(t.client, { email: 'newcomer@demo.test' });
    await expectOnlyRefusal('user.grant_refused', async () =>
      expect(await setCompanyGrants(ctx, admin.userId, admin.userId, fcash, { 'users:manage': 'all', 'config:manage': 'all' })).toEqual({
        ok: false,
        message: 'Ask another admin to change your own permissions.',
      }),
    );
    await expectOnlyRefusal('user.grant_refused', async () =>
      expect(await applyRoleTemplate(ctx, admin.userId, admin.userId, fcash, 'branch_officer')).toEqual({
        ok: false,
        message: 'Ask another admin to change your own permissions.',
      }),
    );
    await expectOnlyRefusal('user.grant_refused', async () =>
      expect(await setCompanyGrants(ctx, admin.userId, other, pcni, { 'clients:read': 'self' })).toEqual({
        ok: false,
        message: 'You cannot change permissions in this company.',
      }),
    );
  });
});

describe('nobody changes their own territory', () => {
  it('the user page refuses the admin’s own territory (400) and logs it; the core function too', async () => {
    const admin = await startTestSession(ctx, 'admin@demo.test');
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const answer = await expectOnlyRefusal('user.territory_refused', () =>
      userPagePost(ctx, admin.cookie, admin.userId, { intent: 'territory', branchIds: [mnla01] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ intent: 'territory', formError: 'Ask another admin to change your own territory.' });

    const limited = await limitedAdmin();
    const scope = scopeFor(await loadAccess(ctx, limited.userId), 'users:manage')!;
    await expectOnlyRefusal('user.territory_refused', async () =>
      expect(await setTerritory(ctx, scope, limited.userId, limited.userId, { branchIds: [], areaIds: [] })).toEqual({
        ok: false,
        message: 'Ask another admin to change your own territory.',
      }),
    );
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_branches WHERE user_id = ?', [limited.userId])).toBe(1); // MNLA01 kept
  });

  it('the branch screen neither offers nor lets an admin assign or unassign themselves', async () => {
    const admin = await startTestSession(ctx, 'admin@demo.test');
    const cebu = await branchIdOf(t.client, 'CEBU01');
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const post = (branchId: number, fields: Parameters<typeof postForm>[0]) =>
      callRoute(branchAction, ctx, requestWithCookie(admin.cookie, `/branches/${branchId}`, postForm(fields)), { id: String(branchId) });

    const page = await callRoute(branchLoader, ctx, requestWithCookie(admin.cookie, `/branches/${cebu}`), { id: String(cebu) });
    expect(page.data.userFields[0].options.map((o: { value: string }) => Number(o.value))).not.toContain(admin.userId);
    const assign = await expectOnlyRefusal('user.territory_refused', () => post(cebu, { intent: 'assign-user', userId: admin.userId }));
    expect(assign.status).toBe(400);
    expect(assign.data.fieldErrors.userId).toBe('Ask another admin to change your own territory.');

    await t.client.execute({ sql: 'INSERT INTO user_branches (user_id, branch_id) VALUES (?, ?)', args: [admin.userId, mnla01] });
    const shown = await callRoute(branchLoader, ctx, requestWithCookie(admin.cookie, `/branches/${mnla01}`), { id: String(mnla01) });
    expect(shown.data.canUnassign).not.toContain(admin.userId);
    const unassign = await expectOnlyRefusal('user.territory_refused', () => post(mnla01, { intent: 'unassign-user', rowId: admin.userId }));
    expect(unassign.status).toBe(400);
    expect(await refusals('user.territory_refused')).toMatchObject([
      { user_id: admin.userId, details: { reason: 'self', change: 'assign', branchId: cebu } },
      { user_id: admin.userId, details: { reason: 'self', change: 'unassign', branchId: mnla01 } },
    ]);
  });
});
