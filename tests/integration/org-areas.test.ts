// /areas and /areas/:id on a real database: the list per company with this period's progress
// (figures equal direct SQL), territory (an area manager sees only the branches of the territory),
// create/edit/delete/restore and branch assignment with one audit row per change (changed fields
// only), and every bad input or out-of-reach id answered with field errors or 404, nothing written.
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as listAction, loader as listLoader } from '../../app/routes/areas._index';
import { action as areaAction, loader as areaLoader } from '../../app/routes/areas.$id/route';
import { loader as branchesLoader } from '../../app/routes/branches._index';
import { loader as branchLoader } from '../../app/routes/branches.$id/route';
import { areaIdOf, branchIdOf, companyIdOf, createCompanyAdmin, postForm } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlRows } from '../support/sql';
import { redirectOf } from '../support/flash';

const ADMIN = 'admin@demo.test';
const AREA_MANAGER = 'area.ncr@demo.test'; // areas:read at area scope; FCASH/NCR + PCNI/NCR
const OFFICER = 'branch.mnla01@demo.test'; // no areas permission at all
const TABLES = ['areas', 'area_branches', 'config_audit_log'] as const;

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
const get = async (loader: Parameters<typeof callRoute>[0], email: string, url: string, params: Record<string, string> = {}) =>
  callRoute(loader, ctx, requestWithCookie(await cookieOf(email), url), params);
const postList = async (email: string, fields: Parameters<typeof postForm>[0]) =>
  callRoute(listAction, ctx, requestWithCookie(await cookieOf(email), '/areas', postForm(fields)));
const postArea = async (email: string, id: number | string, fields: Parameters<typeof postForm>[0]) =>
  callRoute(areaAction, ctx, requestWithCookie(await cookieOf(email), `/areas/${id}`, postForm(fields)), { id: String(id) });

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
    await sqlRows(
      t.client,
      'SELECT action, old_values, new_values, user_id, request_id FROM config_audit_log WHERE table_name = ? AND record_id = ? ORDER BY id',
      [table, recordId],
    )
  ).map((r): Record<string, any> => ({
    ...r,
    old_values: r.old_values === null ? null : JSON.parse(String(r.old_values)),
    new_values: r.new_values === null ? null : JSON.parse(String(r.new_values)),
  }));

/** Direct SQL: this period's rows of the area's branches (inside the given branch codes, if any). */
async function sqlAreaProgress(areaId: number) {
  const rows = await sqlRows(
    t.client,
    `SELECT s.period_type AS cycle, count(*) AS total, sum(st.code = 'DONE') AS done
     FROM client_period_status s JOIN area_branches ab ON ab.branch_id = s.branch_id JOIN status_types st ON st.id = s.status_type_id
     WHERE ab.area_id = ? AND s.period_key IN ('2026-11', '2026-Q4') GROUP BY s.period_type`,
    [areaId],
  );
  return rows.map((r) => ({ cycle: String(r.cycle), total: Number(r.total), done: Number(r.done) }));
}

