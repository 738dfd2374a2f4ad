// The Sync screen (/admin/sync): an admin asks for a Snowflake sync; the app writes the sync_jobs row
// and its 'sync' job in one transaction (the service runs it), refuses a second one while one is
// waiting or running, validates the form (mode, dry run, branch codes in scope), spends the sync
// limit (2 per 10 minutes, 429 after), and serves the sync's progress as JSON for the live bar.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { syncPayloadSchema } from '../../app/core/jobs/payloads.server';
import { requestSync } from '../../app/core/jobs/sync-requests.server';
import { loader as detailLoader } from '../../app/routes/admin.sync.$id';
import { loader as progressLoader } from '../../app/routes/admin.sync.$id.progress';
import { action, loader } from '../../app/routes/admin.sync._index';
import { callRoute, formInit, signedInRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

const ADMIN = 'admin@demo.test';
let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
});
afterEach(() => t.close());

async function trigger(fields: Record<string, string>, email = ADMIN) {
  return callRoute(action, ctx, await signedInRequest(ctx, email, '/admin/sync', formInit(fields)));
}
const state = async () => ({
  syncJobs: await snapshot(t.client, 'sync_jobs'),
  jobs: await snapshot(t.client, 'job_queue'),
  requested: await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'sync.requested'"),
});
const progressOf = async (id: string, email = ADMIN) => callRoute(progressLoader, ctx, await signedInRequest(ctx, email, `/admin/sync/${id}/progress`), { id });

