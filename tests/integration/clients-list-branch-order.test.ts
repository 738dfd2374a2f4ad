// A branch-scoped user's unfiltered list by name reads one ordered arm per branch of their territory
// and merges them (decision 125): every page, both directions, with and without a company or branch
// filter, must equal one ORDER BY over the live clients of exactly their branches, ties by id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { callRoute, signedInRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

/** The user's branches as the database holds them: assigned directly, or through a live area. */
const TERRITORY = `SELECT b.id FROM user_branches ub JOIN users u ON u.id = ub.user_id JOIN branches b ON b.id = ub.branch_id
  WHERE u.email = ? AND b.deleted_at IS NULL
  UNION SELECT b.id FROM user_areas ua JOIN users u ON u.id = ua.user_id JOIN areas a ON a.id = ua.area_id AND a.deleted_at IS NULL
  JOIN area_branches ab ON ab.area_id = a.id JOIN branches b ON b.id = ab.branch_id WHERE u.email = ? AND b.deleted_at IS NULL`;

const pageIds = async (email: string, qs: string) => {
  const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?${qs}`));
  expect(answer.status, qs).toBe(200);
  return { ids: (answer.data.list.rows as Array<{ id: number }>).map((r) => r.id), total: answer.data.list.total as number };
};

const expected = async (email: string, extra: string, args: number[], dir: 'asc' | 'desc', page: number) =>
  (
    await sqlRows(
      t.client,
      `SELECT id FROM clients WHERE deleted_at IS NULL AND branch_id IN (${TERRITORY}) ${extra} ORDER BY full_name ${dir}, id LIMIT 25 OFFSET ?`,
      [email, email, ...args, (page - 1) * 25],
    )
  ).map((r) => Number(r.id));

const USERS = ['tele.fcash@demo.test', 'area.ncr@demo.test', 'branch.mnla01@demo.test'];

describe('clients list by name for a user who holds branches, not whole companies', () => {
  it('gives the same pages as one sort over the clients of their branches, ties by id, in both directions', async () => {
    // Twins across two of the tele agent's branches and a soft-deleted one among them: ties and exclusions cross the arms.
    const tele = (await sqlRows(t.client, TERRITORY, ['tele.fcash@demo.test', 'tele.fcash@demo.test'])).map((r) => Number(r.id));
    expect(tele.length).toBeGreaterThan(1);
    const [first] = await sqlRows(t.client, `SELECT full_name FROM clients WHERE branch_id IN (${tele.join(',')}) ORDER BY full_name LIMIT 1 OFFSET 10`);
    const twins = await sqlRows(t.client, `SELECT id FROM clients WHERE branch_id IN (${tele[0]}, ${tele[1]}) AND deleted_at IS NULL ORDER BY id DESC LIMIT 4`);
    for (const row of twins) await t.client.execute({ sql: 'UPDATE clients SET full_name = ? WHERE id = ?', args: [String(first.full_name), Number(row.id)] });
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id = ?", args: [Number(twins[0].id)] });

    for (const email of USERS) {
      const live = await sqlCount(t.client, `SELECT count(*) FROM clients WHERE deleted_at IS NULL AND branch_id IN (${TERRITORY})`, [email, email]);
      // The tele agent and the area manager hold several branches and more than two pages; the officer one branch.
      expect(live, email).toBeGreaterThan(email.startsWith('branch.') ? 0 : 50);
      const lastPage = Math.ceil(live / 25);
      for (const dir of ['asc', 'desc'] as const) {
        for (const page of new Set([1, Math.min(2, lastPage), lastPage])) {
          const got = await pageIds(email, `dir=${dir}&page=${page}`);
          expect(got.ids, `${email} ${dir} page ${page}`).toEqual(await expected(email, '', [], dir, page));
          expect(got.total, email).toBe(live);
        }
      }
    }
  });

  it('sorted by past due, gives the same pages as one sort over the clients of their branches, ties by id (decision 129)', async () => {
    const tele = (await sqlRows(t.client, TERRITORY, ['tele.fcash@demo.test', 'tele.fcash@demo.test'])).map((r) => Number(r.id));
    // Equal amounts in two of the tele agent's branches: the tie crosses the arms.
    const twins = await sqlRows(t.client, `SELECT id FROM clients WHERE branch_id IN (${tele[0]}, ${tele[1]}) AND deleted_at IS NULL ORDER BY id DESC LIMIT 4`);
    for (const row of twins) await t.client.execute({ sql: 'UPDATE clients SET past_due_centavos = 777 WHERE id = ?', args: [Number(row.id)] });
    for (const email of USERS) {
      const live = await sqlCount(t.client, `SELECT count(*) FROM clients WHERE deleted_at IS NULL AND branch_id IN (${TERRITORY})`, [email, email]);
      const lastPage = Math.ceil(live / 25);
      for (const dir of ['asc', 'desc'] as const) {
        for (const page of new Set([1, Math.min(2, lastPage), lastPage])) {
          const got = await pageIds(email, `sort=pastDue&dir=${dir}&page=${page}`);
          const want = await sqlRows(
            t.client,
            `SELECT id FROM clients WHERE deleted_at IS NULL AND branch_id IN (${TERRITORY}) ORDER BY past_due_centavos ${dir}, id LIMIT 25 OFFSET ?`,
            [email, email, (page - 1) * 25],
          );
          expect(got.ids, `${email} ${dir} page ${page}`).toEqual(want.map((r) => Number(r.id)));
          expect(got.total, email).toBe(live);
        }
      }
    }
  });

  it('keeps to the branch or company filter inside the territory, and shows nothing of a branch outside it', async () => {
    const email = 'area.ncr@demo.test';
    const territory = await sqlRows(t.client, `SELECT id, company_id FROM branches WHERE id IN (${TERRITORY}) ORDER BY id`, [email, email]);
    const companies = [...new Set(territory.map((b) => Number(b.company_id)))];
    expect(companies.length).toBe(2);
    for (const company of companies) {
      for (const dir of ['asc', 'desc'] as const) {
        const got = await pageIds(email, `company=${company}&dir=${dir}`);
        expect(got.ids, `company ${company} ${dir}`).toEqual(await expected(email, 'AND company_id = ?', [company], dir, 1));
      }
    }
    const branch = Number(territory[territory.length - 1].id);
    const got = await pageIds(email, `branch=${branch}&dir=desc`);
    expect(got.ids.length).toBeGreaterThan(0);
    expect(got.ids).toEqual(await expected(email, 'AND branch_id = ?', [branch], 'desc', 1));

    const [outside] = await sqlRows(t.client, `SELECT id FROM branches WHERE id NOT IN (${TERRITORY}) AND deleted_at IS NULL LIMIT 1`, [email, email]);
    const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?branch=${Number(outside.id)}`));
    expect(answer.data.list?.rows ?? []).toEqual([]);
  });
});