describe('the areas list', () => {
  it("shows every company's areas with this period's clients, done share and pace, equal to direct SQL", async () => {
    const answer = await get(listLoader, ADMIN, '/areas');
    expect(answer.status).toBe(200);
    const { companies, periods, elapsedPct } = answer.data.list;
    expect(companies.map((c: { code: string }) => c.code)).toEqual(['FCASH', 'PCNI']);
    expect(companies.flatMap((c: { areas: unknown[] }) => c.areas)).toHaveLength(12);
    expect(periods).toEqual({ monthly: '2026-11', quarterly: '2026-Q4' });
    // Test clock 2026-11-15 10:00 Manila: 14 days 10 hours of November's 30 days; 45 days 10 hours of Q4's 92.
    expect(elapsedPct).toEqual({ monthly: 48.1, quarterly: 49.4 });
    for (const [company, code] of [
      ['FCASH', 'NCR'],
      ['PCNI', 'R1'],
    ] as const) {
      const id = await areaIdOf(t.client, company, code);
      const row = companies.flatMap((c: { areas: Array<{ id: number }> }) => c.areas).find((a: { id: number }) => a.id === id);
      const sql = await sqlAreaProgress(id);
      const total = sql.reduce((a, r) => a + r.total, 0);
      const done = sql.reduce((a, r) => a + r.done, 0);
      const expected =
        sql.reduce((a, r) => a + (r.total * (r.cycle === 'monthly' ? 14 + 10 / 24 : 45 + 10 / 24)) / (r.cycle === 'monthly' ? 30 : 92), 0) / total;
      expect(total).toBeGreaterThan(0);
      expect(row.progress).toEqual({
        total,
        done,
        donePct: Math.round((done / total) * 1000) / 10,
        expectedPct: Math.round(expected * 1000) / 10,
        behind: (done / total) * 100 < expected * 100 - 10,
      });
    }
  });

  it('area manager: only the areas reaching into the territory, with only its branches counted', async () => {
    const answer = await get(listLoader, AREA_MANAGER, '/areas');
    const seen = answer.data.list.companies.flatMap((c: { code: string; areas: Array<{ code: string; branches: number }> }) =>
      c.areas.map((a) => `${c.code}/${a.code}:${a.branches}`),
    );
    // FCASH NCR: its 20 branches + ANTP01 (secondary link); R4A shows only ANTP01, the territory's part of it.
    expect(seen).toEqual(['FCASH/NCR:21', 'FCASH/R4A:1', 'PCNI/NCR:16']);
    const r4a = await get(areaLoader, AREA_MANAGER, '/areas/x', { id: String(await areaIdOf(t.client, 'FCASH', 'R4A')) });
    expect(r4a.data.branches.map((b: { code: string }) => b.code)).toEqual(['ANTP01']);
    const r7 = await get(areaLoader, AREA_MANAGER, '/areas/x', { id: String(await areaIdOf(t.client, 'FCASH', 'R7')) });
    const unknown = await get(areaLoader, AREA_MANAGER, '/areas/x', { id: '987654321' });
    expect(r7.status).toBe(404);
    expect(r7.data).toEqual(unknown.data);
  });

  it('a branch officer (no areas:read) gets 403 on the list, the page and every form', async () => {
    const ncr = await areaIdOf(t.client, 'FCASH', 'NCR');
    expect((await get(listLoader, OFFICER, '/areas')).status).toBe(403);
    expect((await get(areaLoader, OFFICER, '/areas/x', { id: String(ncr) })).status).toBe(403);
    await expectUnchanged(async () => {
      expect((await postList(OFFICER, { intent: 'create', companyId: await companyIdOf(t.client, 'FCASH'), code: 'X1', name: 'X' })).status).toBe(403);
      expect((await postArea(OFFICER, ncr, { intent: 'edit', code: 'NCR', name: 'Renamed' })).status).toBe(403);
      expect((await postArea(AREA_MANAGER, ncr, { intent: 'edit', code: 'NCR', name: 'Renamed' })).status).toBe(403);
    });
  });

  it('answers 400 for an unknown state filter', async () => {
    expect((await get(listLoader, ADMIN, '/areas?state=gone')).status).toBe(400);
  });
});

