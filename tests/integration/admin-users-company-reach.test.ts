// Decision 007: companies never see each other's staff. A one-company admin reading a user who works
// for both companies sees only what its own company grants (grants, roles, branches, areas), and
// the users list's filters do not accept the other company's branch or area ids (404).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyTemplateStatement, recordRoleStatement } from '../../db/seed/role-templates';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { areaIdOf, branchIdOf, companyIdOf, createCompanyAdmin, userPageGet, usersLoader } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;
let both: number;
let fcash: number;
let pcni: number;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  fcash = await companyIdOf(t.client, 'FCASH');
  pcni = await companyIdOf(t.client, 'PCNI');
  await createCompanyAdmin(t.client, 'FCASH');
  // A tele agent of both companies: an FCASH branch, a PCNI branch and a PCNI area.
  both = await createTestUser(t.client, { email: 'tele.both@demo.test', fullName: 'Tess Both Companies', branches: ['MNLA01', 'MNLA03'] });
  for (const [template, company] of [
    ['FC_TELE', 'FCASH'],
    ['PCNI_TELE', 'PCNI'],
  ] as const) {
    await t.client.execute(applyTemplateStatement(both, template, company));
    await t.client.execute(recordRoleStatement(both, template, company));
  }
  await t.client.execute({ sql: 'INSERT INTO user_areas (user_id, area_id) VALUES (?, ?)', args: [both, await areaIdOf(t.client, 'PCNI', 'R1')] });
});
afterEach(() => t.close());

describe('user page: a one-company admin reading a two-company user', () => {
  it("lists only the reader's company's grants, roles, branches and areas", async () => {
    const reader = await startTestSession(ctx, 'admin.fcash@demo.test');
    const page = await userPageGet(ctx, reader.cookie, both);
    expect(page.status).toBe(200);
    const { grants, roles, branches, areas } = page.data.access;
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g: { companyId: number }) => g.companyId === fcash)).toBe(true);
    expect(roles.map((r: { code: string }) => r.code)).toEqual(['FC_TELE']);
    expect(branches.map((b: { code: string }) => b.code)).toEqual(['MNLA01']);
    expect(areas).toEqual([]);
    expect(JSON.stringify(page.data)).not.toContain('PCNI_TELE');
  });

  it('the admin of both companies still sees everything', async () => {
    const reader = await startTestSession(ctx, 'admin@demo.test');
    const { grants, roles, branches, areas } = (await userPageGet(ctx, reader.cookie, both)).data.access;
    expect(new Set(grants.map((g: { companyId: number }) => g.companyId))).toEqual(new Set([fcash, pcni]));
    expect(roles.map((r: { code: string }) => r.code).sort()).toEqual(['FC_TELE', 'PCNI_TELE']);
    expect(branches.map((b: { code: string }) => b.code)).toEqual(['MNLA01', 'MNLA03']);
    expect(areas.map((a: { code: string }) => a.code)).toEqual(['R1']);
  });
});

describe("users list: the other company's ids and roles", () => {
  const list = (cookie: string, qs: string) => callRoute(usersLoader, ctx, requestWithCookie(cookie, `/admin/users?pageSize=100&${qs}`));

  it('answers 404 for a branch or area filter of the other company, like an unknown id', async () => {
    const reader = await startTestSession(ctx, 'admin.fcash@demo.test');
    const unknown = await list(reader.cookie, 'branch=987654321');
    expect(unknown.status).toBe(404);
    const branch = await list(reader.cookie, `branch=${await branchIdOf(t.client, 'MNLA03')}`);
    expect(branch.status).toBe(404);
    expect(branch.data).toEqual(unknown.data);
    expect((await list(reader.cookie, `area=${await areaIdOf(t.client, 'PCNI', 'R1')}`)).status).toBe(404);
    expect((await list(reader.cookie, 'area=987654321')).status).toBe(404);
    // Their own company's ids still filter.
    const own = await list(reader.cookie, `branch=${await branchIdOf(t.client, 'MNLA01')}`);
    expect(own.status).toBe(200);
    expect(own.data.list.rows.map((r: { email: string }) => r.email)).toContain('tele.both@demo.test');
  });

  it("a territory reader's filters stop at the territory", async () => {
    const areaManager = await startTestSession(ctx, 'area.ncr@demo.test'); // FCASH NCR + PCNI NCR
    expect((await list(areaManager.cookie, `branch=${await branchIdOf(t.client, 'CEBU01')}`)).status).toBe(404);
    expect((await list(areaManager.cookie, `area=${await areaIdOf(t.client, 'FCASH', 'R7')}`)).status).toBe(404);
    expect((await list(areaManager.cookie, `branch=${await branchIdOf(t.client, 'QZN01')}`)).status).toBe(200);
    expect((await list(areaManager.cookie, `area=${await areaIdOf(t.client, 'FCASH', 'NCR')}`)).status).toBe(200);
  });

  it("the roles column and the role filter name only the reader's company's roles", async () => {
    const reader = await startTestSession(ctx, 'admin.fcash@demo.test');
    const answer = await list(reader.cookie, 'q=tele.both');
    expect(answer.data.list.rows).toHaveLength(1);
    expect(answer.data.list.rows[0].roles).toBe('FCASH tele agent');
    expect((await list(reader.cookie, 'role=PCNI_TELE')).data.list.rows).toEqual([]);
    const admin = await startTestSession(ctx, 'admin@demo.test');
    expect((await list(admin.cookie, 'q=tele.both')).data.list.rows[0].roles.split(', ').sort()).toEqual(['FCASH tele agent', 'PCNI tele agent']);
    expect((await list(admin.cookie, 'role=PCNI_TELE')).data.list.rows.map((r: { email: string }) => r.email)).toEqual(['tele.both@demo.test']);
  });
});
