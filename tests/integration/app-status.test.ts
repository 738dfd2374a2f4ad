// The public status endpoint: health of the database and cache, the migration, a per-IP limit, and
// the Node service's heartbeats (age by the app's clock, stale after 3 intervals, breakers, queues).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as statusJson } from '../../app/routes/status[.]json';
import { absoluteUrl, callRoute, perRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

const journal = JSON.parse(readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8'));
const latestTag: string = journal.entries.at(-1).tag;

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { APP_VERSION: '1.2.3' } });
});
afterEach(() => t.close());

const status = (c: TestAppContext = ctx) => callRoute(statusJson, c, new Request(absoluteUrl('/status.json')));

describe('status.json', () => {
  it('reports healthy with the database reachable and on the latest migration', async () => {
    const answer = await status();
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({
      ok: true,
      version: '1.2.3',
      host: 'node',
      checkedAt: ctx.clock.now().toISOString(),
      database: { ok: true },
      cache: { ok: true, kind: 'memory' },
      limiter: 'memory',
      migration: latestTag,
      migrationCurrent: true,
    });
    expect(answer.headers.get('cache-control')).toBe('public, max-age=5');
  });

  it('reveals no connection details', async () => {
    const body = JSON.stringify((await status()).data);
    expect(body).not.toContain(t.path);
    expect(body).not.toContain('file:');
  });

  it('answers 503 with the database marked down when it cannot be reached, without the error text', async () => {
    t.client.close();
    const answer = await status();
    expect(answer.status).toBe(503);
    expect(answer.data.ok).toBe(false);
    expect(answer.data.database.ok).toBe(false);
    expect(answer.data.database.error).toMatch(/^\w+$/);
    expect(answer.data.cache.ok).toBe(true);
  });

  it('serves 20 requests per IP per minute and answers the 21st with 429 and Retry-After; other IPs go on', async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await status()).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await status();
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect((await status(perRequest(ctx, { clientIp: '198.51.100.20' }))).status).toBe(200);
    ctx.clock.advance(2 * 60_000);
    expect((await status()).status).toBe(200);
  });
});

describe('status.json: the service heartbeats', () => {
  const nowMs = () => ctx.clock.now().getTime();
  async function beat(instanceId: string, agoMs: number, payload: unknown, version = '0.1.0') {
    await t.client.execute({
      sql: `INSERT INTO service_heartbeats (instance_id, hostname, version, started_at, published_at, payload) VALUES (?, 'db-host-7.internal', ?, ?, ?, ?)`,
      args: [instanceId, version, nowMs() - 3_600_000, nowMs() - agoMs, JSON.stringify(payload)],
    });
  }
  const payload = {
    queues: { sync: { pending: 1, running: 1, failed: 0, dead: 2 }, nextbank: { pending: 40, running: 4, failed: 3, dead: 0 } },
    breakers: { snowflake: { state: 'closed', changedAt: null }, nextbank: { state: 'open', changedAt: Date.parse('2026-11-15T01:59:30Z') } },
    pid: 4242,
    uptimeSeconds: 3600,
  };

  it('says so when no service has published yet, and stays 200 (the web app itself is healthy)', async () => {
    const answer = await status();
    expect(answer.status).toBe(200);
    expect(answer.data.service).toEqual({ state: 'none', staleAfterSeconds: 30, instances: [], queues: [], queuesPublishedAt: null });
  });

  it('shows each instance with the age of its last heartbeat by the app clock, its breakers, and the newest queue depths', async () => {
    await beat('db-host-7.internal:4242', 12_000, payload);
    await beat('db-host-8.internal:77', 45_000, { ...payload, queues: { sync: { pending: 99 } } });
    await beat('gone-long-ago:1', 2 * 24 * 3_600_000, payload);
    const answer = await status();
    expect(answer.status).toBe(200);
    expect(answer.data.service).toEqual({
      state: 'up',
      staleAfterSeconds: 30,
      instances: [
        {
          label: 'Instance 1',
          version: '0.1.0',
          publishedAt: new Date(nowMs() - 12_000).toISOString(),
          ageSeconds: 12,
          clockAhead: false,
          stale: false,
          stopped: false,
          uptimeSeconds: 3600,
          breakers: [
            { name: 'snowflake', state: 'closed', changedAt: null },
            { name: 'nextbank', state: 'open', changedAt: '2026-11-15T01:59:30.000Z' },
          ],
        },
        expect.objectContaining({ label: 'Instance 2', ageSeconds: 45, stale: true }),
      ],
      queues: [
        { queue: 'sync', pending: 1, running: 1, failed: 0, dead: 2 },
        { queue: 'nextbank', pending: 40, running: 4, failed: 3, dead: 0 },
      ],
      queuesPublishedAt: new Date(nowMs() - 12_000).toISOString(),
    });
    // A public page: no host names, process ids or instance ids.
    const body = JSON.stringify(answer.data);
    expect(body).not.toContain('db-host');
    expect(body).not.toContain('4242');
  });

  it('marks the service stale when every heartbeat is older than 3 intervals (the payload may name its interval)', async () => {
    await beat('a:1', 31_000, payload);
    expect((await status()).data.service).toMatchObject({ state: 'stale', instances: [{ stale: true, ageSeconds: 31 }] });
    await t.client.execute('DELETE FROM service_heartbeats');
    await beat('a:2', 31_000, { ...payload, heartbeatMs: 20_000 });
    expect((await status()).data.service).toMatchObject({ state: 'up', staleAfterSeconds: 60, instances: [{ stale: false }] });
    ctx.clock.advance(30_000);
    expect((await status()).data.service).toMatchObject({ state: 'stale', instances: [{ stale: true, ageSeconds: 61 }] });
  });

  it('shows an instance that stopped gracefully as stopped, not up, even while its last heartbeat is fresh', async () => {
    await beat('a:1', 2_000, { ...payload, state: 'stopped' });
    expect((await status()).data.service).toMatchObject({ state: 'stopped', instances: [{ stopped: true, stale: false }] });
    await beat('b:2', 5_000, { ...payload, state: 'running' });
    expect((await status()).data.service).toMatchObject({ state: 'up', instances: [{ stopped: true }, { stopped: false }] });
  });

  it('reads a payload with missing or odd fields as unknown instead of failing', async () => {
    await beat('odd:1', 1_000, {
      queues: { sync: { pending: 'many', dead: -1 }, 'x<script>': 5 },
      breakers: { snowflake: 'melted', nextbank: null },
      uptimeSeconds: 'long',
    });
    const answer = await status();
    expect(answer.status).toBe(200);
    expect(answer.data.service.instances[0]).toMatchObject({
      uptimeSeconds: null,
      breakers: [
        { name: 'snowflake', state: 'unknown', changedAt: null },
        { name: 'nextbank', state: 'unknown', changedAt: null },
      ],
    });
    expect(answer.data.service.queues).toEqual([
      { queue: 'sync', pending: null, running: null, failed: null, dead: null },
      { queue: 'xscript', pending: null, running: null, failed: null, dead: null },
    ]);
  });

  it('flags a heartbeat from a clock ahead of the app instead of showing a negative age', async () => {
    await beat('ahead:1', -60_000, payload);
    expect((await status()).data.service.instances[0]).toMatchObject({ ageSeconds: 0, clockAhead: true, stale: false });
  });

  it('shows the service as unknown when the database is down', async () => {
    t.client.close();
    expect((await status()).data.service.state).toBe('unknown');
  });
});