describe('create an area', () => {
  it('creates it with one audit row holding the new values, and shows it in the list', async () => {
    const fcash = await companyIdOf(t.client, 'FCASH');
    const answer = await postList(ADMIN, { intent: 'create', companyId: fcash, code: ' r9 ', name: ' Zamboanga Peninsula ', isActive: 'on' });
    expect(answer.status).toBe(302);
    const [row] = await sqlRows(t.client, "SELECT * FROM areas WHERE code = 'R9'");
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/areas/${row.id}`, flash: 'Area created.' });
    expect(row).toMatchObject({ company_id: fcash, name: 'Zamboanga Peninsula', is_active: 1, deleted_at: null });
    const [audit] = await auditOf('areas', Number(row.id));
    expect(audit).toMatchObject({
      action: 'create',
      old_values: null,
      new_values: { code: 'R9', name: 'Zamboanga Peninsula', isActive: true, companyId: fcash },
    });
    const list = await get(listLoader, ADMIN, '/areas');
    expect(list.data.list.companies[0].areas.map((a: { code: string }) => a.code)).toContain('R9');
  });

  it('a code used by the other company is fine (codes are unique per company)', async () => {
    const answer = await postList(ADMIN, { intent: 'create', companyId: await companyIdOf(t.client, 'FCASH'), code: 'R1', name: 'Ilocos' });
    expect(answer.status).toBe(302);
  });

  it.each([
    ['empty code', { code: '', name: 'Somewhere' }, 'code', 'Enter the code.'],
    ['empty name', { code: 'R9', name: '   ' }, 'name', 'Enter the name.'],
    ['code too long', { code: 'R'.repeat(21), name: 'X' }, 'code', 'at most 20'],
    ['name too long', { code: 'R9', name: 'N'.repeat(101) }, 'name', 'at most 100'],
    ['code with spaces', { code: 'R 9', name: 'X' }, 'code', 'letters, digits and _'],
    ['duplicate code in the company', { code: 'ncr', name: 'Again' }, 'code', 'already has this code'],
    ['checkbox with a wrong value', { code: 'R9', name: 'X', isActive: 'maybe' }, 'isActive', 'Tick the box'],
    ['company not a number', { code: 'R9', name: 'X', companyId: 'FCASH' }, 'companyId', 'Choose a company'],
    ['unknown company', { code: 'R9', name: 'X', companyId: '987654321' }, 'companyId', 'Choose a company'],
  ])('%s → 400 with the error on %s, input kept, nothing written', async (_label, fields, field, message) => {
    const fcash = await companyIdOf(t.client, 'FCASH');
    const answer = await expectUnchanged(() => postList(ADMIN, { intent: 'create', companyId: fcash, ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors[field]).toContain(message);
    expect(answer.data.values.code).toBe(fields.code);
  });

  it('a one-company admin cannot create in the other company: field error, nothing written', async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const answer = await expectUnchanged(() => postList('admin.fcash@demo.test', { intent: 'create', code: 'R9', name: 'X' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.companyId).toContain('Choose a company');
    const pcni = await companyIdOf(t.client, 'PCNI');
    const other = await expectUnchanged(() => postList('admin.fcash@demo.test', { intent: 'create', companyId: pcni, code: 'R9', name: 'X' }));
    expect(other.status).toBe(400);
    expect(other.data.fieldErrors.companyId).toContain('Choose a company whose areas you manage');
  });
});

describe('edit, delete and restore', () => {
  it('an edit writes one audit row with only the changed field; saving again unchanged writes none', async () => {
    const ncr = await areaIdOf(t.client, 'FCASH', 'NCR');
    const answer = await postArea(ADMIN, ncr, { intent: 'edit', code: 'NCR', name: 'Metro Manila', isActive: 'on' });
    expect(answer.status).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/areas/${ncr}`, flash: 'Area saved.' });
    expect(await auditOf('areas', ncr)).toEqual([
      expect.objectContaining({
        action: 'update',
        old_values: { name: 'National Capital Region' },
        new_values: { name: 'Metro Manila' },
      }),
    ]);
    await expectUnchanged(() => postArea(ADMIN, ncr, { intent: 'edit', code: 'NCR', name: 'Metro Manila', isActive: 'on' }));
  });

  it.each([
    ['empty name', { code: 'NCR', name: '' }, 'name'],
    ['duplicate code', { code: 'R3', name: 'NCR' }, 'code'],
    ['too long code', { code: 'X'.repeat(25), name: 'NCR' }, 'code'],
  ])('edit with %s → 400 on %s, nothing written', async (_label, fields, field) => {
    const ncr = await areaIdOf(t.client, 'FCASH', 'NCR');
    const answer = await expectUnchanged(() => postArea(ADMIN, ncr, { intent: 'edit', isActive: 'on', ...fields }));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.data.fieldErrors)).toEqual([field]);
  });

  it('unknown ids and areas of another company answer 404 for every form, nothing written', async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    const pcniNcr = await areaIdOf(t.client, 'PCNI', 'NCR');
    await expectUnchanged(async () => {
      for (const intent of ['edit', 'delete', 'restore', 'assign-branch', 'unassign-branch', 'explode']) {
        const fields = { intent, code: 'NCR', name: 'X', branchId: '1', rowId: '1' };
        expect((await postArea(ADMIN, 987654321, fields)).status, intent).toBe(404);
        expect((await postArea('admin.fcash@demo.test', pcniNcr, fields)).status, intent).toBe(404);
        expect((await postArea(ADMIN, 'abc', fields)).status, intent).toBe(404);
      }
    });
    expect((await get(areaLoader, 'admin.fcash@demo.test', '/areas/x', { id: String(pcniNcr) })).status).toBe(404);
  });

  it('an area with branches cannot be deleted (form error, nothing written)', async () => {
    const ncr = await areaIdOf(t.client, 'FCASH', 'NCR');
    const answer = await expectUnchanged(() => postArea(ADMIN, ncr, { intent: 'delete' }));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('Unassign its 21 branches first, then delete the area.');
  });

  it('soft delete hides the area from the list and the dropdowns; restore brings it back; both audited', async () => {
    await postList(ADMIN, { intent: 'create', companyId: await companyIdOf(t.client, 'FCASH'), code: 'R9', name: 'Zamboanga', isActive: 'on' });
    const id = await areaIdOf(t.client, 'FCASH', 'R9');
    const codes = async (url: string) =>
      (await get(listLoader, ADMIN, url)).data.list.companies.flatMap((c: { areas: Array<{ code: string }> }) => c.areas.map((a) => a.code));
    const filterAreas = async () => (await get(branchesLoader, ADMIN, '/branches')).data.filters[0].options.map((o: { value: string }) => Number(o.value));

    const deleted = await postArea(ADMIN, id, { intent: 'delete' });
    expect(redirectOf(deleted)).toEqual({ status: 302, location: `/areas/${id}`, flash: 'Area deleted.' });
    expect(await codes('/areas')).not.toContain('R9');
    expect(await codes('/areas?state=deleted')).toEqual(['R9']);
    expect(await filterAreas()).not.toContain(id);
    expect((await get(branchesLoader, ADMIN, `/branches?area=${id}`)).status).toBe(400);
    const page = await get(areaLoader, ADMIN, '/areas/x', { id: String(id) });
    expect(page.data.area.deletedAt).not.toBeNull(); // the manager still reaches it, to restore it
    expect((await get(areaLoader, 'viewer@demo.test', '/areas/x', { id: String(id) })).status).toBe(404);

    expect(redirectOf(await postArea(ADMIN, id, { intent: 'restore' }))).toEqual({ status: 302, location: `/areas/${id}`, flash: 'Area restored.' });
    expect(await codes('/areas')).toContain('R9');
    expect(await filterAreas()).toContain(id);
    const audit = await auditOf('areas', id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete', 'restore']);
    expect(Object.keys(audit[1].new_values)).toEqual(['deletedAt']);
    expect(audit[2]).toMatchObject({ old_values: { deletedAt: audit[1].new_values.deletedAt }, new_values: { deletedAt: null } });
  });
});

