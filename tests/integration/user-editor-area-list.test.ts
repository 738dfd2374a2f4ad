// The user editor's area picker is read through the cache (decision 131): every area write (create,
// rename, delete, restore) shows on the next page read of the same process, never the cached list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as listAction } from '../../app/routes/areas._index';
import { action as areaAction } from '../../app/routes/areas.$id/route';
import { loader as newUserLoader } from '../../app/routes/admin.users.new';
import { areaIdOf, companyIdOf, postForm } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

const ADMIN = 'admin@demo.test';

let t: TestDb;
let ctx: TestAppContext;
let cookie: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  cookie = (await startTestSession(ctx, ADMIN)).cookie;
});
afterEach(() => t.close());

/** The areas the new-user form offers, as "CODE name". */
async function offeredAreas(): Promise<string[]> {
  const page = await callRoute(newUserLoader, ctx, requestWithCookie(cookie, '/admin/users/new'));
  expect(page.status).toBe(200);
  return page.data.options.areas.map((a: { code: string; name: string }) => `${a.code} ${a.name}`);
}
const postList = (fields: Parameters<typeof postForm>[0]) => callRoute(listAction, ctx, requestWithCookie(cookie, '/areas', postForm(fields)));
const postArea = (id: number, fields: Parameters<typeof postForm>[0]) =>
  callRoute(areaAction, ctx, requestWithCookie(cookie, `/areas/${id}`, postForm(fields)), { id: String(id) });

describe('the user editor area list after area writes', () => {
  it('shows a created, renamed, deleted and restored area on the next read', async () => {
    expect(await offeredAreas()).not.toContain('FCASH R9 Zamboanga'); // the list is now cached

    expect((await postList({ intent: 'create', companyId: await companyIdOf(t.client, 'FCASH'), code: 'R9', name: 'Zamboanga', isActive: 'on' })).status).toBe(
      302,
    );
    expect(await offeredAreas()).toContain('FCASH R9 Zamboanga');
    const id = await areaIdOf(t.client, 'FCASH', 'R9');

    expect((await postArea(id, { intent: 'edit', code: 'R9', name: 'Zamboanga Peninsula', isActive: 'on' })).status).toBe(302);
    const renamed = await offeredAreas();
    expect(renamed).toContain('FCASH R9 Zamboanga Peninsula');
    expect(renamed).not.toContain('FCASH R9 Zamboanga');

    expect((await postArea(id, { intent: 'delete' })).status).toBe(302);
    expect((await offeredAreas()).filter((a) => a.startsWith('FCASH R9 '))).toEqual([]);

    expect((await postArea(id, { intent: 'restore' })).status).toBe(302);
    expect(await offeredAreas()).toContain('FCASH R9 Zamboanga Peninsula');
  });
});
