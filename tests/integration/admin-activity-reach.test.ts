// The activity viewer scopes a row by what it is about, not only by who did it (decision 007):
// each row written about a client (or a company's config row) keeps that company and branch, and a
// reader sees it only inside their activity:read scope. Rows with no company (system rows) are
// for readers whose activity:read covers every company; user events stay scoped by actor and user.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as clientAction } from '../../app/routes/clients.$id/route';
import { loader as activityLoader } from '../../app/routes/admin.activity';
import { loader as userLoader } from '../../app/routes/admin.users.$id/route';
import { callRoute, formInit, requestWithCookie, signedInRequest, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { branchIdOf, companyIdOf, createCompanyAdmin } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  await t.client.execute('DELETE FROM activity_logs');
  await createCompanyAdmin(t.client, 'FCASH');
});
afterEach(() => t.close());

async function clientOf(branch: string): Promise<number> {
  const [row] = await sqlRows(t.client, 'SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? ORDER BY c.id LIMIT 1', [branch]);
  return Number(row.id);
}
async function editContacts(email: string, clientId: number, contactNumber: string) {
  const request = await signedInRequest(
    ctx,
    email,
    `/clients/${clientId}`,
    formInit({ intent: 'contact', contactNumber, contactNumberAlt: '' }, { origin: 'http://localhost' }),
  );
  const answer = await callRoute(clientAction, ctx, request, { id: String(clientId) });
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
}
async function activityText(email: string, qs: string): Promise<string> {
  const { cookie } = await startTestSession(ctx, email);
  const answer = await callRoute(activityLoader, ctx, requestWithCookie(cookie, `/admin/activity?pageSize=100&${qs}`));
  expect(answer.status, JSON.stringify(answer.data?.error)).toBe(200);
  return JSON.stringify(answer.data.list.rows);
}

describe("activity about another company's clients", () => {
  it('a client row keeps the client’s company and branch', async () => {
    const id = await clientOf('MNLA03');
    await editContacts('admin@demo.test', id, '0917 555 0303');
    const [row] = await sqlRows(t.client, "SELECT company_id, branch_id FROM activity_logs WHERE action = 'client.contacts_updated'");
    expect(row).toEqual({ company_id: await companyIdOf(t.client, 'PCNI'), branch_id: await branchIdOf(t.client, 'MNLA03') });
  });

  it("an FCASH-only admin does not read the PCNI client's old and new numbers; the admin of both does", async () => {
    await editContacts('admin@demo.test', await clientOf('MNLA03'), '0917 555 0303'); // PCNI
    await editContacts('admin@demo.test', await clientOf('MNLA01'), '0917 555 0101'); // FCASH
    const fcashAdmin = await activityText('admin.fcash@demo.test', 'action=client.contacts');
    expect(fcashAdmin).not.toContain('09175550303');
    expect(fcashAdmin).toContain('09175550101');
    const both = await activityText('admin@demo.test', 'action=client.contacts');
    expect(both).toContain('09175550303');
    expect(both).toContain('09175550101');
  });

  it('a territory reader does not read a client outside the territory, even when the actor is someone they see', async () => {
    // An officer of MNLA01 (FCASH NCR, inside the area manager's territory) who also works CEBU01 (FCASH R7, outside it).
    await createTestUser(t.client, {
      email: 'officer.two.areas@demo.test',
      branches: ['MNLA01', 'CEBU01'],
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['clients:update', 'FCASH', 'branch'],
      ],
    });
    await editContacts('officer.two.areas@demo.test', await clientOf('CEBU01'), '0917 555 0707');
    await editContacts('officer.two.areas@demo.test', await clientOf('MNLA01'), '0917 555 0101');
    const area = await activityText('area.ncr@demo.test', 'action=client.contacts');
    expect(area).not.toContain('09175550707');
    expect(area).toContain('09175550101');
  });

  it('rows without a company (system rows) are only for readers of every company; user events stay with their users', async () => {
    const fcashAdminId = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'admin.fcash@demo.test'"))[0].id);
    const adminId = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'admin@demo.test'"))[0].id);
    await t.client.execute({
      sql: "INSERT INTO activity_logs (user_id, action, resource_type, resource_id, details) VALUES (?, 'period.initialized', 'period', '2026-11', '{\"created\":4242}')",
      args: [adminId],
    });
    await t.client.execute({
      sql: "INSERT INTO activity_logs (user_id, action, resource_type, resource_id) VALUES (?, 'auth.login', 'user', ?)",
      args: [fcashAdminId, fcashAdminId],
    });
    const fcashAdmin = await activityText('admin.fcash@demo.test', '');
    expect(fcashAdmin).not.toContain('4242');
    expect(fcashAdmin).toContain('auth.login');
    expect(await activityText('admin@demo.test', '')).toContain('4242');
  });
});

