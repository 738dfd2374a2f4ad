// The audit log viewer /admin/audit and its CSV: filters (table, record, user, action, Manila date
// range), only changed fields old → new, who/when/IP/request id, paging, reach per company, the
// export rate limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as csvLoader } from '../../app/routes/admin.audit[.]csv';
import { loader as auditLoader } from '../../app/routes/admin.audit';
import { action as editAction } from '../../app/routes/admin.config.$table.$id/route';
import { action as newAction } from '../../app/routes/admin.config.$table.new/route';
import { PERMISSION_CODES } from '../../db/seed/permissions';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode, snapshot, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { redirectOf } from '../support/flash';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };
let fcash: { userId: number; cookie: string };
let ids: { SSS: number; PNP: number; newType: number };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  admin = await startTestSession(ctx, 'admin@demo.test');
  await createTestUser(t.client, { email: 'admin.fcash@audit.test', grants: PERMISSION_CODES.map((c) => [c, 'FCASH', 'all'] as const) });
  fcash = await startTestSession(ctx, 'admin.fcash@audit.test');
  ids = { SSS: await idByCode(t.client, 'pension_types', 'SSS'), PNP: await idByCode(t.client, 'pension_types', 'PNP'), newType: 0 };
  const edit = async (who: string, id: number, fields: Record<string, string>) => {
    const answer = await callRoute(
      editAction,
      ctx,
      requestWithCookie(who, `/admin/config/pension-types/${id}`, formInit({ intent: 'save', sortOrder: '', ...fields })),
      { table: 'pension-types', id: String(id) },
    );
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/admin/config/pension-types/${id}`, flash: 'Pension type saved.' });
    return answer;
  };
  // Day 1 (Manila 2026-11-15): the admin renames SSS and PNP; day 2: the FCASH admin renames SSS again and adds one.
  expect((await edit(admin.cookie, ids.SSS, { code: 'SSS', name: '=HYPERLINK("x")' })).status).toBe(302);
  expect((await edit(admin.cookie, ids.PNP, { code: 'PNP', name: 'PNP pensions' })).status).toBe(302);
  ctx.clock.advance(24 * 3600_000);
  // A day later the old sessions have timed out: sign in again.
  admin = await startTestSession(ctx, 'admin@demo.test');
  fcash = await startTestSession(ctx, 'admin.fcash@audit.test');
  expect((await edit(fcash.cookie, ids.SSS, { code: 'SSS', name: 'SSS pensions' })).status).toBe(302);
  const created = await callRoute(
    newAction,
    ctx,
    requestWithCookie(
      fcash.cookie,
      '/admin/config/pension-types/new',
      formInit({ intent: 'save', code: 'OWWA', name: 'OWWA', companyId: String(await idByCode(t.client, 'companies', 'FCASH')) }),
    ),
    { table: 'pension-types' },
  );
  ids.newType = Number(created.headers.get('location')!.match(/\/(\d+)$/)![1]);
});
afterEach(() => t.close());

const page = (cookie: string, qs: string) => callRoute(auditLoader, ctx, requestWithCookie(cookie, `/admin/audit?${qs}`));
const summary = async (cookie: string, qs: string) => {
  const answer = await page(cookie, qs);
  expect(answer.status, JSON.stringify(answer.data.error)).toBe(200);
  return answer.data.list.rows.map(
    (r: any) => `${r.userEmail} ${r.action} ${r.tableName}#${r.recordId} ${JSON.stringify(r.oldValues)}→${JSON.stringify(r.newValues)}`,
  );
};

