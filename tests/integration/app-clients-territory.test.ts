// The clients list shows each user exactly their territory: compared with direct SQL on a real db.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { DEMO_TELE_BRANCH_CODES } from '../../db/seed/index';
import { callRoute, signedInRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

async function listAs(email: string, qs = 'pageSize=100') {
  const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?${qs}`));
  expect(answer.status).toBe(200);
  return answer.data;
}

/** Every row of the list, page by page, as a signed-in user sees it. */
async function allRowsAs(email: string) {
  const first = await listAs(email, 'pageSize=100&sort=code');
  const rows = [...first.list.rows];
  for (let page = 2; page <= first.list.pages; page++) rows.push(...(await listAs(email, `pageSize=100&sort=code&page=${page}`)).list.rows);
  return { total: first.list.total, rows, options: first.options };
}

const countInBranches = (codes: readonly string[]) =>
  sqlCount(
    t.client,
    `SELECT count(*) FROM clients c JOIN branches b ON b.id = c.branch_id
    WHERE c.deleted_at IS NULL AND b.code IN (${codes.map(() => '?').join(',')})`,
    [...codes],
  );

describe('clients list: territory', () => {
  it('shows a branch officer only the clients of MNLA01, all of them', async () => {
    const { total, rows, options } = await allRowsAs('branch.mnla01@demo.test');
    expect(total).toBe(await countInBranches(['MNLA01']));
    expect(total).toBeGreaterThan(0);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r: any) => r.branchCode))).toEqual(new Set(['MNLA01']));
    expect(options.branches.map((b: any) => b.code)).toEqual(['MNLA01']);
    expect(options.companies.map((c: any) => c.code)).toEqual(['FCASH']);
  });

  it("shows a tele agent only the clients of the agent's branches", async () => {
    const { total, rows } = await allRowsAs('tele.fcash@demo.test');
    expect(total).toBe(await countInBranches(DEMO_TELE_BRANCH_CODES));
    expect(new Set(rows.map((r: any) => r.branchCode))).toEqual(new Set(DEMO_TELE_BRANCH_CODES));
    expect(rows.every((r: any) => r.clientCode.startsWith('FC'))).toBe(true);
  });

  it('shows an area manager the branches of both assigned areas, including a branch linked as secondary', async () => {
    const userId = await userIdByEmail(t.db, 'area.ncr@demo.test');
    const territory = (
      await sqlRows(
        t.client,
        `SELECT DISTINCT b.code FROM user_areas ua JOIN area_branches ab ON ab.area_id = ua.area_id
       JOIN branches b ON b.id = ab.branch_id WHERE ua.user_id = ? ORDER BY b.code`,
        [userId],
      )
    ).map((r) => String(r.code));
    const { total, rows, options } = await allRowsAs('area.ncr@demo.test');
    expect(total).toBe(await countInBranches(territory));
    expect(options.branches.map((b: any) => b.code).sort()).toEqual(territory);
    expect(territory).toContain('ANTP01'); // CALABARZON branch listed under FCASH NCR too
    expect(rows.some((r: any) => r.branchCode === 'ANTP01')).toBe(true);
    expect(new Set(rows.map((r: any) => r.branchCode)).size).toBeGreaterThan(1);
    expect(rows.every((r: any) => territory.includes(r.branchCode))).toBe(true);
    expect(options.companies.map((c: any) => c.code).sort()).toEqual(['FCASH', 'PCNI']);
  });

  it('shows an admin every client of both companies', async () => {
    const data = await listAs('admin@demo.test');
    expect(data.list.total).toBe(await sqlCount(t.client, 'SELECT count(*) FROM clients WHERE deleted_at IS NULL'));
    expect(data.options.branches).toHaveLength(await sqlCount(t.client, 'SELECT count(*) FROM branches WHERE deleted_at IS NULL'));
  });

  it('hides a soft-deleted client from everyone, admin included', async () => {
    const [victim] = await sqlRows(t.client, `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' LIMIT 1`);
    const before = (await listAs('branch.mnla01@demo.test')).list.total;
    const adminBefore = (await listAs('admin@demo.test')).list.total;
    await t.client.execute({ sql: 'UPDATE clients SET deleted_at = 1 WHERE id = ?', args: [victim.id as number] });
    const after = await listAs('branch.mnla01@demo.test');
    expect(after.list.total).toBe(before - 1);
    expect(after.list.rows.map((r: any) => r.id)).not.toContain(victim.id);
    expect((await listAs('admin@demo.test')).list.total).toBe(adminBefore - 1);
  });

  it('shows a user whose grant has no branches an empty list, not everything', async () => {
    const userId = await userIdByEmail(t.db, 'branch.mnla01@demo.test');
    await t.client.execute({ sql: 'DELETE FROM user_branches WHERE user_id = ?', args: [userId] });
    const data = await listAs('branch.mnla01@demo.test');
    expect(data.list.total).toBe(0);
    expect(data.list.rows).toEqual([]);
    expect(data.options.branches).toEqual([]);
  });
});
