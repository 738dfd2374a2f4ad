// Search, filters, sort and paging of the clients list, each compared with direct SQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { callRoute, signedInRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode, sqlCount, sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const list = async (email: string, qs: string) => callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?${qs}`));
const admin = async (qs: string) => {
  const answer = await list('admin@demo.test', qs);
  expect(answer.status).toBe(200);
  return answer.data.list;
};
const count = (where: string, args: (string | number)[] = []) =>
  sqlCount(t.client, `SELECT count(*) FROM clients c WHERE c.deleted_at IS NULL AND (${where})`, args);

describe('clients list: search', () => {
  it('finds clients by code prefix, in any case', async () => {
    const expected = await count("c.client_code LIKE 'FC000001%'");
    expect(expected).toBeGreaterThan(1);
    const upper = await admin('q=FC000001&pageSize=100');
    expect(upper.total).toBe(expected);
    expect(upper.rows.every((r: any) => r.clientCode.startsWith('FC000001'))).toBe(true);
    expect((await admin('q=fc000001')).total).toBe(expected);
  });

  it('finds clients by a fragment of the name', async () => {
    const expected = await count("c.full_name LIKE '%dela cruz%'");
    expect(expected).toBeGreaterThan(0);
    const found = await admin('q=dela%20cruz&pageSize=100');
    expect(found.total).toBe(expected);
    expect(found.rows.every((r: any) => /dela cruz/i.test(r.fullName))).toBe(true);
  });

  it('finds a client by pension number', async () => {
    const [target] = await sqlRows(t.client, "SELECT id, pension_number FROM clients WHERE pension_number LIKE 'PVAO-%' LIMIT 1");
    const found = await admin(`q=${encodeURIComponent(String(target.pension_number))}`);
    expect(found.rows.map((r: any) => r.id)).toContain(target.id);
    expect(found.total).toBe(await count('c.pension_number LIKE ?', [`${target.pension_number}%`]));
  });

  it('matches "%" and "_" literally instead of as wildcards', async () => {
    expect((await admin('q=%25')).total).toBe(0);
    expect((await admin('q=_')).total).toBe(0);
  });

  it("never finds a client outside the user's territory, even by exact code", async () => {
    const [other] = await sqlRows(t.client, "SELECT c.client_code FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'QZN01' LIMIT 1");
    const answer = await list('branch.mnla01@demo.test', `q=${other.client_code}`);
    expect(answer.status).toBe(200);
    expect(answer.data.list.total).toBe(0);
  });
});

describe('clients list: filters narrow the list', () => {
  it('by company', async () => {
    const pcni = await idByCode(t.client, 'companies', 'PCNI');
    const found = await admin(`company=${pcni}&pageSize=100`);
    expect(found.total).toBe(await count('c.company_id = ?', [pcni]));
    expect(found.total).toBeLessThan(await count('1'));
    expect(found.rows.every((r: any) => r.productCode.startsWith('PCNI_'))).toBe(true);
  });

  it('by branch', async () => {
    const qzn01 = await idByCode(t.client, 'branches', 'QZN01');
    const found = await admin(`branch=${qzn01}&pageSize=100`);
    expect(found.total).toBe(await count('c.branch_id = ?', [qzn01]));
    expect(new Set(found.rows.map((r: any) => r.branchCode))).toEqual(new Set(['QZN01']));
  });

  it('by product', async () => {
    const pnp = await idByCode(t.client, 'products', 'PCNI_PNP');
    const found = await admin(`product=${pnp}`);
    expect(found.total).toBe(await count('c.product_id = ?', [pnp]));
    expect(found.rows.every((r: any) => r.productCode === 'PCNI_PNP')).toBe(true);
  });

  it('by PAR status', async () => {
    const hardcore = await idByCode(t.client, 'par_statuses', 'tele_hardcore');
    const found = await admin(`par=${hardcore}`);
    expect(found.total).toBe(await count('c.par_status_id = ?', [hardcore]));
    expect(found.rows.every((r: any) => r.parCode === 'tele_hardcore')).toBe(true);
  });

  it("by this period's status (November 2026 for monthly products, Q4 2026 for quarterly)", async () => {
    for (const code of ['PENDING', 'DONE']) {
      const status = await idByCode(t.client, 'status_types', code);
      const expected = await sqlCount(
        t.client,
        `SELECT count(*) FROM clients c JOIN products p ON p.id = c.product_id JOIN client_period_status s ON s.client_id = c.id
         AND s.period_key = CASE p.tracking_cycle WHEN 'quarterly' THEN '2026-Q4' ELSE '2026-11' END
         WHERE c.deleted_at IS NULL AND s.status_type_id = ?`,
        [status],
      );
      const found = await admin(`status=${status}&pageSize=100`);
      expect(found.total).toBe(expected);
      expect(found.rows.every((r: any) => r.statusCode === code)).toBe(true);
    }
  });

  it('combines filters with search', async () => {
    const fcash = await idByCode(t.client, 'companies', 'FCASH');
    const current = await idByCode(t.client, 'par_statuses', 'do_not_show');
    const found = await admin(`company=${fcash}&par=${current}&q=santos`);
    expect(found.total).toBe(await count("c.company_id = ? AND c.par_status_id = ? AND c.full_name LIKE '%santos%'", [fcash, current]));
  });
});

describe('clients list: sort and paging', () => {
  it('sorts by code descending', async () => {
    const found = await admin('sort=code&dir=desc&pageSize=50');
    const codes = found.rows.map((r: any) => r.clientCode);
    expect(codes).toEqual([...codes].sort().reverse());
    const [max] = await sqlRows(t.client, 'SELECT max(client_code) AS code FROM clients WHERE deleted_at IS NULL');
    expect(codes[0]).toBe(max.code);
  });

  it('gives page 2 different rows from page 1, and all pages add up to the total', async () => {
    const one = await admin('sort=code&pageSize=10');
    const two = await admin('sort=code&pageSize=10&page=2');
    const ids = new Set(one.rows.map((r: any) => r.id));
    expect(two.rows).toHaveLength(10);
    expect(two.rows.some((r: any) => ids.has(r.id))).toBe(false);
    expect(two.rows[0].clientCode > one.rows[9].clientCode).toBe(true);
    expect(one.pages).toBe(Math.ceil(one.total / 10));
  });

  it('clamps pageSize to 100 and page -1 to page 1', async () => {
    const big = await admin('pageSize=5000');
    expect(big.pageSize).toBe(100);
    expect(big.rows).toHaveLength(100);
    const negative = await admin('page=-1&sort=code');
    const first = await admin('sort=code');
    expect(negative.page).toBe(1);
    expect(negative.rows).toEqual(first.rows);
  });

  it('answers a page past the end with the last page (an old link still shows clients)', async () => {
    const past = await admin('page=999&pageSize=100');
    const total = await count('1');
    const lastPage = Math.ceil(total / 100);
    expect(past.total).toBe(total);
    expect(past.page).toBe(lastPage);
    expect(past.rows.length).toBe(total - (lastPage - 1) * 100);
  });
});
