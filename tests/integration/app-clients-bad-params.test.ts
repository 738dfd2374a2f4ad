// Bad query strings on the clients list: 400 with a message naming the filter, never a 500.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { callRoute, signedInRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const list = async (email: string, qs: string) => callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?${qs}`));

describe('clients list: bad filters answer 400 with a message, and the filters to fix them', () => {
  it('names an unknown branch id', async () => {
    const answer = await list('admin@demo.test', 'branch=99999');
    expect(answer.status).toBe(400);
    expect(answer.data.error).toBe('There is no branch with id 99999 that you can filter on.');
    expect(answer.data.list).toBeNull();
    expect(answer.data.options.branches.length).toBeGreaterThan(0);
    expect(answer.data.params).toEqual({ branch: '99999' });
  });

  it('refuses a branch officer a branch of the other company, and one of the same company outside the territory', async () => {
    for (const code of ['MNLA03', 'QZN01']) {
      const id = await idByCode(t.client, 'branches', code);
      const answer = await list('branch.mnla01@demo.test', `branch=${id}`);
      expect(answer.status).toBe(400);
      expect(answer.data.error).toBe(`There is no branch with id ${id} that you can filter on.`);
      expect(answer.data.list).toBeNull();
    }
  });

  it('refuses an FCASH-only user a PCNI company or product', async () => {
    const pcni = await idByCode(t.client, 'companies', 'PCNI');
    const pnp = await idByCode(t.client, 'products', 'PCNI_PNP');
    const company = await list('tele.fcash@demo.test', `company=${pcni}`);
    expect(company.status).toBe(400);
    expect(company.data.error).toBe(`There is no company with id ${pcni} that you can filter on.`);
    const product = await list('tele.fcash@demo.test', `product=${pnp}`);
    expect(product.status).toBe(400);
    expect(product.data.error).toBe(`There is no product with id ${pnp} that you can filter on.`);
  });

  it.each([
    ['branch=abc', 'Filter "branch" must be a positive whole number'],
    ['branch=-3', 'Filter "branch" must be a positive whole number'],
    ['par=1.5', 'Filter "par" must be a positive whole number'],
  ])('%s → 400 "%s"', async (qs, message) => {
    const answer = await list('admin@demo.test', qs);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toBe(message);
  });

  it('never answers 500 to garbage', async () => {
    const garbage = [
      'page=%00',
      'pageSize=1e309',
      'page=99999999999999999999',
      'sort=__proto__&dir=;drop table clients',
      "q=' OR 1=1 --",
      'q=%3Cscript%3Ealert(1)%3C/script%3E',
      'status=99999999999999999999',
      'company=0x01',
      'branch=%20',
      'q=' + 'x'.repeat(500),
      'q=%E2%80%AE%F0%9F%92%A9',
      'product=1&product=abc',
      'par[]=1',
    ];
    for (const qs of garbage) {
      const answer = await list('admin@demo.test', qs);
      expect([200, 400], qs).toContain(answer.status);
      if (answer.status === 400) expect(answer.data.error, qs).toMatch(/\S/);
    }
  });

  it('leaves the data unchanged after a hostile search', async () => {
    const before = (await list('admin@demo.test', '')).data.list.total;
    await list('admin@demo.test', "q=x'; DELETE FROM clients; --");
    expect((await list('admin@demo.test', '')).data.list.total).toBe(before);
  });
});