describe('triggering a sync', () => {
  it('creates the pending sync_jobs row and its sync job together, linked both ways, and logs who asked', async () => {
    const adminId = await userIdByEmail(t.db, ADMIN);
    const answer = await trigger({ mode: 'full', dryRun: 'on', branchCodes: 'mnla01, QZN01 mnla01' });
    expect(answer.status).toBe(302);
    const [sync] = await sqlRows(t.client, 'SELECT * FROM sync_jobs');
    expect(answer.headers.get('location')).toBe(`/admin/sync?requested=${sync.id}`);
    expect(sync).toMatchObject({
      mode: 'full',
      is_dry_run: 1,
      status: 'pending',
      trigger: 'manual',
      triggered_by: adminId,
      source_view: 'CLIENT_UPDATER.CLIENTS_VIEW',
      rows_read: 0,
      created_at: ctx.clock.now().getTime(),
    });
    const jobs = await sqlRows(t.client, 'SELECT * FROM job_queue');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      id: sync.job_queue_id,
      queue: 'sync',
      status: 'pending',
      attempts: 0,
      max_attempts: 3,
      scheduled_at: ctx.clock.now().getTime(),
    });
    // The payload is what the service's handler parses.
    expect(syncPayloadSchema.parse(JSON.parse(String(jobs[0].payload)))).toEqual({
      syncJobId: sync.id,
      mode: 'full',
      dryRun: true,
      branchCodes: ['MNLA01', 'QZN01'],
      trigger: 'manual',
      triggeredBy: adminId,
    });
    const [log] = await sqlRows(t.client, "SELECT user_id, resource_type, resource_id, details FROM activity_logs WHERE action = 'sync.requested'");
    expect(log).toMatchObject({ user_id: adminId, resource_type: 'sync_job', resource_id: String(sync.id) });
    expect(JSON.parse(String(log.details))).toEqual({ mode: 'full', dryRun: true, branchCodes: ['MNLA01', 'QZN01'], jobId: sync.job_queue_id });
  });

  it('an incremental sync of every branch carries no branch filter; the page then shows it as the current sync', async () => {
    expect((await trigger({ mode: 'incremental' })).status).toBe(302);
    const [job] = await sqlRows(t.client, 'SELECT payload FROM job_queue');
    expect(JSON.parse(String(job.payload))).not.toHaveProperty('branchCodes');
    expect(JSON.parse(String(job.payload))).toMatchObject({ mode: 'incremental', dryRun: false });
    const page = await callRoute(loader, ctx, await signedInRequest(ctx, ADMIN, '/admin/sync'));
    expect(page.status).toBe(200);
    expect(page.data.current).toMatchObject({ status: 'pending', active: true, mode: 'incremental', percent: null });
    expect(page.data.history.rows).toHaveLength(1);
  });

  it('is all or nothing: when the job cannot be enqueued, no sync_jobs row and no log stay behind', async () => {
    // A real SQLite trigger refuses the job insert inside the same transaction.
    await t.client.execute(
      "CREATE TRIGGER refuse_sync_job BEFORE INSERT ON job_queue WHEN NEW.queue = 'sync' BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
    );
    const failure = await trigger({ mode: 'full' }).then(
      () => null,
      (error: Error) => error,
    );
    expect(String((failure?.cause as Error | undefined)?.message ?? failure)).toMatch(/refused by test/);
    expect(await state()).toEqual({ syncJobs: [], jobs: [], requested: 0 });
  });

  it('refuses a second sync while one is waiting, and again while it runs, writing nothing; once done a new one starts', async () => {
    expect((await trigger({ mode: 'full' })).status).toBe(302);
    const before = await state();
    const second = await trigger({ mode: 'incremental' });
    expect(second.status).toBe(409);
    expect(second.data.formError).toMatch(/already waiting or running/);
    expect(second.data.values).toEqual({ mode: 'incremental' }); // the input as submitted
    expect(second.data.current).toEqual({ activeSyncJobId: expect.any(Number) }); // the sync in the way
    expect(await state()).toEqual(before);

    await t.client.execute("UPDATE sync_jobs SET status = 'running'");
    ctx.clock.advance(20 * 60_000); // past the sync limit's sliding window
    expect((await trigger({ mode: 'incremental' })).status).toBe(409);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM sync_jobs')).toBe(1);

    await t.client.execute("UPDATE sync_jobs SET status = 'done'");
    expect((await trigger({ mode: 'incremental' })).status).toBe(302);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM sync_jobs')).toBe(2);
  });

  it.each([
    [{ mode: 'sideways' }, 'mode'],
    [{}, 'mode'],
    [{ mode: 'full', branchCodes: 'NOPE01' }, 'branchCodes'],
    [{ mode: 'full', branchCodes: 'MNLA01, <script>' }, 'branchCodes'],
    [{ mode: 'full', branchCodes: Array.from({ length: 201 }, (_, i) => `B${i}`).join(',') }, 'branchCodes'],
  ])('%j → 400 with an error on %s, nothing written', async (fields, field) => {
    const before = await state();
    const answer = await trigger(fields as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.data.fieldErrors)).toEqual([field]);
    expect(await state()).toEqual(before);
  });

  it('names the unknown branch codes and keeps the input', async () => {
    const answer = await trigger({ mode: 'full', dryRun: 'on', branchCodes: 'MNLA01, NOPE01' });
    expect(answer.data.fieldErrors.branchCodes).toBe('No branch NOPE01 that you can sync.');
    expect(answer.data.values).toEqual({ mode: 'full', dryRun: 'on', branchCodes: 'MNLA01, NOPE01' });
  });

  it('refuses a branch outside the scope with the same message as an unknown one (core, scope of one company)', async () => {
    // The screen asks for every company (decision 065); the core still checks each code against the scope it is given.
    const userId = await createTestUser(t.client, { email: 'sync.fcash@test.test', grants: [['sync:execute', 'FCASH', 'all']] });
    const scope = scopeFor(await loadAccess(ctx, userId), 'sync:execute')!;
    const before = await state();
    const pcni = await requestSync(ctx, { userId, scope }, { mode: 'full', branchCodes: 'MNLA03' }); // a PCNI branch
    const unknown = await requestSync(ctx, { userId, scope }, { mode: 'full', branchCodes: 'ZZZZ99' });
    expect(pcni).toEqual({ ok: false, code: 'INVALID', fieldErrors: { branchCodes: 'No branch MNLA03 that you can sync.' } });
    expect(unknown).toEqual({ ok: false, code: 'INVALID', fieldErrors: { branchCodes: 'No branch ZZZZ99 that you can sync.' } });
    expect(await state()).toEqual(before);
    expect(await requestSync(ctx, { userId, scope }, { mode: 'full', branchCodes: 'MNLA01' })).toMatchObject({ ok: true });
  });

  it('allows 2 triggers per 10 minutes per user: the third is 429 with Retry-After and writes nothing', async () => {
    expect((await trigger({ mode: 'sideways' })).status).toBe(400); // bad input still spends the limit
    expect((await trigger({ mode: 'full' })).status).toBe(302);
    await t.client.execute("UPDATE sync_jobs SET status = 'done'");
    const before = await state();
    const third = await trigger({ mode: 'full' });
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await state()).toEqual(before);
    ctx.clock.advance(20 * 60_000);
    expect((await trigger({ mode: 'full' })).status).toBe(302);
  });

  it('is refused (403) to a one-company admin and to the viewer; the viewer cannot open the screen either', async () => {
    await createTestUser(t.client, {
      email: 'sync.fcash@test.test',
      password: 'x',
      grants: [
        ['sync:read', 'FCASH', 'all'],
        ['sync:execute', 'FCASH', 'all'],
      ],
    });
    const before = await state();
    expect((await trigger({ mode: 'full' }, 'sync.fcash@test.test')).status).toBe(403);
    expect((await trigger({ mode: 'full' }, 'viewer@demo.test')).status).toBe(403);
    expect((await callRoute(loader, ctx, await signedInRequest(ctx, 'viewer@demo.test', '/admin/sync'))).status).toBe(403);
    expect(await state()).toEqual(before);
  });
});

