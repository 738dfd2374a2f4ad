// The rules of the config screens: system rows cannot be deleted; "delete" of a lookup deactivates it
// (gone from dropdowns, still named on old records) and restore brings it back; ordering; one default
// per option list; tele status links; per-company settings; audit rows with only the changed fields;
// who may read and who may change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as clientAction, loader as clientLoader } from '../../app/routes/clients.$id/route';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { action as editAction, loader as editLoader } from '../../app/routes/admin.config.$table.$id/route';
import { loader as listLoader } from '../../app/routes/admin.config.$table._index';
import { action as newAction, loader as newLoader } from '../../app/routes/admin.config.$table.new/route';
import { loader as indexLoader } from '../../app/routes/admin.config._index';
import { companySettings } from '../../app/core/config/settings.server';
import { callRoute, formInit, perRequest, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode, snapshot, sqlRows } from '../support/sql';
import { redirectOf } from '../support/flash';

let t: TestDb;
let ctx: TestAppContext;
let admin: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  admin = (await startTestSession(ctx, 'admin@demo.test')).cookie;
});
afterEach(() => t.close());

type Fields = Record<string, string | string[]>;
function body(fields: Fields): RequestInit {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return { ...formInit({}), body: params.toString() };
}
const post = (cookie: string, table: string, id: number, fields: Fields) =>
  callRoute(editAction, ctx, requestWithCookie(cookie, `/admin/config/${table}/${id}`, body(fields)), { table, id: String(id) });
const create = (cookie: string, table: string, fields: Fields) =>
  callRoute(newAction, ctx, requestWithCookie(cookie, `/admin/config/${table}/new`, body({ intent: 'save', ...fields })), { table });
const createdId = (answer: { headers: Headers }) => Number(answer.headers.get('location')!.match(/\/(\d+)$/)![1]);
const audits = (table: string, recordId?: number) =>
  sqlRows(
    t.client,
    `SELECT action, old_values, new_values, user_id, ip, request_id FROM config_audit_log WHERE table_name = ?${recordId ? ' AND record_id = ?' : ''} ORDER BY id`,
    recordId ? [table, recordId] : [table],
  ).then((rows) =>
    rows.map((r): any => ({ ...r, old: r.old_values ? JSON.parse(String(r.old_values)) : null, new: r.new_values ? JSON.parse(String(r.new_values)) : null })),
  );

describe('system rows', () => {
  it.each([
    ['pension-types', 'pension_types', 'SSS'],
    ['status-types', 'status_types', 'DONE'],
    ['status-reasons', 'status_reasons', 'DECEASED'],
    ['par-statuses', 'par_statuses', 'tele_hardcore'],
    ['tele-statuses', 'tele_statuses', 'updated'],
    ['config-categories', 'config_categories', 'tele_reasons'],
  ])('%s %s: delete is refused with a clear message, the row stays active', async (slug, table, code) => {
    const id = await idByCode(t.client, table, code);
    const before = await snapshot(t.client, table);
    const answer = await post(admin, slug, id, { intent: 'delete' });
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe(
      `${code} is a system ${slug === 'config-categories' ? 'category' : slug.replace(/-/g, ' ').replace(/s$/, '').replace('statuse', 'status')}: it cannot be deleted. You can rename it or change its order.`,
    );
    expect(await snapshot(t.client, table)).toEqual(before);
    expect(await audits(table)).toEqual([]);
  });

  it('keeps its code but may be renamed (audited old → new)', async () => {
    const id = await idByCode(t.client, 'account_types', 'ATM');
    const renamed = await post(admin, 'account-types', id, { intent: 'save', code: 'ATM', name: 'ATM card', sortOrder: '' });
    expect(renamed.status).toBe(302);
    const recode = await post(admin, 'account-types', id, { intent: 'save', code: 'CARD', name: 'ATM card', sortOrder: '' });
    expect(recode.data.fieldErrors.code).toContain('keeps its code');
    const rows = await audits('account_types', id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'update', old: { name: 'ATM' }, new: { name: 'ATM card' }, ip: '127.0.0.1' });
  });
});

