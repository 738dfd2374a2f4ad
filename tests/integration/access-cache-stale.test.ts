// The access cache never keeps a stale access after a grant change (issue 14 item 7): a read that
// started before the change and stores its result after the change's invalidation must not be
// served afterwards. The race is forced at the cache port (the real memory cache, whose store of
// this user's access is held until the change has committed and invalidated); the database, the
// grant change and loadAccess are the real ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessCacheKey, loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { setCompanyGrants } from '../../app/core/users/grants.server';
import type { Cache } from '../../app/platform/cache/cache';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import { companyIdOf } from '../support/admin-users';
import { testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { waitUntil } from '../support/processes';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(() => t.close());

/** The memory cache, except that one store of `key` waits for `release()` once `holdNext(key)` is called. */
function cacheHoldingOneStore() {
  const memory = createMemoryCache();
  let heldKey: string | null = null;
  let waiting = false;
  let release = () => {};
  const cache: Cache = {
    kind: memory.kind,
    get: (key) => memory.get(key),
    delete: (...keys) => memory.delete(...keys),
    ping: () => memory.ping(),
    async set(key, value, policy) {
      if (key === heldKey) {
        heldKey = null;
        waiting = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return memory.set(key, value, policy);
    },
  };
  return { cache, holdNext: (key: string) => (heldKey = key), isWaiting: () => waiting, release: () => release() };
}

describe('the access cache after a grant change', () => {
  it('ignores a read that started before the change and stored its result after the invalidation', async () => {
    const store = cacheHoldingOneStore();
    const ctx: TestAppContext = testContext({ db: t.db, cache: store.cache });
    const fcash = await companyIdOf(t.client, 'FCASH');
    const adminId = await userIdByEmail(t.db, 'admin@demo.test');
    const userId = await createTestUser(t.client, { email: 'officer@demo.test', branches: ['MNLA01'], grants: [['clients:read', 'FCASH', 'branch']] });

    store.holdNext(accessCacheKey(userId));
    const staleRead = loadAccess(ctx, userId); // reads the grants before the change, then waits to store them
    await waitUntil('the first read to reach the cache store', async () => store.isWaiting(), { timeoutMs: 10_000 });

    const changed = await setCompanyGrants(ctx, adminId, userId, fcash, { 'clients:read': 'branch', 'status:update': 'branch' });
    expect(changed).toMatchObject({ ok: true });
    store.release();
    const stale = await staleRead;
    expect(scopeFor(stale, 'status:update'), 'the first read saw the old grants').toBeNull();

    const after = await loadAccess(ctx, userId);
    expect(scopeFor(after, 'status:update'), 'a read after the change sees the new grant').not.toBeNull();
  });
});
