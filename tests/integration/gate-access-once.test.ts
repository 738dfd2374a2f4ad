// Issue 10: the gate loads the signed-in user's access once per request and answers every other
// scope question from it. One client page request (the root loader for the navigation and the
// client page's loader with its tele panel and reinstate form) is counted on the real database
// (drizzle's query log on the same libSQL file) and the real in-process cache.
import { drizzle } from 'drizzle-orm/libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/database';
import { loader as rootLoader } from '../../app/root';
import { loader as clientLoader } from '../../app/routes/clients.$id/route';
import { accessCacheKey } from '../../app/core/access/access.server';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import type { Cache } from '../../app/platform/cache/cache';
import { perRequest, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let queries: string[];
let cacheReads: string[];

/** The real memory cache, with every key read written down. */
function countingCache(inner: Cache): Cache {
  return {
    kind: inner.kind,
    get: (key) => (cacheReads.push(key), inner.get(key)),
    set: (key, value, policy) => inner.set(key, value, policy),
    delete: (...keys) => inner.delete(...keys),
    ping: () => inner.ping(),
  };
}

beforeEach(async () => {
  t = await createTestDb();
  queries = [];
  cacheReads = [];
  const db = drizzle(t.client, { schema, logger: { logQuery: (sql) => queries.push(sql) } });
  ctx = testContext({ db, cache: countingCache(createMemoryCache()) });
});
afterEach(() => t.close());

/** One page request as Remix runs it: the root loader and the route loader share the request's context. */
async function openClientPage(cookie: string, clientId: number) {
  const app = perRequest(ctx);
  const request = requestWithCookie(cookie, `/clients/${clientId}`);
  const [root, page] = await Promise.all([
    rootLoader({ request, params: {}, context: { app } }),
    clientLoader({ request, params: { id: String(clientId) }, context: { app } }),
  ]);
  return { root: await root.json(), page: await page.json() };
}

const accessQueries = () => queries.filter((q) => /from "user_permissions"/.test(q)).length;

describe('the gate hands over the request access', () => {
  it('one client page request reads the access once: one cache read, one query on a cold cache, none when warm', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'admin@demo.test');
    const [client] = await sqlRows(
      t.client,
      "SELECT c.id FROM clients c JOIN companies co ON co.id = c.company_id WHERE co.code = 'FCASH' ORDER BY c.id LIMIT 1",
    );
    const clientId = Number(client.id);
    queries.length = 0;
    cacheReads.length = 0;

    const cold = await openClientPage(cookie, clientId);
    // The page used the access for six questions: navigation, status, history, contacts, tele, reinstate.
    expect(cold.root.user?.permissions).toContain('status:revert');
    expect(cold.page).toMatchObject({ canUpdate: expect.any(Boolean), canEditContacts: true });
    expect(cold.page.tele).not.toBeNull();
    expect(cacheReads.filter((k) => k === accessCacheKey(userId))).toHaveLength(1);
    expect(accessQueries()).toBe(1);

    queries.length = 0;
    cacheReads.length = 0;
    await openClientPage(cookie, clientId);
    expect(cacheReads.filter((k) => k === accessCacheKey(userId))).toHaveLength(1);
    expect(accessQueries()).toBe(0);
  });
});
