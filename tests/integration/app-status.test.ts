// The public status endpoint: health of the database and cache, the migration, a per-IP limit.
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
      ok: true, version: '1.2.3', host: 'node', checkedAt: ctx.clock.now().toISOString(),
      database: { ok: true }, cache: { ok: true, kind: 'memory' }, limiter: 'memory',
      migration: latestTag, migrationCurrent: true,
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
