// One client's page: 200 inside the territory; 404 for everything else, indistinguishable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients.$id/route';
import { callRoute, signedInRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const detail = async (email: string, id: string) => callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients/${encodeURIComponent(id)}`), { id });

async function clientIn(branchCode: string): Promise<{ id: number; code: string }> {
  const [row] = await sqlRows(
    t.client,
    `SELECT c.id, c.client_code FROM clients c JOIN branches b ON b.id = c.branch_id
     WHERE b.code = ? AND EXISTS (SELECT 1 FROM client_period_status s WHERE s.client_id = c.id) ORDER BY c.id LIMIT 1`,
    [branchCode],
  );
  return { id: Number(row.id), code: String(row.client_code) };
}

const notFoundMessage = 'There is nothing here, or it is outside your territory.';

describe('client detail', () => {
  it("shows a branch officer their own branch's client with its periods, newest first", async () => {
    const own = await clientIn('MNLA01');
    const answer = await detail('branch.mnla01@demo.test', String(own.id));
    expect(answer.status).toBe(200);
    expect(answer.data.client).toMatchObject({ clientCode: own.code, branchCode: 'MNLA01', companyCode: 'FCASH' });
    const expected = await sqlRows(
      t.client,
      'SELECT period_key FROM client_period_status WHERE client_id = ? ORDER BY period_year DESC, period_number DESC LIMIT 12',
      [own.id],
    );
    expect(answer.data.periods.length).toBeGreaterThan(0);
    expect(answer.data.periods.map((p: any) => p.periodKey)).toEqual(expected.map((r) => r.period_key));
  });

  it("answers 404 for another branch's client of the same company", async () => {
    const other = await clientIn('QZN01');
    const answer = await detail('branch.mnla01@demo.test', String(other.id));
    expect(answer.status).toBe(404);
    expect(answer.data).toEqual({ message: notFoundMessage });
  });

  it('answers 404 for a PCNI client to an FCASH-only user, even one in a branch named like theirs', async () => {
    const pcni = await clientIn('MNLA03');
    expect((await detail('tele.fcash@demo.test', String(pcni.id))).status).toBe(404);
    expect((await detail('branch.mnla01@demo.test', String(pcni.id))).status).toBe(404);
  });

  it('gives the same 404 for an id that does not exist as for one out of territory', async () => {
    const missing = await detail('branch.mnla01@demo.test', '987654');
    const outside = await detail('branch.mnla01@demo.test', String((await clientIn('QZN01')).id));
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual(outside.data);
  });

  it.each(['abc', '-1', '0', '1.5', '9007199254740993', '1;DROP TABLE clients'])('answers 404 (not 500) for the id %j', async (id) => {
    const answer = await detail('admin@demo.test', id);
    expect(answer.status).toBe(404);
    expect(answer.data).toEqual({ message: notFoundMessage });
  });

  it('lets an admin and a viewer open any client, and an area manager one in their areas', async () => {
    const pcni = await clientIn('MNLA03');
    expect((await detail('admin@demo.test', String(pcni.id))).status).toBe(200);
    expect((await detail('viewer@demo.test', String(pcni.id))).status).toBe(200);
    expect((await detail('area.ncr@demo.test', String(pcni.id))).status).toBe(200);
    const visayas = await clientIn('CEBU01');
    expect((await detail('area.ncr@demo.test', String(visayas.id))).status).toBe(404);
  });
});
