// Every config form's bad input (issue 6 "Done means"): empty, too long, duplicate code, wrong
// type, unknown ids, another company's ids → field errors (400) or 404, the input kept, and NOTHING
// changed in any config table or the audit log.
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as editAction } from '../../app/routes/admin.config.$table.$id/route';
import { action as newAction } from '../../app/routes/admin.config.$table.new/route';
import { PERMISSION_CODES } from '../../db/seed/permissions';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode, snapshot, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { flashMessage } from '../support/flash';

const CONFIG_TABLES = [
  'pension_types',
  'pensioner_types',
  'products',
  'account_types',
  'par_statuses',
  'status_types',
  'status_reasons',
  'tele_statuses',
  'update_statuses',
  'tele_status_update_statuses',
  'config_categories',
  'config_options',
  'config_settings',
  'config_audit_log',
];

let t: TestDb;
let ctx: TestAppContext;
let admin: string;
let fcashAdmin: string;
let ids: Record<string, number>;

async function snapshotAll(client: Client) {
  return Object.fromEntries(await Promise.all(CONFIG_TABLES.map(async (table) => [table, await snapshot(client, table)] as const)));
}

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  admin = (await startTestSession(ctx, 'admin@demo.test')).cookie;
  await createTestUser(t.client, { email: 'admin.fcash@config.test', grants: PERMISSION_CODES.map((c) => [c, 'FCASH', 'all'] as const) });
  fcashAdmin = (await startTestSession(ctx, 'admin.fcash@config.test')).cookie;
  ids = {
    FCASH: await idByCode(t.client, 'companies', 'FCASH'),
    PCNI: await idByCode(t.client, 'companies', 'PCNI'),
    SSS: await idByCode(t.client, 'pension_types', 'SSS'),
    PNP: await idByCode(t.client, 'pension_types', 'PNP'),
    DONE: await idByCode(t.client, 'status_types', 'DONE'),
    CALLED: await idByCode(t.client, 'status_types', 'CALLED'),
    tele: await idByCode(t.client, 'config_categories', 'tele_reasons'),
    pending: await idByCode(t.client, 'update_statuses', 'pending'),
  };
});
afterEach(() => t.close());

type Fields = Record<string, string | string[]>;
function body(fields: Fields): RequestInit {
  const init = formInit({});
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return { ...init, body: params.toString() };
}
const create = (cookie: string, table: string, fields: Fields) =>
  callRoute(newAction, ctx, requestWithCookie(cookie, `/admin/config/${table}/new`, body({ intent: 'save', ...fields })), { table });
const edit = (cookie: string, table: string, id: number | string, fields: Fields) =>
  callRoute(editAction, ctx, requestWithCookie(cookie, `/admin/config/${table}/${id}`, body({ intent: 'save', ...fields })), { table, id: String(id) });

/** Runs the request and proves it changed nothing in any config table or the audit log. */
async function unchanged<T>(run: () => Promise<T>): Promise<T> {
  const before = await snapshotAll(t.client);
  const answer = await run();
  const after = await snapshotAll(t.client);
  for (const table of CONFIG_TABLES) expect(after[table], `${table} changed`).toEqual(before[table]);
  return answer;
}

/** A valid create form per table; each case below breaks one thing. */
const VALID: Record<string, () => Fields> = {
  'pension-types': () => ({ code: 'OWWA', name: 'OWWA', companyId: String(ids.FCASH) }),
  'pensioner-types': () => ({ code: 'SURVIVOR', name: 'Survivor' }),
  products: () => ({ code: 'FCASH_OWWA', name: 'FCASH OWWA', companyId: String(ids.FCASH), pensionTypeId: String(ids.SSS), trackingCycle: 'monthly' }),
  'account-types': () => ({ code: 'EWALLET', name: 'E-wallet' }),
  'par-statuses': () => ({ code: 'tele_90', name: '90+ Days', isTrackable: 'on' }),
  'status-types': () => ({ code: 'ESCALATED', name: 'Escalated', sequence: '7', companyId: '' }),
  'status-reasons': () => ({ code: 'NEEDS_DOCUMENT', name: 'Needs a document', statusTypeId: String(ids.CALLED), requiresRemarks: 'on' }),
  'tele-statuses': () => ({ code: 'on_hold', name: 'On hold', updateStatusIds: [String(ids.pending)] }),
  'update-statuses': () => ({ code: 'pending_abroad', name: 'Pending - abroad' }),
  'config-categories': () => ({ code: 'visit_outcomes', name: 'Visit outcomes', description: '' }),
  'config-options': () => ({ code: 'VOICEMAIL', label: 'Voicemail', categoryId: String(ids.tele), companyId: String(ids.FCASH), parentOptionId: '' }),
  settings: () => ({ key: 'reminder_days', companyId: '', valueType: 'number', value: '3', description: '' }),
};
const KEY: Record<string, string> = { settings: 'key' };
const NAME: Record<string, string> = { 'config-options': 'label', settings: 'value' };
const EXISTING: Record<string, string> = {
  'pension-types': 'SSS',
  'pensioner-types': 'RETIREE',
  products: 'FCASH_SSS',
  'account-types': 'ATM',
  'par-statuses': 'do_not_show',
  'status-types': 'DONE',
  'status-reasons': 'NO_ANSWER',
  'tele-statuses': 'updated',
  'update-statuses': 'pending',
  'config-categories': 'loan_statuses',
  'config-options': 'NO_ANSWER',
  settings: 'session_idle_minutes',
};

