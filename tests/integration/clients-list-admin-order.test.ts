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
    for (const row of twins) await t.client.execute({ sql: 'UPDATE clients SET full_name = ? WHERE id = ?', args: [first.full_name, row.id] });
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id = ?", args: [twins[0].id] });
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
