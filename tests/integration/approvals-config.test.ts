// The switch under checking (issue 18, decision 101): while a company checks anything, changing one
// of its maker-checker settings on the settings screen (turning a check off included) becomes a
// request (config.checker) that another admin approves through the same save as the direct path;
// where the company checks nothing it applies at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as approvalsAction, loader as approvalsLoader } from '../../app/routes/admin.approvals/route';
import { action as editAction } from '../../app/routes/admin.config.$table.$id/route';
import { action as newAction } from '../../app/routes/admin.config.$table.new/route';
import { needsChecker } from '../../app/core/approvals/checker-rules.server';
import { activityAbout, companyIdOf, createCompanyAdmin, postForm } from '../support/admin-users';
import { callRoute, perRequest, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { switchOn } from '../support/checker-switches';
import { createTestDb, type TestDb } from '../support/db';
import { flashOf } from '../support/flash';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let fcash: number;
let pcni: number;
let switchId: number;

const A = 'admin@demo.test'; // both companies
const B = 'admin2.fcash@demo.test'; // FCASH only
const P = 'admin.pcni@demo.test'; // PCNI only

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  fcash = Number(await companyIdOf(t.client, 'FCASH'));
  pcni = Number(await companyIdOf(t.client, 'PCNI'));
  await createCompanyAdmin(t.client, 'FCASH', B);
  await createCompanyAdmin(t.client, 'PCNI', P);
  await switchOn(t.client, 'checker_user_grants', fcash);
  switchId = Number((await sqlRows(t.client, "SELECT id FROM config_settings WHERE key = 'checker_user_grants' AND company_id = ?", [fcash]))[0].id);
});
afterEach(() => t.close());

const cookieOf = async (email: string) => (await startTestSession(ctx, email)).cookie;
const edit = async (email: string, id: number, fields: Record<string, string>) =>
  callRoute(editAction, ctx, requestWithCookie(await cookieOf(email), `/admin/config/settings/${id}`, postForm(fields)), { table: 'settings', id: String(id) });
const create = async (email: string, fields: Record<string, string>) =>
  callRoute(newAction, ctx, requestWithCookie(await cookieOf(email), '/admin/config/settings/new', postForm({ intent: 'save', ...fields })), {
    table: 'settings',
  });
const decide = async (email: string, fields: Record<string, string | number>) =>
  callRoute(approvalsAction, ctx, requestWithCookie(await cookieOf(email), '/admin/approvals', postForm(fields)));
const requests = () => sqlRows(t.client, 'SELECT id, action, state, company_id, checker_id FROM change_requests ORDER BY id');
const settingRows = () => sqlRows(t.client, "SELECT key, company_id, value FROM config_settings WHERE key LIKE 'checker_%' ORDER BY key, company_id");
const grantsChecked = () => needsChecker(perRequest(ctx), fcash, 'user.grants');
const turnOff = { intent: 'save', value: 'false', description: '', isPublic: '' };

describe('the maker-checker switches under checking', () => {
  it('turning a check off is itself a request: nothing changes until another admin approves it', async () => {
    const before = await settingRows();
    const asked = await edit(A, switchId, { ...turnOff, remark: 'Audit finished, grants go back to one admin' });
    expect(asked.status).toBe(302);
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(await settingRows()).toEqual(before);
    expect(await grantsChecked()).toBe(true);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'config.checker', state: 'pending', company_id: fcash });
    const list = await callRoute(approvalsLoader, ctx, requestWithCookie(await cookieOf(B), '/admin/approvals'));
    expect(list.data.requests).toMatchObject([{ id: request.id, diff: [{ field: 'checker_user_grants', old: 'true', new: 'false' }] }]);

    expect((await decide(A, { intent: 'approve', requestId: Number(request.id) })).status).toBe(403);
    expect((await decide(B, { intent: 'approve', requestId: Number(request.id) })).status).toBe(302);
    expect(await grantsChecked()).toBe(false);
    const [updated] = await activityAbout(t.client, 'config.updated', switchId);
    expect(updated.details.approval).toEqual({ requestId: request.id, makerId: await userIdByEmail(t.db, A), checkerId: await userIdByEmail(t.db, B) });
  });

  it('creating a switch of a checking company is a request too; without a remark it is a 400 and nothing is stored', async () => {
    const fields = { key: 'checker_user_territory', companyId: String(fcash), valueType: 'boolean', value: 'false', description: '', isPublic: '' };
    const before = await settingRows();
    const bare = await create(A, fields);
    expect(bare.status).toBe(400);
    expect(bare.data.fieldErrors.remark).toMatch(/Say why/);
    expect(await requests()).toEqual([]);
    const asked = await create(A, { ...fields, remark: 'Territory moves are routine here' });
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval/);
    expect(await settingRows()).toEqual(before);
    const [request] = await requests();
    expect((await decide(B, { intent: 'approve', requestId: Number(request.id) })).status).toBe(302);
    expect(await needsChecker(perRequest(ctx), fcash, 'user.territory')).toBe(false);
  });

  it('applies at once where the company checks nothing (PCNI in the test database)', async () => {
    const answer = await create(P, { key: 'checker_user_grants', companyId: String(pcni), valueType: 'boolean', value: 'true', description: '', isPublic: '' });
    expect(answer.status).toBe(302);
    expect(await requests()).toEqual([]);
    expect(await needsChecker(perRequest(ctx), pcni, 'user.grants')).toBe(true);
  });

  it('answers 409 and applies nothing when the setting changed after the request', async () => {
    await edit(A, switchId, { ...turnOff, remark: 'Audit finished' });
    // Meanwhile the row is changed another way (its type, as a repair script might): the request was about 'true' as a boolean.
    await t.client.execute({ sql: "UPDATE config_settings SET value_type = 'string' WHERE id = ?", args: [switchId] });
    const [request] = await requests();
    const answer = await decide(B, { intent: 'approve', requestId: Number(request.id) });
    expect(answer.status).toBe(409);
    expect(answer.data.formError).toMatch(/changed after this request was made/);
    expect((await requests())[0].state).toBe('stale');
    expect(await sqlRows(t.client, 'SELECT value, value_type FROM config_settings WHERE id = ?', [switchId])).toEqual([
      { value: 'true', value_type: 'string' },
    ]);
  });

  it('a switch is not deleted while its company checks (400, kept); the other company’s admin neither sees nor decides the request (404)', async () => {
    const del = await edit(A, switchId, { intent: 'delete' });
    expect(del.status).toBe(400);
    expect(del.data.formError).toMatch(/change its value instead/);
    expect((await settingRows()).some((r) => r.company_id === fcash)).toBe(true);
    await edit(A, switchId, { ...turnOff, remark: 'Audit finished' });
    const [request] = await requests();
    const list = await callRoute(approvalsLoader, ctx, requestWithCookie(await cookieOf(P), '/admin/approvals'));
    expect(list.data.requests).toEqual([]);
    expect((await decide(P, { intent: 'approve', requestId: Number(request.id) })).status).toBe(404);
    expect((await requests())[0].state).toBe('pending');
  });
});

