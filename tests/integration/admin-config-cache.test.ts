// Config edits invalidate the cached lookups, filter options and settings they feed, on the
// in-process cache (Node) and on the Upstash cache (the edge: real redis-server behind our Upstash
// REST endpoint, read by a second context as another isolate would). Proof: a raw SQL change is NOT
// seen (the cache is really in play), an edit through the config screen IS seen on the next load.
import { Redis } from '@upstash/redis';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action as editAction } from '../../app/routes/admin.config.$table.$id/route';
import { action as newAction } from '../../app/routes/admin.config.$table.new/route';
import { action as clientAction, loader as clientLoader } from '../../app/routes/clients.$id/route';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { globalSettings } from '../../app/core/config/settings.server';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import { createUpstashCache } from '../../app/platform/cache/upstash-cache';
import type { Cache } from '../../app/platform/cache/cache';
import { callRoute, formInit, perRequest, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { startRedis, type StartedRedis } from '../support/redis';
import { idByCode, sqlRows } from '../support/sql';
import { startUpstashRest, type UpstashRestServer } from '../support/upstash-rest';

const TOKEN = `cache-${randomUUID()}`;
let redis: StartedRedis;
let rest: UpstashRestServer;
beforeAll(async () => {
  redis = await startRedis();
  rest = await startUpstashRest({ redisPort: redis.port, token: TOKEN });
}, 60_000);
afterAll(async () => {
  await rest?.close();
  await redis?.stop();
});

let t: TestDb;
afterEach(() => t.close());

/** Two contexts as two requests on the same host/store: the admin's edit and the agent's page load. */
const STORES: Array<[string, () => Cache]> = [
  ['Node (in-process cache)', () => createMemoryCache()],
  ['edge (Upstash cache)', () => createUpstashCache(new Redis({ url: rest.url, token: TOKEN }), `itest:${randomUUID()}:`)],
];

describe.each(STORES)('%s', (_name, makeCache) => {
  let adminCtx: TestAppContext;
  let agentCtx: TestAppContext;
  let admin: string;
  let agent: string;
  let client: { id: number; version: number };

  beforeEach(async () => {
    t = await createTestDb();
    const cache = makeCache();
    adminCtx = testContext({ db: t.db, cache });
    agentCtx = testContext({ db: t.db, cache });
    admin = (await startTestSession(adminCtx, 'admin@demo.test')).cookie;
    agent = (await startTestSession(agentCtx, 'tele.fcash@demo.test')).cookie;
    const [row] = await sqlRows(
      t.client,
      `SELECT c.id, s.version FROM clients c JOIN branches b ON b.id = c.branch_id
      JOIN client_period_status s ON s.client_id = c.id AND s.period_key = '2026-11' JOIN status_types st ON st.id = s.status_type_id
      WHERE b.code = 'MNLA01' AND st.code = 'PENDING' AND s.is_terminal = 0 ORDER BY c.id LIMIT 1`,
    );
    client = { id: Number(row.id), version: Number(row.version) };
  });

  const statusForm = async () => {
    const page = await callRoute(clientLoader, agentCtx, requestWithCookie(agent, `/clients/${client.id}`), { id: String(client.id) });
    expect(page.status).toBe(200);
    return page.data.reasons as Array<{ id: number; code: string; name: string; requiresRemarks: boolean }>;
  };
  const adminPost = (path: string, table: string, id: string | null, fields: Record<string, string>) =>
    callRoute(id ? editAction : newAction, adminCtx, requestWithCookie(admin, path, formInit({ intent: 'save', ...fields })), id ? { table, id } : { table });

  it('a new reason that requires remarks is offered on the next load of the status form, and demanded', async () => {
    expect((await statusForm()).some((r) => r.code === 'NEEDS_PROOF')).toBe(false); // now cached
    const called = await idByCode(t.client, 'status_types', 'CALLED');
    // A raw change behind the app's back is not seen: the list really comes from the cache.
    await t.client.execute({
      sql: "UPDATE status_reasons SET name = 'Renamed behind the app' WHERE code = 'NO_ANSWER' AND status_type_id = ?",
      args: [called],
    });
    expect((await statusForm()).some((r) => r.name === 'Renamed behind the app')).toBe(false);

    const created = await adminPost('/admin/config/status-reasons/new', 'status-reasons', null, {
      code: 'NEEDS_PROOF',
      name: 'Needs proof of life',
      statusTypeId: String(called),
      requiresRemarks: 'on',
    });
    expect(created.status, JSON.stringify(created.data)).toBe(302);
    const reasons = await statusForm();
    const reason = reasons.find((r) => r.code === 'NEEDS_PROOF');
    expect(reason).toMatchObject({ name: 'Needs proof of life', requiresRemarks: true });
    expect(reasons.some((r) => r.name === 'Renamed behind the app')).toBe(true); // the whole entry was refreshed

    const save = (remarks: string) =>
      callRoute(
        clientAction,
        agentCtx,
        requestWithCookie(
          agent,
          `/clients/${client.id}`,
          formInit({
            intent: 'status',
            periodKey: '2026-11',
            baseVersion: String(client.version),
            statusTypeId: String(called),
            reasonId: String(reason!.id),
            remarks,
            hasPayment: 'no',
          }),
        ),
        { id: String(client.id) },
      );
    const refused = await save('');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('Remarks are required for \\"NEEDS_PROOF\\"');
    expect((await save('Asked for a certificate')).status).toBe(302);

    // Edited: no longer requires remarks; deactivated: gone.
    const edited = await adminPost(`/admin/config/status-reasons/${reason!.id}`, 'status-reasons', String(reason!.id), {
      code: 'NEEDS_PROOF',
      name: 'Needs proof of life',
      requiresRemarks: '',
      sortOrder: '',
    });
    expect(edited.status).toBe(302);
    expect((await statusForm()).find((r) => r.code === 'NEEDS_PROOF')?.requiresRemarks).toBe(false);
    const gone = await callRoute(editAction, adminCtx, requestWithCookie(admin, `/admin/config/status-reasons/${reason!.id}`, formInit({ intent: 'delete' })), {
      table: 'status-reasons',
      id: String(reason!.id),
    });
    expect(gone.status).toBe(302);
    expect((await statusForm()).some((r) => r.code === 'NEEDS_PROOF')).toBe(false);
  });

  it('a PAR status deactivated leaves the clients filter on the next load', async () => {
    const filterCodes = async () =>
      ((await callRoute(clientsLoader, agentCtx, requestWithCookie(agent, '/clients'))).data.options.parStatuses as Array<{ code: string }>).map((p) => p.code);
    expect(await filterCodes()).toContain('tele_130');
    const id = await idByCode(t.client, 'par_statuses', 'tele_130');
    await t.client.execute({ sql: 'UPDATE par_statuses SET is_system = 0 WHERE id = ?', args: [id] });
    const del = await callRoute(editAction, adminCtx, requestWithCookie(admin, `/admin/config/par-statuses/${id}`, formInit({ intent: 'delete' })), {
      table: 'par-statuses',
      id: String(id),
    });
    expect(del.status).toBe(302);
    expect(await filterCodes()).not.toContain('tele_130');
  });

  it('a setting edited is read with its new value on the next request', async () => {
    expect((await globalSettings(perRequest(agentCtx))).session_idle_minutes).toBe(60);
    const [row] = await sqlRows(t.client, "SELECT id FROM config_settings WHERE key = 'session_idle_minutes' AND company_id IS NULL");
    const saved = await adminPost(`/admin/config/settings/${row.id}`, 'settings', String(row.id), { value: '45', description: 'Idle limit', isPublic: '' });
    expect(saved.status, JSON.stringify(saved.data)).toBe(302);
    expect((await globalSettings(perRequest(agentCtx))).session_idle_minutes).toBe(45);
  });
});