describe('progress and reports', () => {
  async function startedSync(): Promise<{ id: string; jobId: number }> {
    await trigger({ mode: 'full' });
    const [row] = await sqlRows(t.client, 'SELECT id, job_queue_id FROM sync_jobs');
    return { id: String(row.id), jobId: Number(row.job_queue_id) };
  }

  it('serves the progress the service writes as JSON (no-store): pending, then rows of a total, then done', async () => {
    const { id, jobId } = await startedSync();
    const waiting = await progressOf(id);
    expect(waiting.status).toBe(200);
    expect(waiting.headers.get('cache-control')).toBe('no-store');
    expect(waiting.data).toMatchObject({ id: Number(id), status: 'pending', active: true, done: null, total: null, percent: null, jobStatus: 'pending' });

    // What the service writes as it goes (service/snowflake): counters on sync_jobs, progress on the job.
    await t.client.execute({
      sql: "UPDATE job_queue SET status = 'running', progress = ? WHERE id = ?",
      args: [JSON.stringify({ done: 250, total: 1000, message: 'reading rows' }), jobId],
    });
    await t.client.execute({ sql: "UPDATE sync_jobs SET status = 'running', rows_read = 250, rows_updated = 12, rows_rejected = 3 WHERE id = ?", args: [id] });
    const running = await progressOf(id);
    expect(running.data).toMatchObject({
      status: 'running',
      active: true,
      done: 250,
      total: 1000,
      percent: 25,
      message: 'reading rows',
      counts: { read: 250, inserted: 0, updated: 12, unchanged: 0, rejected: 3, deactivated: 0 },
    });

    await t.client.execute({
      sql: "UPDATE job_queue SET status = 'done', progress = ? WHERE id = ?",
      args: [JSON.stringify({ done: 1000, total: 1000 }), jobId],
    });
    await t.client.execute({ sql: "UPDATE sync_jobs SET status = 'done', rows_read = 1000 WHERE id = ?", args: [id] });
    expect((await progressOf(id)).data).toMatchObject({ status: 'done', active: false, percent: 100, counts: { read: 1000 } });
  });

  it('a sync left running by a crashed run whose job is dead shows as failed and does not block a new sync', async () => {
    const { id, jobId } = await startedSync();
    await t.client.execute({ sql: "UPDATE sync_jobs SET status = 'running' WHERE id = ?", args: [id] });
    await t.client.execute({ sql: "UPDATE job_queue SET status = 'dead', last_error = 'attempt 3 of 3 lost: lease expired' WHERE id = ?", args: [jobId] });
    expect((await progressOf(id)).data).toMatchObject({ status: 'failed', active: false, error: 'attempt 3 of 3 lost: lease expired' });
    expect((await trigger({ mode: 'incremental' })).status).toBe(302);
  });

  it('shows a failed sync with its error, and an odd progress value as unknown rather than an error', async () => {
    const { id, jobId } = await startedSync();
    await t.client.execute({
      sql: "UPDATE job_queue SET status = 'dead', last_error = 'Snowflake login failed', progress = ? WHERE id = ?",
      args: ['{"done":"lots","total":-1}', jobId],
    });
    await t.client.execute({ sql: "UPDATE sync_jobs SET status = 'failed' WHERE id = ?", args: [id] });
    expect((await progressOf(id)).data).toMatchObject({
      status: 'failed',
      active: false,
      done: null,
      total: null,
      percent: null,
      error: 'Snowflake login failed',
      jobStatus: 'dead',
    });
  });

  it('answers 404 for an unknown or malformed id and 403 without the permission', async () => {
    const { id } = await startedSync();
    expect((await progressOf('987654321')).status).toBe(404);
    expect((await progressOf('abc')).status).toBe(404);
    expect((await progressOf(id, 'viewer@demo.test')).status).toBe(403);
  });

  it('the detail page pages through the rejected rows and the changes of the report', async () => {
    const { id } = await startedSync();
    const rejected = Array.from({ length: 150 }, (_, i) => ({ clientCode: `C${i}`, reason: 'unknown BRANCH_CODE', value: 'XX99' }));
    const changes = [{ clientCode: 'C1', field: 'branch', from: 'MNLA01', to: 'QZN01' }];
    await t.client.execute({
      sql: "UPDATE sync_jobs SET status = 'done', rows_rejected = 150, report = ? WHERE id = ?",
      args: [JSON.stringify({ rejected, changes }), id],
    });
    const page = (n: number) => signedInRequest(ctx, ADMIN, `/admin/sync/${id}?rejectedPage=${n}`).then((r) => callRoute(detailLoader, ctx, r, { id }));
    const first = await page(1);
    expect(first.status).toBe(200);
    expect(first.data.rejected).toMatchObject({ total: 150, page: 1, pages: 2 });
    expect(first.data.rejected.items).toHaveLength(100);
    expect(first.data.rejected.items[0]).toEqual(rejected[0]);
    expect(first.data.changes).toEqual({ items: changes, total: 1, page: 1, pages: 1 });
    const second = await page(2);
    expect(second.data.rejected.items.map((r: { clientCode: string }) => r.clientCode)).toEqual(rejected.slice(100).map((r) => r.clientCode));
    expect((await page(99)).data.rejected.page).toBe(2); // clamped
    const history = await callRoute(loader, ctx, await signedInRequest(ctx, ADMIN, '/admin/sync'));
    expect(history.data.history.rows[0]).toMatchObject({ id: Number(id), status: 'done', rowsRejected: 150 });
    expect(history.data.current).toBeNull();
    const unknown = await callRoute(detailLoader, ctx, await signedInRequest(ctx, ADMIN, '/admin/sync/987654321'), { id: '987654321' });
    expect(unknown.status).toBe(404);
  });
});
