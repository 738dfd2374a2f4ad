// The audit viewer and its CSV keep the territory for branch-owned tables (decision 072, addendum):
// an area manager with config:read, for whom /branches/:id of another area is 404, does not read
// that branch's contact numbers, user assignments or area links in /admin/audit or /admin/audit.csv.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as branchAction } from '../../app/routes/branches.$id/route';
import { loader as auditLoader } from '../../app/routes/admin.audit';
import { loader as csvLoader } from '../../app/routes/admin.audit[.]csv';
import { branchIdOf, postForm } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  const admin = await startTestSession(ctx, 'admin@demo.test');
  // Real edits through the branch page: a contact on CEBU01 (FCASH R7, outside the NCR area manager's
  // territory) and one on MNLA01 (FCASH NCR, inside it).
  for (const [code, value] of [
    ['CEBU01', '0917 555 0707'],
    ['MNLA01', '0917 555 0101'],
  ]) {
    const id = await branchIdOf(t.client, code);
    const answer = await callRoute(
      branchAction,
      ctx,
      requestWithCookie(admin.cookie, `/branches/${id}`, postForm({ intent: 'add-contact', contactType: 'phone', value, label: 'Manager mobile' })),
      { id: String(id) },
    );
    expect(answer.status).toBe(302);
  }
});
afterEach(() => t.close());

async function viewer(email: string, qs: string): Promise<string> {
  const { cookie } = await startTestSession(ctx, email);
  const answer = await callRoute(auditLoader, ctx, requestWithCookie(cookie, `/admin/audit?${qs}`));
  expect(answer.status).toBe(200);
  return JSON.stringify(answer.data.list);
}
async function csv(email: string, qs: string): Promise<string> {
  const { cookie } = await startTestSession(ctx, email);
  const answer = await callRoute(csvLoader, ctx, requestWithCookie(cookie, `/admin/audit.csv?${qs}`));
  expect(answer.status).toBe(200);
  return String(answer.data);
}

describe('branch-owned audit rows stay inside the territory', () => {
  it('viewer: the area manager reads the NCR branch contact, not the CEBU01 one; a company-wide reader reads both', async () => {
    const area = await viewer('area.ncr@demo.test', 'table=branch_contacts');
    expect(area).not.toContain('09175550707');
    expect(area).toContain('09175550101');
    const admin = await viewer('admin@demo.test', 'table=branch_contacts');
    expect(admin).toContain('09175550707');
    expect(admin).toContain('09175550101');
  });

  it('CSV: the same reach', async () => {
    const area = await csv('area.ncr@demo.test', 'table=branch_contacts');
    expect(area).not.toContain('09175550707');
    expect(area).toContain('09175550101');
    expect(await csv('admin@demo.test', 'table=branch_contacts')).toContain('09175550707');
  });

  it('the branch row itself, user assignments and area links of a branch outside the territory are out of reach too', async () => {
    const cebu01 = await branchIdOf(t.client, 'CEBU01');
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const row = (table: string, recordId: number, values: object) =>
      t.client.execute({
        sql: "INSERT INTO config_audit_log (table_name, record_id, action, old_values, new_values, user_id) VALUES (?, ?, 'update', ?, ?, 1)",
        args: [table, recordId, JSON.stringify(values), JSON.stringify({ marker: `${table}-${recordId}` })],
      });
    await row('branches', cebu01, { name: 'x' });
    await row('branches', mnla01, { name: 'x' });
    // Deleted links: only their old values name the branch.
    await row('user_branches', 900001, { branchId: cebu01 });
    await row('area_branches', 900002, { branchId: cebu01, areaId: 1 });
    await row('user_branches', 900003, { branchId: mnla01 });
    const area = await viewer('area.ncr@demo.test', 'pageSize=100');
    expect(area).not.toContain(`branches-${cebu01}"`);
    expect(area).not.toContain('user_branches-900001');
    expect(area).not.toContain('area_branches-900002');
    expect(area).toContain(`branches-${mnla01}"`);
    expect(area).toContain('user_branches-900003');
    expect(await viewer('admin@demo.test', 'pageSize=100')).toContain('area_branches-900002');
  });
});