describe('the migration fills the new columns of older rows', () => {
  it('rows about clients and company config rows get their company (and a client its branch)', async () => {
    const client = await clientOf('MNLA03');
    const sssId = Number((await sqlRows(t.client, "SELECT id FROM pension_types WHERE code = 'SSS'"))[0].id);
    await t.client.execute({
      sql: "INSERT INTO activity_logs (action, resource_type, resource_id) VALUES ('status.update', 'client', ?)",
      args: [String(client)],
    });
    await t.client.execute({
      sql: "INSERT INTO activity_logs (action, resource_type, resource_id) VALUES ('config.updated', 'pension_types', ?)",
      args: [String(sssId)],
    });
    await t.client.execute("INSERT INTO activity_logs (action, resource_type, resource_id) VALUES ('job.retried', 'job', '7')");
    const sql = readFileSync(new URL('../../db/migrations/0001_activity_resource_company.sql', import.meta.url), 'utf8');
    for (const statement of sql.split('--> statement-breakpoint').filter((s) => /^\s*(--.*\n\s*)*UPDATE/.test(s))) await t.client.execute(statement);
    const rows = await sqlRows(t.client, 'SELECT action, company_id, branch_id FROM activity_logs ORDER BY id');
    expect(rows).toEqual([
      { action: 'status.update', company_id: await companyIdOf(t.client, 'PCNI'), branch_id: await branchIdOf(t.client, 'MNLA03') },
      { action: 'config.updated', company_id: await companyIdOf(t.client, 'FCASH'), branch_id: null },
      { action: 'job.retried', company_id: null, branch_id: null },
    ]);
  });
});

describe("a user's recent activity on /admin/users/:id", () => {
  const userPage = async (readerEmail: string, userId: number) => {
    const { cookie } = await startTestSession(ctx, readerEmail);
    const answer = await callRoute(userLoader, ctx, requestWithCookie(cookie, `/admin/users/${userId}`), { id: String(userId) });
    expect(answer.status).toBe(200);
    return answer.data;
  };

  it("is scoped like the activity viewer: an FCASH-only admin does not read the user's work on PCNI clients", async () => {
    await editContacts('admin@demo.test', await clientOf('MNLA03'), '0917 555 0303'); // PCNI
    await editContacts('admin@demo.test', await clientOf('MNLA01'), '0917 555 0101'); // FCASH
    const subject = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'admin@demo.test'"))[0].id);
    const seen = JSON.stringify((await userPage('admin.fcash@demo.test', subject)).activity);
    expect(seen).not.toContain('09175550303');
    expect(seen).toContain('09175550101');
    expect(JSON.stringify((await userPage('admin@demo.test', subject)).activity)).toContain('09175550303');
  });

  it('needs activity:read: with users:read alone the panel is not loaded', async () => {
    await createTestUser(t.client, { email: 'users.reader@demo.test', grants: [['users:read', 'FCASH', 'all']] });
    await editContacts('branch.mnla01@demo.test', await clientOf('MNLA01'), '0917 555 0101');
    const subject = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'branch.mnla01@demo.test'"))[0].id);
    const page = await userPage('users.reader@demo.test', subject);
    expect(page.activity).toBeNull();
    expect(JSON.stringify(page)).not.toContain('09175550101');
    expect(JSON.stringify((await userPage('admin.fcash@demo.test', subject)).activity)).toContain('09175550101');
  });
});