describe('deactivate and restore', () => {
  it('a status reason: gone from the status form, its name kept on old events, back after restore; each step audited', async () => {
    const tele = await startTestSession(ctx, 'tele.fcash@demo.test');
    const [client] = await sqlRows(
      t.client,
      `SELECT c.id, s.version FROM clients c JOIN branches b ON b.id = c.branch_id
      JOIN client_period_status s ON s.client_id = c.id AND s.period_key = '2026-11' JOIN status_types st ON st.id = s.status_type_id
      WHERE b.code = 'MNLA01' AND st.code = 'PENDING' AND s.is_terminal = 0 ORDER BY c.id LIMIT 1`,
    );
    const url = `/clients/${client.id}`;
    const page = async () => (await callRoute(clientLoader, ctx, requestWithCookie(tele.cookie, url), { id: String(client.id) })).data;
    const reasonId = Number(
      (
        await sqlRows(
          t.client,
          "SELECT r.id FROM status_reasons r JOIN status_types s ON s.id = r.status_type_id WHERE r.code = 'CALLBACK_REQUESTED' AND s.code = 'CALLED'",
        )
      )[0].id,
    );
    const called = await idByCode(t.client, 'status_types', 'CALLED');
    expect((await page()).reasons.map((r: any) => r.id)).toContain(reasonId);
    // An old record with that reason, written through the status form.
    const saved = await callRoute(
      clientAction,
      ctx,
      requestWithCookie(
        tele.cookie,
        url,
        formInit({
          intent: 'status',
          periodKey: '2026-11',
          baseVersion: String(client.version),
          statusTypeId: String(called),
          reasonId: String(reasonId),
          remarks: '',
          hasPayment: 'no',
        }),
      ),
      { id: String(client.id) },
    );
    expect(saved.status, JSON.stringify(saved.data)).toBe(302);

    await t.client.execute({ sql: 'UPDATE status_reasons SET is_system = 0 WHERE id = ?', args: [reasonId] }); // seeded reasons are system rows
    const del = await post(admin, 'status-reasons', reasonId, { intent: 'delete', returnTo: '/admin/config/status-reasons?sort=name' });
    expect(del.status).toBe(302);
    expect(redirectOf(del)).toEqual({ status: 302, location: '/admin/config/status-reasons?sort=name', flash: 'Status reason deactivated.' });
    const after = await page();
    expect(after.reasons.map((r: any) => r.id)).not.toContain(reasonId);
    expect(JSON.stringify(after.history)).toContain('Callback requested'); // the old event still names it
    const list = await callRoute(listLoader, ctx, requestWithCookie(admin, '/admin/config/status-reasons?active=0'), { table: 'status-reasons' });
    expect(list.data.list.rows.map((r: any) => r.id)).toEqual([reasonId]);

    const restore = await post(admin, 'status-reasons', reasonId, { intent: 'restore' });
    expect(restore.status).toBe(302);
    expect((await page()).reasons.map((r: any) => r.id)).toContain(reasonId);
    expect((await audits('status_reasons', reasonId)).map((a) => [a.action, a.old, a.new])).toEqual([
      ['delete', { isActive: true }, { isActive: false }],
      ['restore', { isActive: false }, { isActive: true }],
    ]);
  });

  it('a product: gone from the clients filter, the clients keep it; restore twice changes nothing the second time', async () => {
    const id = await idByCode(t.client, 'products', 'FCASH_PVAO');
    await t.client.execute({ sql: 'UPDATE products SET is_system = 0 WHERE id = ?', args: [id] });
    const options = async () => (await callRoute(clientsLoader, ctx, requestWithCookie(admin, '/clients'))).data;
    const before = await options();
    expect(JSON.stringify(before)).toContain('FCASH_PVAO');
    expect((await post(admin, 'products', id, { intent: 'delete' })).status).toBe(302);
    const after = await options();
    expect(JSON.stringify(after.options ?? after.filterOptions ?? after)).not.toContain('"FCASH_PVAO"');
    const [still] = await sqlRows(t.client, 'SELECT count(*) AS n FROM clients WHERE product_id = ?', [id]);
    expect(Number(still.n)).toBeGreaterThan(0);
    expect((await post(admin, 'products', id, { intent: 'restore' })).status).toBe(302);
    expect((await post(admin, 'products', id, { intent: 'restore' })).status).toBe(302);
    expect((await audits('products', id)).map((a) => a.action)).toEqual(['delete', 'restore']);
  });

  it('a company setting override is removed (the shared value applies again); a shared setting cannot be deleted', async () => {
    const fcash = await idByCode(t.client, 'companies', 'FCASH');
    const created = await create(admin, 'settings', {
      key: 'session_idle_minutes',
      companyId: String(fcash),
      valueType: 'number',
      value: '30',
      description: 'FCASH offices',
      isPublic: '',
    });
    expect(created.status, JSON.stringify(created.data)).toBe(302);
    const id = createdId(created);
    expect((await companySettings(perRequest(ctx), fcash)).session_idle_minutes).toBe(30);
    const del = await post(admin, 'settings', id, { intent: 'delete' });
    expect(redirectOf(del)).toEqual({ status: 302, location: '/admin/config/settings', flash: 'Setting deleted.' });
    expect((await companySettings(perRequest(ctx), fcash)).session_idle_minutes).toBe(60);
    const [shared] = await sqlRows(t.client, "SELECT id FROM config_settings WHERE key = 'session_idle_minutes' AND company_id IS NULL");
    const refused = await post(admin, 'settings', Number(shared.id), { intent: 'delete' });
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toContain('A shared setting cannot be deleted');
    expect((await audits('config_settings', id)).map((a) => a.action)).toEqual(['create', 'delete']);
    const [deleted] = await audits('config_settings', id).then((rows) => rows.slice(1));
    expect(deleted.old).toMatchObject({ key: 'session_idle_minutes', value: '30', companyId: fcash });
    expect(deleted.new).toBeNull();
  });
});

