// /branches and /branches/:id on a real database: search, filters and paging inside the scope;
// the detail's figures equal direct SQL; create/edit/delete/restore and user assignment each write
// one audit row with only the changed fields; bad input and out-of-reach ids change nothing.
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as listAction, loader as listLoader } from '../../app/routes/branches._index';
import { action as branchAction, loader as branchLoader } from '../../app/routes/branches.$id/route';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { loader as userLoader } from '../../app/routes/admin.users.$id/route';
import { branchIdOf, companyIdOf, createCompanyAdmin, postForm } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { redirectOf } from '../support/flash';

const ADMIN = 'admin@demo.test';
const AREA_MANAGER = 'area.ncr@demo.test'; // branches:read at area scope, no branches:manage
const OFFICER = 'branch.mnla01@demo.test'; // branches:read at branch scope (MNLA01), no branches:manage
const TABLES = ['branches', 'branch_contacts', 'user_branches', 'area_branches', 'config_audit_log'] as const;

let t: TestDb;
let ctx: TestAppContext;
const cookies = new Map<string, string>();

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  cookies.clear();
});
afterEach(() => t.close());

async function cookieOf(email: string) {
  if (!cookies.has(email)) cookies.set(email, (await startTestSession(ctx, email)).cookie);
  return cookies.get(email)!;
}
const list = async (email: string, query = '') => callRoute(listLoader, ctx, requestWithCookie(await cookieOf(email), `/branches${query}`));
const page = async (email: string, id: number | string) =>
  callRoute(branchLoader, ctx, requestWithCookie(await cookieOf(email), `/branches/${id}`), { id: String(id) });
const postList = async (email: string, fields: Parameters<typeof postForm>[0]) =>
  callRoute(listAction, ctx, requestWithCookie(await cookieOf(email), '/branches', postForm(fields)));
const post = async (email: string, id: number | string, fields: Parameters<typeof postForm>[0]) =>
  callRoute(branchAction, ctx, requestWithCookie(await cookieOf(email), `/branches/${id}`, postForm(fields)), { id: String(id) });

/** An active FCASH branch NEW01 "New 01", created by the admin through the list's form. */
const createNew01 = async () =>
  postList(ADMIN, { intent: 'create', companyId: await companyIdOf(t.client, 'FCASH'), code: 'NEW01', name: 'New 01', category: 'main', isActive: 'on' });

async function snapshots(client: Client) {
  return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await snapshot(client, table)] as const)));
}
async function expectUnchanged<T>(run: () => Promise<T>): Promise<T> {
  const before = await snapshots(t.client);
  const result = await run();
  expect(await snapshots(t.client)).toEqual(before);
  return result;
}
const auditOf = async (table: string, recordId: number) =>
  (
    await sqlRows(t.client, 'SELECT action, old_values, new_values, user_id FROM config_audit_log WHERE table_name = ? AND record_id = ? ORDER BY id', [
      table,
      recordId,
    ])
  ).map((r): Record<string, any> => ({
    ...r,
    old_values: r.old_values === null ? null : JSON.parse(String(r.old_values)),
    new_values: r.new_values === null ? null : JSON.parse(String(r.new_values)),
  }));
const codesOf = (answer: { data: { list: { rows: Array<{ code: string }> } } }) => answer.data.list.rows.map((r) => r.code);