describe('sensitive settings under checking (config.setting)', () => {
  const sessionRows = () => sqlRows(t.client, "SELECT key, company_id, value FROM config_settings WHERE key = 'session_idle_minutes' ORDER BY company_id");
  const fcashIdle = { key: 'session_idle_minutes', companyId: '', valueType: 'number', value: '240', description: '', isPublic: '' };

  it('a company that checks sensitive settings: a sign-in rule waits for another admin; a plain setting does not', async () => {
    await switchOn(t.client, 'checker_sensitive_settings', fcash);
    const before = await sessionRows();
    const asked = await create(A, { ...fcashIdle, companyId: String(fcash), remark: 'Field staff lose their work after an hour idle' });
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(await sessionRows()).toEqual(before);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'config.setting', state: 'pending', company_id: fcash });
    expect((await decide(A, { intent: 'approve', requestId: Number(request.id) })).status).toBe(403);
    expect((await decide(B, { intent: 'approve', requestId: Number(request.id) })).status).toBe(302);
    expect(await sessionRows()).toEqual([...before, { key: 'session_idle_minutes', company_id: fcash, value: '240' }]);
    // Not sensitive: the display name is saved at once.
    const plain = await create(A, {
      key: 'app_display_name',
      companyId: String(fcash),
      valueType: 'string',
      value: 'FCASH Updater',
      description: '',
      isPublic: '',
    });
    expect(plain.status).toBe(302);
    expect(await requests()).toHaveLength(1);
  });

  it('where the company does not check them (off by default), a sensitive setting is saved at once', async () => {
    const answer = await create(A, { ...fcashIdle, companyId: String(fcash) });
    expect(answer.status).toBe(302);
    expect(await requests()).toEqual([]);
    expect(await sessionRows()).toContainEqual({ key: 'session_idle_minutes', company_id: fcash, value: '240' });
  });
});

describe('status types and reasons under checking (config.lookup)', () => {
  const reasonsOf = (code: string) => sqlRows(t.client, 'SELECT code, name, requires_remarks FROM status_reasons WHERE code = ?', [code]);
  // FCASH's own status (VISITED): a reason of it belongs to FCASH only, so its FCASH admin may check it.
  const fcashStatus = async () =>
    Number((await sqlRows(t.client, 'SELECT id FROM status_types WHERE company_id = ? ORDER BY sequence LIMIT 1', [fcash]))[0].id);
  const createReason = async (email: string, fields: Record<string, string>) =>
    callRoute(newAction, ctx, requestWithCookie(await cookieOf(email), '/admin/config/status-reasons/new', postForm({ intent: 'save', ...fields })), {
      table: 'status-reasons',
    });

  it('where any company checks them, a new reason waits; another admin approves it through the screen’s own write', async () => {
    await switchOn(t.client, 'checker_status_lookups', fcash);
    const fields = {
      code: 'MOVED_ABROAD',
      name: 'Moved abroad',
      statusTypeId: String(await fcashStatus()),
      isTerminal: '',
      requiresRemarks: 'on',
      sortOrder: '',
    };
    const bare = await createReason(A, fields);
    expect(bare.status).toBe(400);
    expect(bare.data.fieldErrors.remark).toMatch(/Say why/);
    const asked = await createReason(A, { ...fields, remark: 'Pensioners who left the country stop being called' });
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(await reasonsOf('MOVED_ABROAD')).toEqual([]);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'config.lookup', state: 'pending' });
    expect((await decide(A, { intent: 'approve', requestId: Number(request.id) })).status).toBe(403);
    expect((await decide(B, { intent: 'approve', requestId: Number(request.id) })).status).toBe(302);
    expect(await reasonsOf('MOVED_ABROAD')).toEqual([{ code: 'MOVED_ABROAD', name: 'Moved abroad', requires_remarks: 1 }]);
  });

  it('unchecked by default: a new reason is saved at once', async () => {
    const answer = await createReason(A, {
      code: 'MOVED_ABROAD',
      name: 'Moved abroad',
      statusTypeId: String(await fcashStatus()),
      isTerminal: '',
      requiresRemarks: '',
      sortOrder: '',
    });
    expect(answer.status).toBe(302);
    expect(await requests()).toEqual([]);
    expect(await reasonsOf('MOVED_ABROAD')).toHaveLength(1);
  });
});