describe('ordering, defaults, links', () => {
  it('move up/down swaps the order with the neighbour in the same group (both audited); the ends change nothing', async () => {
    const order = async () =>
      (
        await sqlRows(t.client, "SELECT code FROM pension_types WHERE company_id = (SELECT id FROM companies WHERE code = 'FCASH') ORDER BY sort_order, id")
      ).map((r) => r.code);
    expect(await order()).toEqual(['SSS', 'GSIS', 'PVAO']);
    const pvao = await idByCode(t.client, 'pension_types', 'PVAO');
    expect(redirectOf(await post(admin, 'pension-types', pvao, { intent: 'move-up' }))).toEqual({
      status: 302,
      location: `/admin/config/pension-types/${pvao}`,
      flash: 'Pension type moved.',
    });
    expect(await order()).toEqual(['SSS', 'PVAO', 'GSIS']);
    const sss = await idByCode(t.client, 'pension_types', 'SSS');
    const before = await snapshot(t.client, 'pension_types');
    expect((await post(admin, 'pension-types', sss, { intent: 'move-up' })).status).toBe(302);
    expect(await snapshot(t.client, 'pension_types')).toEqual(before);
    // PCNI's pension types are another group: untouched.
    expect(await sqlRows(t.client, "SELECT code, sort_order FROM pension_types WHERE code IN ('NON_PNP', 'PNP') ORDER BY code")).toEqual([
      { code: 'NON_PNP', sort_order: 40 },
      { code: 'PNP', sort_order: 50 },
    ]);
    expect((await audits('pension_types')).map((a) => [a.action, a.old, a.new])).toEqual([
      ['update', { sortOrder: 30 }, { sortOrder: 20 }],
      ['update', { sortOrder: 20 }, { sortOrder: 30 }],
    ]);
  });

  it('an option marked default clears the other default of its list (audited); sub-options need a top-level parent of the category', async () => {
    const tele = await idByCode(t.client, 'config_categories', 'tele_reasons');
    const fcash = await idByCode(t.client, 'companies', 'FCASH');
    const busy = (await sqlRows(t.client, "SELECT id FROM config_options WHERE code = 'BUSY'"))[0].id as number;
    const answer = await post(admin, 'config-options', busy, {
      intent: 'save',
      code: 'BUSY',
      label: 'Line busy',
      parentOptionId: '',
      value: '',
      isDefault: 'on',
      sortOrder: '',
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(await sqlRows(t.client, 'SELECT code FROM config_options WHERE category_id = ? AND is_default = 1', [tele])).toEqual([{ code: 'BUSY' }]);
    expect((await audits('config_options')).map((a) => [a.action, a.new])).toEqual([
      ['update', { isDefault: false }],
      ['update', { isDefault: true }],
    ]);
    const sub = await create(admin, 'config-options', {
      code: 'BUSY_TWICE',
      label: 'Busy twice',
      categoryId: String(tele),
      parentOptionId: String(busy),
      companyId: String(fcash),
      value: '',
    });
    expect(sub.status, JSON.stringify(sub.data)).toBe(302);
    const loan = (await sqlRows(t.client, "SELECT id FROM config_options WHERE code = 'ACTIVE'"))[0].id as number;
    const wrong = await create(admin, 'config-options', {
      code: 'X1',
      label: 'x',
      categoryId: String(tele),
      parentOptionId: String(loan),
      companyId: String(fcash),
      value: '',
    });
    expect(wrong.data.fieldErrors.parentOptionId).toBe('Choose a top-level option of the same category.');
    const deeper = await create(admin, 'config-options', {
      code: 'X2',
      label: 'x',
      categoryId: String(tele),
      parentOptionId: String(createdId(sub)),
      companyId: String(fcash),
      value: '',
    });
    expect(deeper.data.fieldErrors.parentOptionId).toBe('Choose one of the options.');
  });

  it('an admin of FCASH only cannot reorder a shared option that sits in the same list', async () => {
    const { createTestUser } = await import('../support/user-factory');
    const { PERMISSION_CODES } = await import('../../db/seed/permissions');
    await createTestUser(t.client, { email: 'admin.fcash@order.test', grants: PERMISSION_CODES.map((c) => [c, 'FCASH', 'all'] as const) });
    const fa = (await startTestSession(ctx, 'admin.fcash@order.test')).cookie;
    const tele = await idByCode(t.client, 'config_categories', 'tele_reasons');
    const shared = await create(admin, 'config-options', {
      code: 'SHARED_LAST',
      label: 'Shared',
      categoryId: String(tele),
      parentOptionId: '',
      companyId: '',
      value: '',
    });
    expect(shared.status, JSON.stringify(shared.data)).toBe(302);
    const other = (await sqlRows(t.client, "SELECT id FROM config_options WHERE code = 'OTHER'"))[0].id as number;
    const before = await snapshot(t.client, 'config_options');
    const refused = await post(fa, 'config-options', other, { intent: 'move-down' });
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toContain('shared by every company');
    expect(await snapshot(t.client, 'config_options')).toEqual(before);
    expect((await post(fa, 'config-options', other, { intent: 'move-up' })).status).toBe(302);
  });

  it("a tele status's allowed update statuses: saved as links, audited as a list old → new", async () => {
    const id = await idByCode(t.client, 'tele_statuses', 'not_yet_updated');
    const ids = async (codes: string[]) => Promise.all(codes.map((c) => idByCode(t.client, 'update_statuses', c).then(String)));
    const answer = await post(admin, 'tele-statuses', id, {
      intent: 'save',
      code: 'not_yet_updated',
      name: 'Not yet updated',
      requiresReason: 'on',
      requiresRemarks: 'on',
      updateStatusIds: await ids(['pending', 'pending_unavailable', 'pending_not_interested']),
      sortOrder: '',
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    const links = await sqlRows(
      t.client,
      'SELECT u.code FROM tele_status_update_statuses l JOIN update_statuses u ON u.id = l.update_status_id WHERE l.tele_status_id = ? ORDER BY u.code',
      [id],
    );
    expect(links.map((l) => l.code)).toEqual(['pending', 'pending_not_interested', 'pending_unavailable']);
    expect((await audits('tele_statuses', id)).map((a) => [a.old, a.new])).toEqual([
      [{ updateStatuses: 'pending, pending_unavailable' }, { updateStatuses: 'pending, pending_not_interested, pending_unavailable' }],
    ]);
  });

  it('saving an unchanged form writes nothing and no audit row', async () => {
    const id = await idByCode(t.client, 'pensioner_types', 'ITF');
    const before = await snapshot(t.client, 'pensioner_types');
    expect((await post(admin, 'pensioner-types', id, { intent: 'save', code: 'ITF', name: 'ITF', sortOrder: '40' })).status).toBe(302);
    expect(await snapshot(t.client, 'pensioner_types')).toEqual(before);
    expect(await audits('pensioner_types')).toEqual([]);
  });

  it('create audits every field on the new side, with who, IP and request id', async () => {
    const answer = await create(admin, 'account-types', { code: 'EWALLET', name: 'E-wallet' });
    const [row] = await audits('account_types', createdId(answer));
    expect(row).toMatchObject({
      action: 'create',
      old: null,
      new: { code: 'EWALLET', name: 'E-wallet', isActive: true, isSystem: false, sortOrder: 50 },
      ip: '127.0.0.1',
    });
    expect(String(row.request_id)).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(row.user_id)).toBeGreaterThan(0);
  });
});

describe('who may read and who may change', () => {
  it('an area manager reads every screen (read only) but every POST is 403 with nothing changed', async () => {
    const am = (await startTestSession(ctx, 'area.ncr@demo.test')).cookie;
    const sss = await idByCode(t.client, 'pension_types', 'SSS');
    expect((await callRoute(indexLoader, ctx, requestWithCookie(am, '/admin/config'))).status).toBe(200);
    expect((await callRoute(listLoader, ctx, requestWithCookie(am, '/admin/config/pension-types'), { table: 'pension-types' })).status).toBe(200);
    const page = await callRoute(editLoader, ctx, requestWithCookie(am, `/admin/config/pension-types/${sss}`), { table: 'pension-types', id: String(sss) });
    expect(page.status).toBe(200);
    expect(page.data.row.canManage).toBe(false);
    expect((await callRoute(newLoader, ctx, requestWithCookie(am, '/admin/config/pension-types/new'), { table: 'pension-types' })).status).toBe(403);
    const before = await snapshot(t.client, 'pension_types');
    for (const intent of ['save', 'delete', 'move-down']) {
      expect((await post(am, 'pension-types', sss, { intent, code: 'SSS', name: 'Changed' })).status).toBe(403);
    }
    expect((await create(am, 'pension-types', { code: 'NEW', name: 'New', companyId: '1' })).status).toBe(403);
    expect(await snapshot(t.client, 'pension_types')).toEqual(before);
  });

  it('a branch officer cannot open config at all', async () => {
    const bo = (await startTestSession(ctx, 'branch.mnla01@demo.test')).cookie;
    expect((await callRoute(indexLoader, ctx, requestWithCookie(bo, '/admin/config'))).status).toBe(403);
    expect((await callRoute(listLoader, ctx, requestWithCookie(bo, '/admin/config/status-reasons'), { table: 'status-reasons' })).status).toBe(403);
  });

  it('the FCASH-only admin lists FCASH and shared rows, never PCNI ones', async () => {
    const { createTestUser } = await import('../support/user-factory');
    const { PERMISSION_CODES } = await import('../../db/seed/permissions');
    await createTestUser(t.client, { email: 'admin.fcash@config.test', grants: PERMISSION_CODES.map((c) => [c, 'FCASH', 'all'] as const) });
    const fa = (await startTestSession(ctx, 'admin.fcash@config.test')).cookie;
    const list = await callRoute(listLoader, ctx, requestWithCookie(fa, '/admin/config/products'), { table: 'products' });
    expect(list.data.list.rows.map((r: any) => r.code)).toEqual(['FCASH_SSS', 'FCASH_GSIS', 'FCASH_PVAO']);
    const types = await callRoute(listLoader, ctx, requestWithCookie(fa, '/admin/config/status-types?sort=sequence'), { table: 'status-types' });
    expect(types.data.list.rows.map((r: any) => [r.code, r.canManage])).toEqual([
      ['PENDING', false],
      ['TO_FOLLOW', false],
      ['CALLED', false],
      ['VISITED', true],
      ['UPDATED', false],
      ['DONE', false],
    ]);
    const pcni = await idByCode(t.client, 'companies', 'PCNI');
    const filtered = await callRoute(listLoader, ctx, requestWithCookie(fa, `/admin/config/products?company=${pcni}`), { table: 'products' });
    expect(filtered.status).toBe(400);
  });
});