describe('assign and unassign branches', () => {
  it('assigns a branch (secondary), makes it primary elsewhere only when free, and unassigns; each change audited', async () => {
    const r3 = await areaIdOf(t.client, 'FCASH', 'R3');
    const cebu = await branchIdOf(t.client, 'CEBU01');
    const ok = await postArea(ADMIN, r3, { intent: 'assign-branch', branchId: cebu });
    expect(redirectOf(ok)).toEqual({ status: 302, location: `/areas/${r3}`, flash: 'Area saved.' });
    const [link] = await sqlRows(t.client, 'SELECT id, is_primary FROM area_branches WHERE area_id = ? AND branch_id = ?', [r3, cebu]);
    expect(link.is_primary).toBe(0);
    // CEBU01's primary area is R7: a second primary is refused with the reason.
    const refused = await expectUnchanged(() => postArea(ADMIN, r3, { intent: 'assign-branch', branchId: cebu, isPrimary: 'on' }));
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors.isPrimary).toBe("CEBU01's primary area is FCASH R7; unassign it there or make it secondary first.");
    const page = await get(areaLoader, ADMIN, '/areas/x', { id: String(r3) });
    expect(page.data.branches.find((b: { code: string }) => b.code === 'CEBU01')).toMatchObject({ isPrimary: false });
    expect(page.data.assignable.map((b: { code: string }) => b.code)).not.toContain('CEBU01');

    const r7 = await areaIdOf(t.client, 'FCASH', 'R7');
    expect((await postArea(ADMIN, r7, { intent: 'unassign-branch', rowId: cebu })).status).toBe(302);
    expect((await postArea(ADMIN, r3, { intent: 'assign-branch', branchId: cebu, isPrimary: 'on' })).status).toBe(302);
    const audit = await sqlRows(
      t.client,
      "SELECT action, record_id, old_values, new_values FROM config_audit_log WHERE table_name = 'area_branches' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete', 'update']);
    expect(JSON.parse(String(audit[0].new_values))).toMatchObject({ areaId: r3, branchId: cebu, isPrimary: false });
    expect(JSON.parse(String(audit[1].old_values))).toMatchObject({ areaId: r7, branchId: cebu, isPrimary: true });
    expect(JSON.parse(String(audit[2].old_values))).toEqual({ isPrimary: false });
    expect(JSON.parse(String(audit[2].new_values))).toEqual({ isPrimary: true });
  });

  it('refuses a branch of another company, an unknown or deleted branch, and a non-id, nothing written', async () => {
    const r3 = await areaIdOf(t.client, 'FCASH', 'R3');
    for (const branchId of [String(await branchIdOf(t.client, 'MNLA03')), '987654321', 'MNLA01', '']) {
      const answer = await expectUnchanged(() => postArea(ADMIN, r3, { intent: 'assign-branch', branchId }));
      expect(answer.status, branchId).toBe(400);
      expect(answer.data.fieldErrors.branchId).toMatch(/Choose a branch/);
    }
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const unassign = await expectUnchanged(() => postArea(ADMIN, r3, { intent: 'unassign-branch', rowId: mnla01 }));
    expect(unassign.status).toBe(400);
  });

  it("assigning a branch to an area reaches the area's users on their next request (cached access dropped)", async () => {
    const cebu = await branchIdOf(t.client, 'CEBU01');
    expect((await get(branchLoader, AREA_MANAGER, '/branches/x', { id: String(cebu) })).status).toBe(404);
    await postArea(ADMIN, await areaIdOf(t.client, 'FCASH', 'NCR'), { intent: 'assign-branch', branchId: cebu });
    expect((await get(branchLoader, AREA_MANAGER, '/branches/x', { id: String(cebu) })).status).toBe(200);
    await postArea(ADMIN, await areaIdOf(t.client, 'FCASH', 'NCR'), { intent: 'unassign-branch', rowId: cebu });
    expect((await get(branchLoader, AREA_MANAGER, '/branches/x', { id: String(cebu) })).status).toBe(404);
  });
});
