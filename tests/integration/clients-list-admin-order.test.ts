// The admin's unfiltered list by name reads one ordered arm per company and merges them (decision 099):
// every page, both directions, must equal one ORDER BY over all clients in scope, ties by id.
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

const ids = async (qs: string) => {
  const answer = await callRoute(loader, ctx, await signedInRequest(ctx, 'admin@demo.test', `/clients?${qs}`));
  expect(answer.status).toBe(200);
  return (answer.data.list.rows as Array<{ id: number }>).map((r) => r.id);
};
const expected = async (dir: 'asc' | 'desc', limit: number, offset: number) =>
  (await sqlRows(t.client, `SELECT id FROM clients WHERE deleted_at IS NULL ORDER BY full_name ${dir}, id LIMIT ? OFFSET ?`, [limit, offset])).map((r) => r.id);

describe('admin clients list by name, across companies', () => {
  it('gives the same pages as one sort over every client, ties broken by id, in both directions', async () => {
    // Same name in both companies and a soft-deleted one among them: ties and exclusions cross the arms.
    const [first] = await sqlRows(t.client, 'SELECT full_name FROM clients WHERE deleted_at IS NULL ORDER BY full_name LIMIT 1 OFFSET 30');
    const twins = await sqlRows(
      t.client,
      'SELECT id FROM (SELECT id, company_id, row_number() OVER (PARTITION BY company_id ORDER BY id DESC) n FROM clients) WHERE n <= 3',
    );
    for (const row of twins)
      await t.client.execute({ sql: 'UPDATE clients SET full_name = ? WHERE id = ?', args: [first.full_name as string, row.id as number] });
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id = ?", args: [twins[0].id as number] });
    expect(await sqlCount(t.client, 'SELECT count(DISTINCT company_id) FROM clients WHERE full_name = ?', [String(first.full_name)])).toBe(2);

    const total = await sqlCount(t.client, 'SELECT count(*) FROM clients WHERE deleted_at IS NULL');
    const lastPage = Math.ceil(total / 25);
    for (const dir of ['asc', 'desc'] as const) {
      for (const page of [1, 2, 3, lastPage]) {
        expect(await ids(`dir=${dir}&page=${page}`), `${dir} page ${page}`).toEqual(await expected(dir, 25, (page - 1) * 25));
      }
    }
  });
});

describe('admin clients list by past due, across companies (decision 129)', () => {
  it('gives the same pages as one sort over every client, ties by id: equal amounts across companies, the many who owe nothing, a negative one', async () => {
    // Descending, each company's arm reads the owing, the zero and the negative amounts as three parts:
    // pages across each boundary must still be one sort.
    const twins = await sqlRows(
      t.client,
      'SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY company_id ORDER BY id DESC) n FROM clients) WHERE n <= 3',
    );
    for (const row of twins) await t.client.execute({ sql: 'UPDATE clients SET past_due_centavos = 123456 WHERE id = ?', args: [Number(row.id)] });
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id = ?", args: [Number(twins[0].id)] });
    await t.client.execute('UPDATE clients SET past_due_centavos = -500 WHERE id = (SELECT min(id) FROM clients WHERE company_id = 2)');
    const live = (where: string) => sqlCount(t.client, `SELECT count(*) FROM clients WHERE deleted_at IS NULL AND ${where}`);
    const owing = await live('past_due_centavos > 0');
    expect(owing).toBeGreaterThan(25);
    expect(await live('past_due_centavos = 0')).toBeGreaterThan(25);
    const total = await live('1');
    const lastPage = Math.ceil(total / 25);
    const boundary = Math.floor(owing / 25) + 1; // descending: the page where the owing end and the zeros begin
    const order = async (dir: 'asc' | 'desc', page: number, where = '1', args: number[] = []) =>
      (
        await sqlRows(t.client, `SELECT id FROM clients WHERE deleted_at IS NULL AND ${where} ORDER BY past_due_centavos ${dir}, id LIMIT 25 OFFSET ?`, [
          ...args,
          (page - 1) * 25,
        ])
      ).map((r) => r.id);
    for (const dir of ['asc', 'desc'] as const) {
      for (const page of new Set([1, 2, boundary, boundary + 1, Math.ceil(lastPage / 2), lastPage])) {
        expect(await ids(`sort=pastDue&dir=${dir}&page=${page}`), `${dir} page ${page}`).toEqual(await order(dir, page));
      }
      expect(await ids(`sort=pastDue&dir=${dir}&company=2`), `company 2 ${dir}`).toEqual(await order(dir, 1, 'company_id = ?', [2]));
    }
  });
});