describe('the branches list', () => {
  it('search, area, category and active filters narrow the list; paging keeps the count', async () => {
    const all = await list(ADMIN, '?pageSize=100');
    expect(all.data.list.total).toBe(150);
    expect(all.data.list.rows).toHaveLength(100);
    expect(all.data.list.pages).toBe(2);
    expect(codesOf(await list(ADMIN, '?q=mnla'))).toEqual(['MNLA01', 'MNLA02', 'MNLA03', 'MNLA04']);
    const ncr = all.data.filters[0].options.find((o: { label: string }) => o.label.startsWith('FCASH NCR')).value;
    const inNcr = await list(ADMIN, `?area=${ncr}&pageSize=100`);
    expect(inNcr.data.list.total).toBe(21); // 20 primary + ANTP01 (secondary)
    const satellites = await sqlCount(t.client, "SELECT count(*) FROM branches WHERE category = 'satellite'");
    expect((await list(ADMIN, '?category=satellite')).data.list.total).toBe(satellites);
    await t.client.execute("UPDATE branches SET is_active = 0 WHERE code = 'QZN01'");
    expect(codesOf(await list(ADMIN, '?active=no'))).toEqual(['QZN01']);
    expect((await list(ADMIN, '?active=yes')).data.list.total).toBe(149);
    expect(codesOf(await list(ADMIN, '?sort=name&dir=desc&pageSize=1'))).toHaveLength(1);
  });

  it("this period's figures per row equal direct SQL", async () => {
    const [row] = (await list(ADMIN, '?q=MNLA01')).data.list.rows;
    const [sql] = await sqlRows(
      t.client,
      `SELECT count(*) AS total, sum(st.code = 'DONE') AS done FROM client_period_status s JOIN branches b ON b.id = s.branch_id
       JOIN status_types st ON st.id = s.status_type_id WHERE b.code = 'MNLA01' AND s.period_key IN ('2026-11', '2026-Q4')`,
    );
    expect(row.progress).toMatchObject({ total: Number(sql.total), done: Number(sql.done) });
  });

  it('the area manager sees only the branches of the territory; the officer only MNLA01', async () => {
    const seen = await list(AREA_MANAGER, '?pageSize=100');
    const territory = await sqlRows(
      t.client,
      `SELECT DISTINCT b.code FROM user_areas ua JOIN users u ON u.id = ua.user_id JOIN area_branches ab ON ab.area_id = ua.area_id
       JOIN branches b ON b.id = ab.branch_id WHERE u.email = ? ORDER BY b.code`,
      [AREA_MANAGER],
    );
    expect(codesOf(seen)).toEqual(territory.map((r) => r.code));
    expect(seen.data.list.total).toBe(37);
    expect(codesOf(await list(OFFICER))).toEqual(['MNLA01']);
    expect((await page(OFFICER, await branchIdOf(t.client, 'QZN01'))).status).toBe(404);
    expect((await page(AREA_MANAGER, await branchIdOf(t.client, 'CEBU01'))).status).toBe(404);
  });

  it.each([
    ['?area=987654321', 'area'],
    ['?category=kiosk', 'category'],
    ['?active=maybe', 'active'],
    ['?deleted=no', 'deleted'],
  ])('%s → 400 naming the filter', async (query, name) => {
    const answer = await list(ADMIN, query);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toContain(name);
  });

  it("an area outside the reader's areas is refused like an unknown one", async () => {
    const [r7] = await sqlRows(t.client, "SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = 'FCASH' AND a.code = 'R7'");
    const outside = await list(AREA_MANAGER, `?area=${r7.id}`);
    expect(outside.status).toBe(400);
    expect(outside.data.error).toBe((await list(AREA_MANAGER, '?area=987654321')).data.error.replace('987654321', String(r7.id)));
  });

  it('a refused area shows no page of branches (the page read beside the filter areas is dropped)', async () => {
    const [r7] = await sqlRows(t.client, "SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = 'FCASH' AND a.code = 'R7'");
    const outside = await list(AREA_MANAGER, `?area=${r7.id}&pageSize=100`);
    expect(outside.status).toBe(400);
    expect(outside.data.list).toBeNull();
    expect(outside.data.filters[0].options.map((o: { value: string }) => o.value)).not.toContain(String(r7.id));
  });
});