describe('viewer', () => {
  it('shows only the changed fields old → new, newest first, with who, IP and request id', async () => {
    const answer = await page(admin.cookie, 'table=pension_types');
    const [newest, second] = answer.data.list.rows;
    expect(newest).toMatchObject({ action: 'create', userEmail: 'admin.fcash@audit.test', oldValues: null, ip: '127.0.0.1' });
    expect(newest.newValues).toMatchObject({ code: 'OWWA', name: 'OWWA' });
    expect(second).toMatchObject({ action: 'update', oldValues: { name: '=HYPERLINK("x")' }, newValues: { name: 'SSS pensions' } });
    expect(second.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.data.list.total).toBe(4);
    expect(answer.data.tables).toContain('pension_types');
  });

  it('filters by record, user (email part or id), action and Manila date range', async () => {
    expect(await summary(admin.cookie, `table=pension_types&record=${ids.SSS}`)).toEqual([
      `admin.fcash@audit.test update pension_types#${ids.SSS} {"name":"=HYPERLINK(\\"x\\")"}→{"name":"SSS pensions"}`,
      `admin@demo.test update pension_types#${ids.SSS} {"name":"SSS"}→{"name":"=HYPERLINK(\\"x\\")"}`,
    ]);
    expect(await summary(admin.cookie, 'user=fcash@audit')).toHaveLength(2);
    expect(await summary(admin.cookie, `user=${admin.userId}`)).toHaveLength(2);
    expect(await summary(admin.cookie, 'action=create')).toHaveLength(1);
    expect(await summary(admin.cookie, 'from=2026-11-15&to=2026-11-15')).toHaveLength(2);
    expect(await summary(admin.cookie, 'from=2026-11-16')).toHaveLength(2);
    expect(await summary(admin.cookie, 'to=2026-11-14')).toEqual([]);
    expect(await summary(admin.cookie, 'table=areas')).toEqual([]);
  });

  it('pages (≤ 100 a page)', async () => {
    const first = await page(admin.cookie, 'pageSize=3');
    const second = await page(admin.cookie, 'pageSize=3&page=2');
    expect(first.data.list).toMatchObject({ total: 4, pages: 2, page: 1 });
    expect(first.data.list.rows).toHaveLength(3);
    expect(second.data.list.rows).toHaveLength(1);
    expect((await page(admin.cookie, 'pageSize=5000')).data.list.pageSize).toBe(100);
  });

  it("an admin of FCASH only never sees the PCNI row's audit", async () => {
    const rows = await summary(fcash.cookie, '');
    expect(rows.some((r: string) => r.includes(`#${ids.PNP} `))).toBe(false);
    expect(rows).toHaveLength(3);
    expect(await summary(fcash.cookie, `table=pension_types&record=${ids.PNP}`)).toEqual([]);
  });

  it.each([
    ['from=15-11-2026', 'Filter "from" must be a date'],
    ['record=abc', 'Filter "record" must be a record id'],
    ['table=DROP TABLE', 'Filter "table" is not a table name'],
    ['action=explode', 'Filter "action" must be create'],
    ['from=2026-11-16&to=2026-11-15', 'is after'],
  ])('400 with a clear message for %s, and nothing read or written', async (qs, message) => {
    const before = await snapshot(t.client, 'config_audit_log');
    const answer = await page(admin.cookie, qs);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toContain(message);
    expect(answer.data.list).toBeNull();
    expect(await snapshot(t.client, 'config_audit_log')).toEqual(before);
  });

  it('the area manager reads it; a branch officer cannot', async () => {
    const am = await startTestSession(ctx, 'area.ncr@demo.test');
    expect((await page(am.cookie, '')).status).toBe(200);
    const bo = await startTestSession(ctx, 'branch.mnla01@demo.test');
    expect((await page(bo.cookie, '')).status).toBe(403);
    expect((await callRoute(csvLoader, ctx, requestWithCookie(bo.cookie, '/admin/audit.csv'))).status).toBe(403);
  });
});

describe('CSV download', () => {
  const csv = (cookie: string, qs: string) => callRoute(csvLoader, ctx, requestWithCookie(cookie, `/admin/audit.csv?${qs}`));

  it('one line per changed field with the same filters; formulas neutralised', async () => {
    const answer = await csv(admin.cookie, `table=pension_types&record=${ids.SSS}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-2026-11-16\.csv"$/);
    const lines = String(answer.data).trim().split('\n');
    expect(lines[0]).toBe(
      'id,created_at_utc,user_id,user_email,table,record_id,action,field,old_value,new_value,ip,request_id,approval_request_id,maker_email,made_at_utc,checker_email,decided_at_utc,approval_outcome',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`admin.fcash@audit.test,pension_types,${ids.SSS},update,name,"'=HYPERLINK(""x"")",SSS pensions,127.0.0.1,`);
    expect(lines[2]).toContain(`admin@demo.test,pension_types,${ids.SSS},update,name,SSS,"'=HYPERLINK(""x"")",127.0.0.1,`);
    // A create: one line per field of the new row.
    const created = String((await csv(admin.cookie, 'action=create')).data)
      .trim()
      .split('\n')
      .slice(1);
    expect(created.map((l) => l.split(',')[7])).toEqual(expect.arrayContaining(['code', 'name', 'companyId', 'isActive']));
  });

  it("keeps the reach: the FCASH admin's file has no PCNI row", async () => {
    const body = String((await csv(fcash.cookie, '')).data);
    expect(body).not.toContain('PNP pensions');
    expect(body).toContain('SSS pensions');
  });

  it('bad filters are 400; the sixth export within 5 minutes is 429 with Retry-After', async () => {
    expect((await csv(admin.cookie, 'from=x')).status).toBe(400);
    for (let i = 0; i < 4; i++) expect((await csv(admin.cookie, '')).status).toBe(200);
    const limited = await csv(admin.cookie, '');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the write and its audit row are one transaction', () => {
  it('a refused edit leaves neither the change nor an audit row (the duplicate is found inside the transaction)', async () => {
    const before = { rows: await snapshot(t.client, 'pension_types'), audit: await snapshot(t.client, 'config_audit_log') };
    const answer = await callRoute(
      editAction,
      ctx,
      requestWithCookie(admin.cookie, `/admin/config/pension-types/${ids.newType}`, formInit({ intent: 'save', code: 'GSIS', name: 'Clash', sortOrder: '' })),
      { table: 'pension-types', id: String(ids.newType) },
    );
    expect(answer.status).toBe(400);
    expect(await snapshot(t.client, 'pension_types')).toEqual(before.rows);
    expect(await snapshot(t.client, 'config_audit_log')).toEqual(before.audit);
    const [count] = await sqlRows(t.client, 'SELECT count(*) AS n FROM config_audit_log');
    expect(Number(count.n)).toBe(4);
  });
});
