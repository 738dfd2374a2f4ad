// The activity viewer's newer filters (resource type and id, free text) and its keyset paging:
// older/newer pages through every row exactly once, whatever the filters, and bad cursors are 400.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as activityLoader } from '../../app/routes/admin.activity';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  admin = await startTestSession(ctx, 'admin@demo.test');
  await t.client.execute('DELETE FROM activity_logs');
  const viewer = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'viewer@demo.test'"))[0].id);
  // 57 rows: status updates on clients 1..50, and a few others with distinctive details.
  const base = Date.parse('2026-11-15T01:00:00Z');
  const rows: Array<[number | null, string, string | null, string | null, string | null, string | null, number]> = [];
  for (let i = 1; i <= 50; i++)
    rows.push([viewer, 'status.update', 'client', String(i), JSON.stringify({ to: i % 2 ? 'CALLED' : 'DONE' }), '10.0.0.1', base + i * 1000]);
  rows.push([viewer, 'client.contacts_updated', 'client', '7', JSON.stringify({ new: { contactNumber: '+639175550101' } }), '10.0.0.2', base + 60_000]);
  rows.push([admin.userId, 'config.updated', 'status_reasons', '12', JSON.stringify({ code: 'NEEDS_PROOF' }), '10.0.0.3', base + 61_000]);
  rows.push([admin.userId, 'config.created', 'pension_types', '6', JSON.stringify({ code: 'OWWA' }), '10.0.0.3', base + 62_000]);
  for (let i = 0; i < 4; i++) rows.push([null, 'auth.login_failed', null, null, null, '203.0.113.9', base + 63_000 + i]);
  for (const r of rows) {
    await t.client.execute({
      sql: 'INSERT INTO activity_logs (user_id, action, resource_type, resource_id, details, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: r,
    });
  }
});
afterEach(() => t.close());

const load = (qs: string) => callRoute(activityLoader, ctx, requestWithCookie(admin.cookie, `/admin/activity?${qs}`));
const actions = async (qs: string) => {
  const answer = await load(qs);
  expect(answer.status, JSON.stringify(answer.data.error)).toBe(200);
  return answer.data.list.rows.map((r: any) => `${r.action} ${r.resourceType ?? '-'}:${r.resourceId ?? '-'}`);
};

describe('filters', () => {
  it('by resource type and id', async () => {
    expect(await actions('resource=status_reasons')).toEqual(['config.updated status_reasons:12']);
    expect(await actions('resource=client&resourceId=7&pageSize=100')).toEqual(['client.contacts_updated client:7', 'status.update client:7']);
    expect(await actions('resource=client&pageSize=100')).toHaveLength(51);
  });

  it('by free text over action, resource id, IP, request id and details', async () => {
    expect(await actions('q=NEEDS_PROOF')).toEqual(['config.updated status_reasons:12']);
    expect(await actions('q=203.0.113')).toHaveLength(4);
    expect(await actions('q=contacts_upd')).toEqual(['client.contacts_updated client:7']);
    expect(await actions('q=50%25')).toEqual([]); // "%" is taken literally
  });

  it.each([
    ['q=a', 'Filter "q" needs at least 2 characters'],
    ['resource=Client%20Table', 'Filter "resource" is not a resource type'],
    ['before=abc', 'Filter "before" is not a page position'],
    ['after=-1', 'Filter "after" is not a page position'],
  ])('400 for %s', async (qs, message) => {
    const answer = await load(qs);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toContain(message);
  });
});

describe('keyset paging', () => {
  it('older pages walk every row once, newest first; newer pages walk back to the first page', async () => {
    const all = (await sqlRows(t.client, 'SELECT id FROM activity_logs ORDER BY id DESC')).map((r) => Number(r.id));
    const seen: number[] = [];
    const pages: Array<{ ids: number[]; newerAfter: number | null; olderBefore: number | null }> = [];
    let qs = 'pageSize=10';
    for (;;) {
      const { data } = await load(qs);
      const ids = data.list.rows.map((r: any) => r.id);
      pages.push({ ids, newerAfter: data.list.newerAfter, olderBefore: data.list.olderBefore });
      seen.push(...ids);
      if (!data.list.olderBefore) break;
      qs = `pageSize=10&before=${data.list.olderBefore}`;
    }
    expect(seen).toEqual(all);
    expect(pages).toHaveLength(6);
    expect(pages[0].newerAfter).toBeNull();
    expect(pages[5].ids).toHaveLength(7);
    // From the last page back with "newer": the same pages in reverse.
    let back = pages[5].newerAfter;
    for (let i = 4; i >= 0; i--) {
      const { data } = await load(`pageSize=10&after=${back}`);
      expect(data.list.rows.map((r: any) => r.id)).toEqual(pages[i].ids);
      back = data.list.newerAfter;
    }
    expect(back).toBeNull();
  });

  it('keeps the filters while paging', async () => {
    const first = await load('resource=client&pageSize=20');
    const second = await load(`resource=client&pageSize=20&before=${first.data.list.olderBefore}`);
    const third = await load(`resource=client&pageSize=20&before=${second.data.list.olderBefore}`);
    const ids = [first, second, third].flatMap((p) => p.data.list.rows.map((r: any) => r.resourceType));
    expect(ids).toHaveLength(51);
    expect(new Set(ids)).toEqual(new Set(['client']));
    expect(third.data.list.olderBefore).toBeNull();
  });
});