describe('the branch page', () => {
  it('shows contacts (primary first), assigned users, client counts per product and PAR status, and per-agent progress, equal to SQL', async () => {
    const id = await branchIdOf(t.client, 'MNLA01');
    const answer = await page(ADMIN, id);
    expect(answer.status).toBe(200);
    const d = answer.data;
    expect(d.areas).toEqual([expect.objectContaining({ code: 'NCR', isPrimary: true })]);
    expect(d.contacts[0]).toMatchObject({ contactType: 'phone', isPrimary: true });
    expect(d.users.map((u: { name: string }) => u.name).sort()).toEqual(['Jose Dela Cruz', 'Maricel Bautista']);
    const counts = await sqlRows(
      t.client,
      `SELECT p.name AS product, ps.name AS par, count(*) AS n FROM clients c JOIN products p ON p.id = c.product_id
       JOIN par_statuses ps ON ps.id = c.par_status_id WHERE c.branch_id = ? AND c.deleted_at IS NULL AND c.is_active = 1 GROUP BY 1, 2`,
      [id],
    );
    expect(d.clientCounts.total).toBe(counts.reduce((a, r) => a + Number(r.n), 0));
    for (const r of counts) {
      const row = d.clientCounts.rows.find((x: { product: string }) => x.product === r.product);
      expect(row.counts[d.clientCounts.pars.indexOf(r.par)]).toBe(Number(r.n));
    }
    const agents = await sqlRows(
      t.client,
      `SELECT s.last_updated_by AS userId, count(*) AS n, sum(st.code = 'DONE') AS done FROM client_period_status s
       JOIN status_types st ON st.id = s.status_type_id WHERE s.branch_id = ? AND s.period_key IN ('2026-11', '2026-Q4') GROUP BY 1`,
      [id],
    );
    expect(d.agents.map((a: { userId: number | null; updated: number; done: number }) => [a.userId, a.updated, a.done]).sort()).toEqual(
      agents.map((a) => [a.userId === null ? null : Number(a.userId), Number(a.n), Number(a.done)]).sort(),
    );
    expect(d.agents.reduce((a: number, r: { updated: number }) => a + r.updated, 0)).toBe(d.progress.total);
    expect(d.canEdit).toBe(true);
  });

  it('readers get no forms; the officer reads their own branch', async () => {
    const answer = await page(OFFICER, await branchIdOf(t.client, 'MNLA01'));
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ canEdit: false, editFields: null, contactFields: null, userFields: null, canManageCompany: false });
  });
});

