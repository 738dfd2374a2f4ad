// /reports/exports (request + own list) and the download: 403 without reports:export, validation,
// the export limit (5 per 5 min, refused while the limiter store is down), the per-user cap of running
// exports, the owner's signed link streams the file, another user's link and an expired link are 404
// and logged; the request and the download are in the activity log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localExportStorage } from '../../app/platform/files/local-export-storage';
import type { ExportStorage } from '../../app/platform/files/export-storage';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import type { RateLimiter } from '../../app/platform/rate-limit/limiter';
import { action as exportsAction, loader as exportsLoader } from '../../app/routes/reports_.exports';
import { loader as downloadLoader } from '../../app/routes/reports_.exports.$id.download';
import { loader as fileLoader } from '../../app/routes/reports_.exports.file';
import { createExportHandler } from '../../service/exports/export-handler';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { testWorker } from '../service/fixtures/job-fixtures';

let t: TestDb;
let ctx: TestAppContext;
let dir: string;
let storage: ExportStorage;
beforeEach(async () => {
  t = await createTestDb();
  dir = mkdtempSync(path.join(tmpdir(), 'exports-route-'));
  storage = localExportStorage(dir);
  ctx = testContext({ db: t.db, exportFiles: storage });
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const STATUS_FORM = { type: 'client_status', format: 'csv', company: 'fcash', period: '2026-11' };
const post = (cookie: string, fields: Record<string, string>) => callRoute(exportsAction, ctx, requestWithCookie(cookie, '/reports/exports', formInit(fields)));
const activity = (action: string) => sqlRows(t.client, 'SELECT user_id, resource_id, details FROM activity_logs WHERE action = ? ORDER BY id', [action]);

async function runJobs() {
  const worker = testWorker(t.db, ctx.clock, { export: createExportHandler({ storage, batchRows: 500 }) });
  while (await worker.runOnce());
}

describe('requesting an export', () => {
  it('a tele agent without reports:export gets 403 on the screen and on the form (access.denied logged)', async () => {
    const tele = await startTestSession(ctx, 'tele.fcash@demo.test');
    expect((await callRoute(exportsLoader, ctx, requestWithCookie(tele.cookie, '/reports/exports'))).status).toBe(403);
    expect((await post(tele.cookie, STATUS_FORM)).status).toBe(403);
    expect((await sqlRows(t.client, "SELECT count(*) AS n FROM activity_logs WHERE action = 'access.denied' AND user_id = ?", [tele.userId]))[0].n).toBe(2);
    expect((await sqlRows(t.client, 'SELECT count(*) AS n FROM export_jobs'))[0].n).toBe(0);
  });

  it('validates the kind, the format and the filters (400, nothing queued; each still spends the export limit)', async () => {
    const area = await startTestSession(ctx, 'area.ncr@demo.test');
    for (const bad of [
      { ...STATUS_FORM, type: 'everything' },
      { ...STATUS_FORM, format: 'pdf' },
      { ...STATUS_FORM, period: '2026-13' },
      { ...STATUS_FORM, period: '2019-11' },
      { type: 'clients', format: 'csv', company: '987654' },
    ]) {
      const answer = await post(area.cookie, bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(Object.keys(answer.data.fieldErrors).length, JSON.stringify(bad)).toBe(1);
    }
    expect((await sqlRows(t.client, 'SELECT count(*) AS n FROM export_jobs'))[0].n).toBe(0);
  });

  it('queues the job, logs export.request, and the screen carries the filters of the screen it came from', async () => {
    const area = await startTestSession(ctx, 'area.ncr@demo.test');
    const page = await callRoute(
      exportsLoader,
      ctx,
      requestWithCookie(area.cookie, '/reports/exports?type=client_status&company=fcash&period=2026-11&status=3'),
    );
    expect(page.status).toBe(200);
    expect(page.data.draft).toEqual({
      kind: 'client_status',
      label: 'Client status for a period',
      filters: { company: 'fcash', period: '2026-11', status: '3' },
    });
    const answer = await post(area.cookie, STATUS_FORM);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(/^\/reports\/exports\?requested=\d+$/);
    const [job] = await sqlRows(
      t.client,
      'SELECT e.id, e.status, q.queue, q.status AS job_status FROM export_jobs e JOIN job_queue q ON q.id = e.job_queue_id',
    );
    expect(job).toMatchObject({ status: 'pending', queue: 'export', job_status: 'pending' });
    expect((await activity('export.request')).map((r) => r.resource_id)).toEqual([String(job.id)]);
    const list = await callRoute(exportsLoader, ctx, requestWithCookie(area.cookie, '/reports/exports'));
    expect(list.data.active).toBe(true);
    expect(list.data.list[0]).toMatchObject({ id: job.id, state: 'pending', kind: 'client_status' });
  });

  it('at most N running exports per user (setting): the next one is refused until one finishes', async () => {
    await t.db.run(sql`insert into config_settings (key, company_id, value, value_type) values ('export_max_running_per_user', null, '1', 'number')
      on conflict do nothing`);
    await t.db.run(sql`update config_settings set value = '1' where key = 'export_max_running_per_user'`);
    const area = await startTestSession(ctx, 'area.ncr@demo.test');
    expect((await post(area.cookie, STATUS_FORM)).status).toBe(302);
    const refused = await post(area.cookie, STATUS_FORM);
    expect(refused.status).toBe(429);
    expect(refused.data.formError).toMatch(/already have 1 export/);
    await runJobs();
    expect((await post(area.cookie, STATUS_FORM)).status).toBe(302);
  });

  it('the export limit: 5 requests then 429 with Retry-After; 503 while the limiter store is down', async () => {
    await t.db.run(sql`update config_settings set value = '50' where key = 'export_max_running_per_user'`);
    const area = await startTestSession(ctx, 'area.ncr@demo.test');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await post(area.cookie, STATUS_FORM));
    expect(answers.map((a) => a.status)).toEqual([302, 302, 302, 302, 302, 429]);
    expect(Number(answers[5].headers.get('retry-after'))).toBeGreaterThan(0);
    const down: RateLimiter = {
      kind: 'upstash',
      policies: createMemoryLimiter(ctx.clock).policies,
      limit: async () => Promise.reject(new Error('store down')),
    };
    const downCtx = testContext({ db: t.db, limiter: down, exportFiles: storage });
    const answer = await callRoute(exportsAction, downCtx, requestWithCookie(area.cookie, '/reports/exports', formInit(STATUS_FORM)));
    expect(answer.status).toBe(503);
  });
});

describe('downloading an export', () => {
  async function readyExport() {
    const area = await startTestSession(ctx, 'area.ncr@demo.test');
    expect((await post(area.cookie, STATUS_FORM)).status).toBe(302);
    await runJobs();
    const [row] = await sqlRows(t.client, 'SELECT id, rows_done FROM export_jobs');
    const list = await callRoute(exportsLoader, ctx, requestWithCookie(area.cookie, '/reports/exports'));
    expect(list.data.list[0]).toMatchObject({ id: row.id, state: 'ready', percent: 100 });
    expect(list.data.active).toBe(false);
    const link = await callRoute(downloadLoader, ctx, requestWithCookie(area.cookie, `/reports/exports/${row.id}/download`), { id: String(row.id) });
    expect(link.status).toBe(302);
    const href = link.headers.get('location')!;
    expect(href).toMatch(/^\/reports\/exports\/file\?t=\d+\.\d+\.\d+\.[A-Za-z0-9_-]{43}$/);
    return { area, id: Number(row.id), rows: Number(row.rows_done), href };
  }

  it('the owner: a signed link that streams the file, and export.download in the activity log', async () => {
    const { area, id, rows, href } = await readyExport();
    const file = await fileLoader({ request: requestWithCookie(area.cookie, href), params: {}, context: { app: ctx } } as never);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="client-status-fcash-2026-11-2026-11-15-\d+\.csv"$/);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).trim().split('\n')).toHaveLength(rows + 1);
    expect((await activity('export.download')).map((r) => r.resource_id)).toEqual([String(id)]);
  });

  it("another user's link: 404, logged; the other user cannot get a link for it either", async () => {
    const { id, href } = await readyExport();
    const other = await startTestSession(ctx, 'admin@demo.test');
    expect((await callRoute(fileLoader, ctx, requestWithCookie(other.cookie, href))).status).toBe(404);
    expect((await callRoute(downloadLoader, ctx, requestWithCookie(other.cookie, `/reports/exports/${id}/download`), { id: String(id) })).status).toBe(404);
    const refused = await activity('export.download_refused');
    expect(refused.map((r) => [r.user_id, r.resource_id, JSON.parse(String(r.details)).reason])).toEqual([
      [other.userId, String(id), 'other_user'],
      [other.userId, String(id), 'not_owner_or_unknown'],
    ]);
    expect(await activity('export.download')).toEqual([]);
  });

  it('an expired link (after 1 hour) or a forged one: 404, logged', async () => {
    const { area, id, href } = await readyExport();
    ctx.clock.advance(60 * 60_000 + 1);
    const fresh = await startTestSession(ctx, 'area.ncr@demo.test'); // the old session is idle-expired by now
    expect((await callRoute(fileLoader, ctx, requestWithCookie(fresh.cookie, href))).status).toBe(404);
    const forged = href.replace(/\.(\d+)\.([A-Za-z0-9_-]+)$/, (_m, exp) => `.${Number(exp) + 3_600_000}.${'A'.repeat(43)}`);
    expect((await callRoute(fileLoader, ctx, requestWithCookie(fresh.cookie, forged))).status).toBe(404);
    const refused = await activity('export.download_refused');
    expect(refused.map((r) => [r.user_id, r.resource_id, JSON.parse(String(r.details)).reason])).toEqual([
      [area.userId, String(id), 'expired_link'],
      [area.userId, null, 'bad_signature'],
    ]);
  });

  it('on a host without export storage (Workers): the owner gets a page saying where downloads are served, logged; others still 404', async () => {
    const { area, id } = await readyExport();
    const edge = { ...ctx, exportFiles: undefined }; // what server/worker.ts wires: no export storage
    const answer = await callRoute(downloadLoader, edge, requestWithCookie(area.cookie, `/reports/exports/${id}/download`), { id: String(id) });
    expect(answer.status).toBe(501);
    expect(answer.headers.get('location')).toBeNull();
    expect(String(answer.data)).toContain('Download it from the Node host');
    const other = await startTestSession(edge, 'admin@demo.test');
    expect((await callRoute(downloadLoader, edge, requestWithCookie(other.cookie, `/reports/exports/${id}/download`), { id: String(id) })).status).toBe(404);
    const refused = await activity('export.download_refused');
    expect(refused.map((r) => [r.user_id, r.resource_id, JSON.parse(String(r.details)).reason])).toEqual([
      [area.userId, String(id), 'no_storage'],
      [other.userId, String(id), 'not_owner_or_unknown'],
    ]);
  });

  it('after the file is deleted (24 h) the export reads as expired and has no link', async () => {
    const { area, id } = await readyExport();
    ctx.clock.advance(25 * 3600_000);
    const fresh = await startTestSession(ctx, 'area.ncr@demo.test');
    const list = await callRoute(exportsLoader, ctx, requestWithCookie(fresh.cookie, '/reports/exports'));
    expect(list.data.list[0]).toMatchObject({ id, state: 'expired' });
    expect((await callRoute(downloadLoader, ctx, requestWithCookie(fresh.cookie, `/reports/exports/${id}/download`), { id: String(id) })).status).toBe(404);
    void area;
  });
});