describe('the unfiltered total, from the per-branch live counts', () => {
  const total = async (email: string, qs = '') => {
    const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?${qs}`));
    expect(answer.status).toBe(200);
    return answer.data.list.total as number;
  };
  const live = (where = '1', args: number[] = []) => sqlCount(t.client, `SELECT count(*) FROM clients c WHERE c.deleted_at IS NULL AND (${where})`, args);

  it('stays equal to a count over clients after inserts, moves, soft deletes, restores and deletes', async () => {
    const ids = (await sqlRows(t.client, 'SELECT id FROM clients ORDER BY id')).map((r) => Number(r.id));
    const [mnla] = await sqlRows(t.client, "SELECT id, company_id FROM branches WHERE code = 'MNLA01'");
    const [qzn] = await sqlRows(t.client, "SELECT id, company_id FROM branches WHERE code = 'QZN01'");
    const writes = [
      "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id IN (?, ?)",
      'UPDATE clients SET deleted_at = NULL WHERE id = ?',
      `UPDATE clients SET branch_id = ${mnla.id}, company_id = ${mnla.company_id} WHERE id IN (?, ?)`,
      `UPDATE clients SET branch_id = ${qzn.id}, company_id = ${qzn.company_id} WHERE id = ?`,
      'UPDATE clients SET past_due_centavos = past_due_centavos + 1, branch_id = branch_id WHERE id = ?',
      "INSERT INTO clients (client_code, full_name, company_id, product_id, par_status_id, branch_id, deleted_at) SELECT 'ZZ' || ?, full_name, company_id, product_id, par_status_id, branch_id, deleted_at FROM clients WHERE id = ?",
    ];
    let n = 0;
    for (let round = 0; round < 30; round++) {
      const pick = () => ids[(round * 7919 + n++ * 104729) % ids.length];
      const sql = writes[round % writes.length];
      const args = Array.from({ length: (sql.match(/\?/g) ?? []).length }, pick);
      await t.client.execute({ sql, args });
    }
    await t.client.execute({ sql: 'DELETE FROM client_sync_history WHERE client_id = ?', args: [ids[5]] });
    await t.client.execute({
      sql: 'DELETE FROM clients WHERE id = ? AND NOT EXISTS (SELECT 1 FROM client_period_status WHERE client_id = ?)',
      args: [ids[5], ids[5]],
    });

    expect(await total('admin@demo.test')).toBe(await live());
    expect(await total('branch.mnla01@demo.test')).toBe(await live('c.branch_id = ?', [Number(mnla.id)]));
    expect(await total('admin@demo.test', `branch=${qzn.id}`)).toBe(await live('c.branch_id = ?', [Number(qzn.id)]));
    expect(await total('admin@demo.test', `company=${mnla.company_id}`)).toBe(await live('c.company_id = ?', [Number(mnla.company_id)]));
    const byBranch = await sqlRows(t.client, 'SELECT company_id, branch_id, live FROM client_branch_counts WHERE live <> 0 ORDER BY 1, 2');
    const recount = await sqlRows(t.client, 'SELECT company_id, branch_id, count(*) AS live FROM clients WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2');
    expect(byBranch).toEqual(recount);
  });
});