describe('create a branch', () => {
  it('creates it with one audit row, and it appears in the list and the clients filter', async () => {
    const pcni = await companyIdOf(t.client, 'PCNI');
    const answer = await postList(ADMIN, {
      intent: 'create',
      companyId: pcni,
      code: 'tac09',
      name: 'Tacloban 09',
      location: '',
      category: 'satellite',
      isActive: 'on',
    });
    expect(answer.status).toBe(302);
    const [row] = await sqlRows(t.client, "SELECT * FROM branches WHERE code = 'TAC09'");
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/branches/${row.id}`, flash: 'Branch created.' });
    expect(row).toMatchObject({ company_id: pcni, name: 'Tacloban 09', location: null, category: 'satellite', is_active: 1 });
    expect(await auditOf('branches', Number(row.id))).toEqual([
      expect.objectContaining({
        action: 'create',
        old_values: null,
        new_values: expect.objectContaining({ code: 'TAC09', name: 'Tacloban 09', category: 'satellite' }),
      }),
    ]);
    expect(codesOf(await list(ADMIN, '?q=TAC09'))).toEqual(['TAC09']);
  });

  it.each([
    ['empty code', { code: '' }, 'code'],
    ['code too long', { code: 'ABCDEFGHIJKLM' }, 'code'],
    ['code with a dash', { code: 'MNL-99' }, 'code'],
    ['duplicate code (any company)', { code: 'mnla03' }, 'code'],
    ['empty name', { name: '' }, 'name'],
    ['name too long', { name: 'N'.repeat(101) }, 'name'],
    ['location too long', { location: 'L'.repeat(161) }, 'location'],
    ['unknown category', { category: 'kiosk' }, 'category'],
    ['checkbox with a wrong value', { isActive: '1; drop table' }, 'isActive'],
    ['company not an id', { companyId: 'PCNI' }, 'companyId'],
    ['unknown company', { companyId: '987654321' }, 'companyId'],
  ])('%s → 400 on that field, input kept, nothing written', async (_label, fields, field) => {
    const base = { intent: 'create', companyId: String(await companyIdOf(t.client, 'FCASH')), code: 'NEW01', name: 'New 01', category: 'main' };
    const answer = await expectUnchanged(() => postList(ADMIN, { ...base, ...fields }));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.data.fieldErrors)).toEqual([field]);
    expect(answer.data.values.name).toBe({ ...base, ...fields }.name);
  });

  it('an admin of one company cannot create in the other; a reader cannot create at all', async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const pcni = await companyIdOf(t.client, 'PCNI');
    const answer = await expectUnchanged(() =>
      postList('admin.fcash@demo.test', { intent: 'create', companyId: pcni, code: 'NEW01', name: 'New', category: 'main' }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.companyId).toContain('Choose a company whose branches you manage');
    for (const email of [OFFICER, AREA_MANAGER, 'viewer@demo.test']) {
      expect((await expectUnchanged(() => postList(email, { intent: 'create', companyId: pcni, code: 'NEW01', name: 'New', category: 'main' }))).status).toBe(
        403,
      );
    }
  });
});

describe('edit, delete and restore a branch', () => {
  it('an edit audits only the changed fields; the code cannot be changed by a crafted form', async () => {
    const id = await branchIdOf(t.client, 'MNLA01');
    const answer = await post(ADMIN, id, {
      intent: 'edit',
      code: 'HACK01',
      name: 'Manila Main',
      location: 'Manila, Metro Manila',
      category: 'main',
      isActive: 'on',
    });
    expect(answer.status).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/branches/${id}`, flash: 'Branch saved.' });
    const [row] = await sqlRows(t.client, 'SELECT code, name FROM branches WHERE id = ?', [id]);
    expect(row).toEqual({ code: 'MNLA01', name: 'Manila Main' });
    expect(await auditOf('branches', id)).toEqual([expect.objectContaining({ old_values: { name: 'Manila 01' }, new_values: { name: 'Manila Main' } })]);
  });

  it("deactivating takes the branch out of its users' territory at their next request", async () => {
    const id = await branchIdOf(t.client, 'MNLA01');
    expect((await page(OFFICER, id)).status).toBe(200);
    await post(ADMIN, id, { intent: 'edit', name: 'Manila 01', location: 'Manila, Metro Manila', category: 'main' });
    expect((await page(OFFICER, id)).status).toBe(404);
  });

  it('a branch with active clients cannot be deleted', async () => {
    const id = await branchIdOf(t.client, 'MNLA01');
    const answer = await expectUnchanged(() => post(ADMIN, id, { intent: 'delete' }));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toMatch(/^MNLA01 still has \d+ active clients; move them to another branch first\.$/);
  });

  it('soft delete hides it from the list, the area page and the clients filter; restore brings it back; both audited', async () => {
    await createNew01();
    const id = await branchIdOf(t.client, 'NEW01');
    const clientBranchOptions = async () =>
      (await callRoute(clientsLoader, ctx, requestWithCookie(await cookieOf(ADMIN), '/clients'))).data.options.branches.map((b: { code: string }) => b.code);
    expect(await clientBranchOptions()).toContain('NEW01');
    expect(redirectOf(await post(ADMIN, id, { intent: 'delete' }))).toEqual({ status: 302, location: `/branches/${id}`, flash: 'Branch deleted.' });
    expect(codesOf(await list(ADMIN, '?q=NEW01'))).toEqual([]);
    expect(codesOf(await list(ADMIN, '?deleted=yes'))).toEqual(['NEW01']);
    expect(await clientBranchOptions()).not.toContain('NEW01');
    expect((await page('viewer@demo.test', id)).status).toBe(404);
    expect((await page(ADMIN, id)).data.branch.deletedAt).not.toBeNull();
    // A deleted branch cannot be edited or given contacts until restored.
    await expectUnchanged(async () => {
      expect((await post(ADMIN, id, { intent: 'edit', name: 'X', category: 'main' })).status).toBe(404);
      expect((await post(ADMIN, id, { intent: 'add-contact', contactType: 'phone', value: '09171234567' })).status).toBe(404);
    });
    expect(redirectOf(await post(ADMIN, id, { intent: 'restore' }))).toEqual({ status: 302, location: `/branches/${id}`, flash: 'Branch restored.' });
    expect(codesOf(await list(ADMIN, '?q=NEW01'))).toEqual(['NEW01']);
    expect(await clientBranchOptions()).toContain('NEW01');
    expect((await auditOf('branches', id)).map((a) => [a.action, Object.keys(a.new_values ?? {}).join()])).toEqual([
      ['create', expect.any(String)],
      ['delete', 'deletedAt'],
      ['restore', 'deletedAt'],
    ]);
  });

  it('the clients filter and the user editor list a created, renamed or deleted branch at once, though their list is cached (decision 120)', async () => {
    const userId = await userIdByEmail(t.db, 'tele.fcash@demo.test');
    const optionsNow = async () => {
      const clients = await callRoute(clientsLoader, ctx, requestWithCookie(await cookieOf(ADMIN), '/clients'));
      const editor = await callRoute(userLoader, ctx, requestWithCookie(await cookieOf(ADMIN), `/admin/users/${userId}`), { id: String(userId) });
      const names = (list: Array<{ code: string; name: string }>) => list.filter((b) => b.code === 'NEW01').map((b) => b.name);
      return { filter: names(clients.data.options.branches), editor: names(editor.data.options.branches) };
    };
    expect(await optionsNow()).toEqual({ filter: [], editor: [] }); // read once: the list is now in the cache
    await createNew01();
    expect(await optionsNow()).toEqual({ filter: ['New 01'], editor: ['New 01'] });
    const id = await branchIdOf(t.client, 'NEW01');
    await post(ADMIN, id, { intent: 'edit', name: 'New Name', category: 'main', isActive: 'on' });
    expect(await optionsNow()).toEqual({ filter: ['New Name'], editor: ['New Name'] });
    await post(ADMIN, id, { intent: 'delete' });
    expect(await optionsNow()).toEqual({ filter: [], editor: [] });
  });

  it('unknown ids, other companies and outside-territory ids answer 404 to every form; readers 403', async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const mnla03 = await branchIdOf(t.client, 'MNLA03'); // PCNI
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    await expectUnchanged(async () => {
      for (const intent of [
        'edit',
        'delete',
        'restore',
        'add-contact',
        'edit-contact',
        'remove-contact',
        'primary-contact',
        'assign-user',
        'unassign-user',
        'explode',
      ]) {
        const fields = { intent, name: 'X', category: 'main', contactType: 'phone', value: '09171234567', rowId: '1', userId: '1' };
        expect((await post(ADMIN, 987654321, fields)).status, intent).toBe(404);
        expect((await post('admin.fcash@demo.test', mnla03, fields)).status, intent).toBe(404);
        expect((await post(OFFICER, mnla01, fields)).status, intent).toBe(403);
        expect((await post(AREA_MANAGER, mnla01, fields)).status, intent).toBe(403);
      }
    });
    expect((await page('admin.fcash@demo.test', mnla03)).status).toBe(404);
    expect((await post(ADMIN, mnla01, { intent: 'explode' })).status).toBe(400);
  });
});