describe.each(Object.keys(VALID))('%s: create', (table) => {
  const key = KEY[table] ?? 'code';
  const name = NAME[table] ?? 'name';

  it('accepts the valid form (the cases below differ from it in one field only)', async () => {
    const answer = await create(admin, table, VALID[table]());
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(answer.headers.get('location')).toMatch(new RegExp(`^/admin/config/${table}/\\d+$`));
    expect(flashMessage(answer)).toMatch(/ created\.$/);
  });

  it('empty form: field errors on the required fields, nothing saved', async () => {
    const empty = Object.fromEntries(Object.keys(VALID[table]()).map((k) => [k, '']));
    const answer = await unchanged(() => create(admin, table, empty));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors[key]).toBe('Required.');
    expect(answer.data.fieldErrors[name]).toBe('Required.');
    expect(answer.data.values[key]).toBe('');
  });

  it('too long: the field says its limit, the input is kept', async () => {
    const long = 'X'.repeat(5000);
    const answer = await unchanged(() => create(admin, table, { ...VALID[table](), [name]: long }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors[name]).toMatch(/^At most \d+ characters/);
    expect(answer.data.values[name]).toBe(long);
  });

  it('duplicate code: a field error, not a 500', async () => {
    const fields = { ...VALID[table](), [key]: EXISTING[table] };
    if (table === 'status-reasons') fields.statusTypeId = String(ids.CALLED); // NO_ANSWER exists under CALLED
    if (table === 'config-options') fields.companyId = String(ids.FCASH); // NO_ANSWER is FCASH's tele reason
    if (table === 'settings') fields.value = '60'; // inside the existing setting's range: only the key clashes
    const answer = await unchanged(() => create(admin, table, fields));
    expect(answer.status, JSON.stringify(answer.data)).toBe(400);
    expect(answer.data.fieldErrors[key]).toContain('already used');
  });

  it('wrong type: letters for the order, and a code with spaces', async () => {
    const answer = await unchanged(() => create(admin, table, { ...VALID[table](), sortOrder: 'abc', [key]: 'has spaces' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors[key]).toBe('Use letters, digits and _ only.');
    if (table !== 'settings') expect(answer.data.fieldErrors.sortOrder).toBe('Enter a number.');
  });
});

describe('selects: unknown ids and ids of another company', () => {
  it.each([
    ['pension-types', { companyId: '987654321' }, 'companyId'],
    ['products', { pensionTypeId: 'abc' }, 'pensionTypeId'],
    ['products', { trackingCycle: 'weekly' }, 'trackingCycle'],
    ['status-reasons', { statusTypeId: '987654321' }, 'statusTypeId'],
    ['tele-statuses', { updateStatusIds: ['987654321'] }, 'updateStatusIds'],
    ['config-options', { categoryId: '987654321' }, 'categoryId'],
    ['config-options', { parentOptionId: '987654321' }, 'parentOptionId'],
    ['settings', { valueType: 'date' }, 'valueType'],
  ])('%s with %j → field error on %s', async (table, change, field) => {
    const answer = await unchanged(() => create(admin, table, { ...VALID[table](), ...change }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors[field]).toMatch(/Choose/);
  });

  it('a product of one company with a pension type of the other → field error', async () => {
    const answer = await unchanged(() => create(admin, 'products', { ...VALID.products(), pensionTypeId: String(ids.PNP) }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.pensionTypeId).toBe("Choose a pension type of the product's company.");
  });

  it('an admin of FCASH only: PCNI as the company, a PCNI pension type, "all companies" → field errors', async () => {
    for (const [table, change, field] of [
      ['pension-types', { companyId: String(ids.PCNI) }, 'companyId'],
      ['products', { pensionTypeId: String(ids.PNP) }, 'pensionTypeId'],
      ['config-options', { companyId: '' }, 'companyId'],
      ['settings', { companyId: '' }, 'companyId'],
      ['status-types', { companyId: '' }, 'companyId'],
      ['status-reasons', { statusTypeId: String(ids.DONE) }, 'statusTypeId'],
    ] as const) {
      const answer = await unchanged(() => create(fcashAdmin, table, { ...VALID[table](), ...change }));
      expect(answer.status, `${table} ${JSON.stringify(answer.data)}`).toBe(400);
      expect(answer.data.fieldErrors[field], table).toMatch(/Choose|Required/);
    }
  });
});

describe('settings: the value must fit the type', () => {
  it.each([
    ['number', 'abc', 'is not a number'],
    ['number', '12abc', 'is not a number'],
    ['boolean', 'maybe', 'Enter true or false.'],
    ['json', '{"a": 1', 'Not valid JSON'],
  ])('create %s "%s" → field error', async (valueType, value, message) => {
    const answer = await unchanged(() => create(admin, 'settings', { ...VALID.settings(), valueType, value }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.value).toContain(message);
    expect(answer.data.values.value).toBe(value);
  });

  it('edit a number setting to "abc" or a JSON setting to broken JSON → field error, value kept', async () => {
    const idle = (await sqlRows(t.client, "SELECT id FROM config_settings WHERE key = 'session_idle_minutes' AND company_id IS NULL"))[0].id as number;
    const answer = await unchanged(() => edit(admin, 'settings', idle, { value: 'abc', description: 'x', isPublic: '' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.value).toContain('is not a number');
    const created = await create(admin, 'settings', { ...VALID.settings(), key: 'holidays', valueType: 'json', value: '["2026-12-25"]' });
    const jsonId = Number(created.headers.get('location')!.match(/settings\/(\d+)/)![1]);
    const broken = await unchanged(() => edit(admin, 'settings', jsonId, { value: "['2026-12-25']" }));
    expect(broken.status).toBe(400);
    expect(broken.data.fieldErrors.value).toContain('Not valid JSON');
  });
});

describe('settings: security and retention settings keep to their range (issue 14 item 7)', () => {
  const idOf = async (key: string) => (await sqlRows(t.client, 'SELECT id FROM config_settings WHERE key = ? AND company_id IS NULL', [key]))[0].id as number;
  it.each([
    ['login_lockout_threshold', '0', 'takes 3 to 20'],
    ['login_lockout_threshold', '10000', 'takes 3 to 20'],
    ['login_lockout_threshold', '4.5', 'whole number'],
    ['session_idle_minutes', '-1', 'takes 5 to 720'],
    ['session_idle_minutes', '100000', 'takes 5 to 720'],
    ['activity_log_retention_days', '1', 'takes 90 to 3650'],
    ['temporary_password_hours', '0', 'takes 1 to 168'],
  ])('%s = %s → field error, nothing changed', async (key, value, message) => {
    const answer = await unchanged(async () => edit(admin, 'settings', await idOf(key), { value, description: 'x', isPublic: '' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.value).toContain(message);
  });

  it('a value inside the range is saved', async () => {
    const answer = await edit(admin, 'settings', await idOf('login_lockout_threshold'), { value: '8', description: 'x', isPublic: '' });
    expect(answer.status).toBe(302);
    expect((await sqlRows(t.client, "SELECT value FROM config_settings WHERE key = 'login_lockout_threshold' AND company_id IS NULL"))[0].value).toBe('8');
  });
});

describe('edit: unknown ids and rows of another company', () => {
  it('an unknown id, or a malformed one, is 404 and changes nothing', async () => {
    for (const id of ['987654321', 'abc', '0']) {
      const answer = await unchanged(() => edit(admin, 'pension-types', id, { code: 'SSS', name: 'x' }));
      expect(answer.status).toBe(404);
    }
    const table = await unchanged(() => edit(admin, 'no-such-table', ids.SSS, { code: 'SSS', name: 'x' }));
    expect(table.status).toBe(404);
  });

  it('the FCASH-only admin: a PCNI row is 404 (like an unknown id); a shared row is 403', async () => {
    const pcni = await unchanged(() => edit(fcashAdmin, 'pension-types', ids.PNP, { code: 'PNP', name: 'Taken over' }));
    expect(pcni.status).toBe(404);
    const shared = await unchanged(() => edit(fcashAdmin, 'status-types', ids.DONE, { code: 'DONE', name: 'Done!', sequence: '6' }));
    expect(shared.status).toBe(403);
    for (const intent of ['delete', 'move-up']) {
      const answer = await unchanged(() =>
        callRoute(editAction, ctx, requestWithCookie(fcashAdmin, `/admin/config/pension-types/${ids.PNP}`, formInit({ intent })), {
          table: 'pension-types',
          id: String(ids.PNP),
        }),
      );
      expect(answer.status).toBe(404);
    }
  });

  it('empty, too long and duplicate on edit: field errors, nothing changed', async () => {
    const empty = await unchanged(() => edit(admin, 'pension-types', ids.SSS, { code: '', name: '' }));
    expect(empty.data.fieldErrors).toMatchObject({ code: 'Required.', name: 'Required.' });
    const long = await unchanged(() => edit(admin, 'pension-types', ids.SSS, { code: 'SSS', name: 'N'.repeat(81) }));
    expect(long.data.fieldErrors.name).toBe('At most 80 characters (this has 81).');
    const gsis = await idByCode(t.client, 'pensioner_types', 'RETIREE');
    const dup = await unchanged(() => edit(admin, 'pensioner-types', gsis, { code: 'ITF', name: 'Retiree' }));
    expect(dup.status).toBe(400);
    // RETIREE is a system row: it keeps its code even before the duplicate check.
    expect(dup.data.fieldErrors.code).toContain('keeps its code');
  });
});