describe('assign users', () => {
  it('assigns and unassigns a user the admin manages, each audited, the territory changing at once', async () => {
    const cebu = await branchIdOf(t.client, 'CEBU01');
    const officer = await userIdByEmail(t.db, OFFICER);
    expect((await page(ADMIN, cebu)).data.userFields[0].options.map((o: { value: string }) => Number(o.value))).toContain(officer);
    expect(redirectOf(await post(ADMIN, cebu, { intent: 'assign-user', userId: officer }))).toEqual({
      status: 302,
      location: `/branches/${cebu}`,
      flash: 'Branch saved.',
    });
    expect((await page(OFFICER, cebu)).status).toBe(200);
    expect((await post(ADMIN, cebu, { intent: 'unassign-user', rowId: officer })).status).toBe(302);
    expect((await page(OFFICER, cebu)).status).toBe(404);
    const audit = await sqlRows(t.client, "SELECT action, old_values, new_values FROM config_audit_log WHERE table_name = 'user_branches' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(JSON.parse(String(audit[0].new_values))).toMatchObject({ userId: officer, branchId: cebu, assignedBy: await userIdByEmail(t.db, ADMIN) });
  });

  it("refuses users outside the admin's reach, unknown users and non-ids, nothing written", async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const both = await userIdByEmail(t.db, AREA_MANAGER); // grants in FCASH and PCNI: not the FCASH admin's to change
    const cebu = await branchIdOf(t.client, 'CEBU01');
    for (const userId of [String(both), '987654321', 'abc', '']) {
      const answer = await expectUnchanged(() => post('admin.fcash@demo.test', cebu, { intent: 'assign-user', userId }));
      expect(answer.status, userId).toBe(400);
      expect(answer.data.fieldErrors.userId).toMatch(/Choose a user/);
    }
    const options = (await page('admin.fcash@demo.test', cebu)).data.userFields[0].options.map((o: { value: string }) => Number(o.value));
    expect(options).not.toContain(both);
    // On MNLA01, but also holding a PCNI grant: listed on the page, not unassignable by the FCASH admin.
    const mixed = await createTestUser(t.client, { email: 'mixed@demo.test', branches: ['MNLA01'], grants: [['clients:read', 'PCNI', 'all']] });
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const shown = await page('admin.fcash@demo.test', mnla01);
    expect(shown.data.users.map((u: { id: number }) => u.id)).toContain(mixed);
    expect(shown.data.canUnassign).not.toContain(mixed);
    const unassign = await expectUnchanged(() => post('admin.fcash@demo.test', mnla01, { intent: 'unassign-user', rowId: mixed }));
    expect(unassign.status).toBe(400);
  });
});
