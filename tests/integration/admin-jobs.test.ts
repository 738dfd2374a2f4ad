// The Jobs screen (/admin/jobs): the queue by status and queue with paging; Retry (failed/dead →
// pending, attempts reset, due now) and Cancel (pending/failed/running → cancelled) change exactly
// that job (and the sync or schedule run it carries); scheduled jobs with next run and last run;
// enable/disable (audited); "run now" = a manual run row + its job in one transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '../../app/routes/admin.jobs/route';
import { callRoute, formInit, signedInRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { flashMessage, redirectOf } from '../support/flash';

const ADMIN = 'admin@demo.test';
let t: TestDb;
let ctx: TestAppContext;
let now: number;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  now = ctx.clock.now().getTime();
});
afterEach(() => t.close());

interface JobSpec {
  queue?: string;
  status: string;
  attempts?: number;
  lastError?: string;
  payload?: unknown;
  lease?: boolean;
}
async function addJob(spec: JobSpec): Promise<number> {
  const r = await t.client.execute({
    sql: `INSERT INTO job_queue (queue, payload, status, attempts, max_attempts, priority, scheduled_at, last_error, lease_owner, lease_expires_at, started_at, finished_at, created_at)
          VALUES (?, ?, ?, ?, 5, 2, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [
      spec.queue ?? 'cleanup',
      JSON.stringify(spec.payload ?? {}),
      spec.status,
      spec.attempts ?? 0,
      now - 3_600_000,
      spec.lastError ?? null,
      spec.lease ? 'worker-a' : null,
      spec.lease ? now + 60_000 : null,
      spec.status === 'pending' ? null : now - 60_000,
      ['dead', 'done'].includes(spec.status) ? now - 30_000 : null,
      now - 7_200_000,
    ],
  });
  return Number(r.rows[0].id);
}
const jobRow = async (id: number) => (await sqlRows(t.client, 'SELECT * FROM job_queue WHERE id = ?', [id]))[0];
const scheduleId = async (code: string) => Number((await sqlRows(t.client, 'SELECT id FROM scheduled_jobs WHERE code = ?', [code]))[0].id);
const post = async (fields: Record<string, string>, email = ADMIN) =>
  callRoute(action, ctx, await signedInRequest(ctx, email, '/admin/jobs', formInit(fields)));
const page = async (query = '', email = ADMIN) => callRoute(loader, ctx, await signedInRequest(ctx, email, `/admin/jobs${query}`));
const logs = (action: string) =>
  sqlRows(t.client, 'SELECT user_id, resource_type, resource_id, details FROM activity_logs WHERE action = ? ORDER BY id', [action]);

describe('the queue', () => {
  it('lists jobs by status and queue with counts per status, dead jobs with their last error, and pages', async () => {
    const dead = await addJob({
      status: 'dead',
      attempts: 5,
      lastError: 'NextBank 503 after 5 attempts',
      queue: 'nextbank',
      payload: { command: 'UpdateCustomer', clientId: 7 },
    });
    for (let i = 0; i < 3; i++) await addJob({ status: 'pending' });
    await addJob({ status: 'done', queue: 'nextbank' });
    const deadList = await page('?status=dead');
    expect(deadList.status).toBe(200);
    expect(deadList.data.jobs.rows).toEqual([
      expect.objectContaining({
        id: dead,
        queue: 'nextbank',
        status: 'dead',
        attempts: 5,
        lastError: 'NextBank 503 after 5 attempts',
        canRetry: true,
        canCancel: false,
        summary: 'command=UpdateCustomer clientId=7',
      }),
    ]);
    expect(deadList.data.jobs.counts).toMatchObject({ pending: 3, dead: 1, done: 1, running: 0 });
    const nextbank = await page('?queue=nextbank');
    expect(nextbank.data.jobs.rows.map((r: { id: number }) => r.id).sort()).toHaveLength(2);
    expect(nextbank.data.jobs.counts).toMatchObject({ pending: 0, dead: 1, done: 1 });
    const paged = await page('?pageSize=2&page=2');
    expect(paged.data.jobs).toMatchObject({ total: 5, page: 2, pages: 3 });
    expect(paged.data.jobs.rows).toHaveLength(2);
  });

  it("a page past the end shows the last page; the total is the filtered status's count", async () => {
    for (let i = 0; i < 3; i++) await addJob({ status: 'failed', queue: 'nextbank' });
    await addJob({ status: 'pending', queue: 'nextbank' });
    await addJob({ status: 'failed' }); // another queue: in no nextbank count
    const past = await page('?queue=nextbank&status=failed&pageSize=2&page=9');
    expect(past.status).toBe(200);
    expect(past.data.jobs).toMatchObject({ total: 3, page: 2, pages: 2 });
    expect(past.data.jobs.rows).toHaveLength(1);
    expect(past.data.jobs.rows[0]).toMatchObject({ queue: 'nextbank', status: 'failed' });
    const all = await page('?queue=nextbank');
    expect(all.data.jobs).toMatchObject({ total: 4, page: 1, pages: 1 });
    expect(all.data.jobs.counts).toMatchObject({ failed: 3, pending: 1 });
  });

  it.each(['?status=exploded', '?queue=email'])('%s → 400 naming the filter, the schedules still shown', async (query) => {
    const answer = await page(query);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toMatch(/There is no (job status|queue) like that/);
    expect(answer.data.jobs).toBeNull();
    expect(answer.data.schedules.length).toBeGreaterThan(0);
  });

  it('retry puts a dead job back to pending, attempts 0, due now, lease cleared; nothing else changes', async () => {
    const dead = await addJob({ status: 'dead', attempts: 5, lastError: 'boom' });
    const other = await addJob({ status: 'dead', attempts: 5, lastError: 'other' });
    const before = await jobRow(dead);
    const untouched = await jobRow(other);
    const answer = await post({ intent: 'retry', jobId: String(dead) });
    expect(redirectOf(answer)).toEqual({ status: 302, location: '/admin/jobs', flash: `Job ${dead} is now pending.` });
    expect(await jobRow(dead)).toEqual({
      ...before,
      status: 'pending',
      attempts: 0,
      scheduled_at: now,
      lease_owner: null,
      lease_expires_at: null,
      started_at: null,
      finished_at: null,
    });
    expect(await jobRow(other)).toEqual(untouched);
    const [log] = await logs('job.retried');
    expect(log).toMatchObject({ user_id: await userIdByEmail(t.db, ADMIN), resource_type: 'job', resource_id: String(dead) });
    expect(JSON.parse(String(log.details))).toEqual({ queue: 'cleanup', from: 'dead', attemptsBefore: 5 });
  });

  it.each(['pending', 'running', 'done', 'cancelled'])('retry of a %s job → 409, unchanged', async (status) => {
    const id = await addJob({ status, lease: status === 'running' });
    const before = await snapshot(t.client, 'job_queue');
    const answer = await post({ intent: 'retry', jobId: String(id) });
    expect(answer.status).toBe(409);
    expect(answer.data.formError).toBe(`Job ${id} is ${status}: only failed or dead jobs can be retried.`);
    expect(await snapshot(t.client, 'job_queue')).toEqual(before);
    expect(await logs('job.retried')).toEqual([]);
  });

  it('cancel: a pending job is cancelled; a running one too, keeping its lease so the worker sees it at the next heartbeat', async () => {
    const pending = await addJob({ status: 'pending' });
    const running = await addJob({ status: 'running', lease: true, attempts: 1 });
    const runningBefore = await jobRow(running);
    expect((await post({ intent: 'cancel', jobId: String(pending) })).status).toBe(302);
    expect(await jobRow(pending)).toMatchObject({ status: 'cancelled', finished_at: now, last_error: 'Cancelled by an admin' });
    expect((await post({ intent: 'cancel', jobId: String(running) })).status).toBe(302);
    expect(await jobRow(running)).toEqual({ ...runningBefore, status: 'cancelled', finished_at: now, last_error: 'Cancelled by an admin' });
    expect((await logs('job.cancelled')).map((l) => l.resource_id)).toEqual([String(pending), String(running)]);
  });

  it.each(['done', 'dead', 'cancelled'])('cancel of a %s job → 409, unchanged', async (status) => {
    const id = await addJob({ status });
    const before = await snapshot(t.client, 'job_queue');
    expect((await post({ intent: 'cancel', jobId: String(id) })).status).toBe(409);
    expect(await snapshot(t.client, 'job_queue')).toEqual(before);
  });

  it('cancelling a sync job cancels its sync; retrying it puts the sync back, unless another sync is active', async () => {
    const sync = Number(
      (
        await sqlRows(
          t.client,
          `INSERT INTO sync_jobs (mode, status, "trigger", source_view, created_at) VALUES ('full', 'pending', 'manual', 'V', ?) RETURNING id`,
          [now],
        )
      )[0].id,
    );
    const job = await addJob({ queue: 'sync', status: 'pending', payload: { syncJobId: sync, mode: 'full' } });
    await t.client.execute({ sql: 'UPDATE sync_jobs SET job_queue_id = ? WHERE id = ?', args: [job, sync] });
    expect((await post({ intent: 'cancel', jobId: String(job) })).status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT status, error FROM sync_jobs'))[0]).toEqual({ status: 'cancelled', error: 'Cancelled by an admin' });

    await t.client.execute({ sql: "UPDATE job_queue SET status = 'dead' WHERE id = ?", args: [job] });
    const otherJob = await addJob({ queue: 'sync', status: 'running', lease: true });
    const other = await t.client.execute({
      sql: `INSERT INTO sync_jobs (mode, status, "trigger", source_view, job_queue_id, created_at) VALUES ('incremental', 'running', 'schedule', 'V', ?, ?) RETURNING id`,
      args: [otherJob, now],
    });
    const refused = await post({ intent: 'retry', jobId: String(job) });
    expect(refused.status).toBe(409);
    expect(refused.data.formError).toMatch(/already waiting or running/);
    expect((await jobRow(job)).status).toBe('dead');

    await t.client.execute({ sql: "UPDATE sync_jobs SET status = 'done' WHERE id = ?", args: [Number(other.rows[0].id)] });
    expect((await post({ intent: 'retry', jobId: String(job) })).status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT status, error FROM sync_jobs WHERE id = ?', [sync]))[0]).toEqual({ status: 'pending', error: null });
  });

  it('retrying a sync job spends the sync limit (2 per 10 min): the third retry is 429 and changes nothing', async () => {
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await addJob({ queue: 'sync', status: 'dead', attempts: 5, lastError: 'Snowflake timeout' }));
    expect((await post({ intent: 'retry', jobId: String(jobs[0]) })).status).toBe(302);
    await t.client.execute({ sql: "UPDATE job_queue SET status = 'dead' WHERE id = ?", args: [jobs[0]] }); // that retry failed again
    expect((await post({ intent: 'retry', jobId: String(jobs[1]) })).status).toBe(302);
    await t.client.execute({ sql: "UPDATE job_queue SET status = 'dead' WHERE id = ?", args: [jobs[1]] });
    const before = await jobRow(jobs[2]);
    const limited = await post({ intent: 'retry', jobId: String(jobs[2]) });
    expect(limited.status).toBe(429);
    expect(await jobRow(jobs[2])).toEqual(before);
    // Other queues are not sync: their retries spend only the write limit.
    const cleanup = await addJob({ status: 'dead', attempts: 5 });
    expect((await post({ intent: 'retry', jobId: String(cleanup) })).status).toBe(302);
  });

  it('retrying a dead scheduled sync (its sync row found by job id) puts that row back to pending', async () => {
    const job = await addJob({ queue: 'sync', status: 'dead', attempts: 5, payload: { mode: 'incremental', trigger: 'schedule' } });
    const sync = Number(
      (
        await sqlRows(
          t.client,
          `INSERT INTO sync_jobs (mode, status, "trigger", source_view, job_queue_id, error, created_at) VALUES ('incremental', 'failed', 'schedule', 'V', ?, 'login failed', ?) RETURNING id`,
          [job, now],
        )
      )[0].id,
    );
    expect((await post({ intent: 'retry', jobId: String(job) })).status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT status, error FROM sync_jobs WHERE id = ?', [sync]))[0]).toEqual({ status: 'pending', error: null });
  });

  it.each([
    [{ intent: 'retry', jobId: '987654321' }, 404],
    [{ intent: 'cancel', jobId: '987654321' }, 404],
    [{ intent: 'retry', jobId: 'abc' }, 400],
    [{ intent: 'retry' }, 400],
    [{ intent: 'explode', jobId: '1' }, 400],
    [{ intent: 'enable', scheduleId: '987654321' }, 404],
    [{ intent: 'run-now', scheduleId: '987654321' }, 404],
  ])('%j → %i, nothing written', async (fields, status) => {
    const before = { jobs: await snapshot(t.client, 'job_queue'), logs: await sqlCount(t.client, 'SELECT count(*) FROM activity_logs') };
    expect((await post(fields as Record<string, string>)).status).toBe(status);
    expect(await snapshot(t.client, 'job_queue')).toEqual(before.jobs);
    // The sign-in of the request writes nothing to activity_logs; only a 403 would.
    expect(await sqlCount(t.client, 'SELECT count(*) FROM activity_logs')).toBe(before.logs);
  });
});

describe('scheduled jobs', () => {
  it('lists every schedule with cron, next run in Manila time, and the last run with result, error and duration', async () => {
    const id = await scheduleId('retention_cleanup');
    const job = await addJob({ status: 'dead', lastError: 'disk full' });
    await t.client.execute({
      sql: `INSERT INTO scheduled_job_runs (scheduled_job_id, job_queue_id, "trigger", status, error, created_at, started_at, finished_at)
            VALUES (?, ?, 'schedule', 'dead', 'disk full', ?, ?, ?)`,
      args: [id, job, now - 100_000, now - 90_000, now - 87_500],
    });
    const answer = await page();
    const cleanup = answer.data.schedules.find((s: { code: string }) => s.code === 'retention_cleanup');
    expect(cleanup).toMatchObject({ cron: '30 2 * * *', timezone: 'Asia/Manila', isEnabled: true, queue: 'cleanup' });
    // 2026-11-15 10:00 in Manila now: the next 02:30 Manila is 2026-11-15T18:30Z.
    expect(cleanup.nextRunAt).toBe('2026-11-15T18:30:00.000Z');
    expect(cleanup.lastRun).toMatchObject({ status: 'dead', error: 'disk full', durationMs: 2500, trigger: 'schedule' });
    const sync = answer.data.schedules.find((s: { code: string }) => s.code === 'snowflake_daily_sync');
    expect(sync.nextRunAt).toBe('2026-11-15T22:00:00.000Z');
    expect(sync.lastRun).toBeNull();
    expect(answer.data.canAct).toBe(true);
  });

  it("a schedule shows its 5 newest runs, newest first, and none of another schedule's", async () => {
    const cleanup = await scheduleId('retention_cleanup');
    const sync = await scheduleId('snowflake_daily_sync');
    for (let i = 0; i < 7; i++) {
      await t.client.execute({
        sql: `INSERT INTO scheduled_job_runs (scheduled_job_id, "trigger", status, created_at) VALUES (?, 'schedule', 'done', ?)`,
        args: [i === 6 ? sync : cleanup, now - 100_000 + i * 1000],
      });
    }
    const answer = await page();
    const runsOf = (code: string) =>
      answer.data.schedules.find((s: { code: string }) => s.code === code).recentRuns.map((r: { createdAt: string }) => Date.parse(r.createdAt) - now);
    expect(runsOf('retention_cleanup')).toEqual([-95_000, -96_000, -97_000, -98_000, -99_000]);
    expect(runsOf('snowflake_daily_sync')).toEqual([-94_000]);
  });

  it('disable and enable change only is_enabled (and the next run), audited and logged', async () => {
    const id = await scheduleId('snowflake_daily_sync');
    const before = (await sqlRows(t.client, 'SELECT * FROM scheduled_jobs WHERE id = ?', [id]))[0];
    expect(flashMessage(await post({ intent: 'disable', scheduleId: String(id) }))).toBe('Snowflake incremental sync disabled.');
    expect((await sqlRows(t.client, 'SELECT * FROM scheduled_jobs WHERE id = ?', [id]))[0]).toEqual({ ...before, is_enabled: 0, updated_at: now });
    const listed = (await page()).data.schedules.find((s: { id: number }) => s.id === id);
    expect(listed).toMatchObject({ isEnabled: false, nextRunAt: null });

    expect((await post({ intent: 'enable', scheduleId: String(id) })).status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT * FROM scheduled_jobs WHERE id = ?', [id]))[0]).toEqual({
      ...before,
      is_enabled: 1,
      next_run_at: Date.parse('2026-11-15T22:00:00.000Z'),
      updated_at: now,
    });
    const audit = await sqlRows(t.client, 'SELECT table_name, record_id, action, old_values, new_values FROM config_audit_log ORDER BY id');
    expect(
      audit.map((a) => [a.table_name, a.record_id, a.action, JSON.parse(String(a.old_values)).isEnabled, JSON.parse(String(a.new_values)).isEnabled]),
    ).toEqual([
      ['scheduled_jobs', id, 'update', true, false],
      ['scheduled_jobs', id, 'update', false, true],
    ]);
    expect((await logs('schedule.disabled')).length).toBe(1);
    expect((await logs('schedule.enabled')).length).toBe(1);
    // Enabling an enabled schedule writes nothing more.
    expect(flashMessage(await post({ intent: 'enable', scheduleId: String(id) }))).toMatch(/already enabled/);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM config_audit_log')).toBe(2);
  });

  it('run now: a manual run row and its job with the schedule payload, linked; refused while that run is still going', async () => {
    const id = await scheduleId('period_init_monthly');
    const adminId = await userIdByEmail(t.db, ADMIN);
    const answer = await post({ intent: 'run-now', scheduleId: String(id) });
    expect(answer.status).toBe(302);
    const [run] = await sqlRows(t.client, 'SELECT * FROM scheduled_job_runs');
    expect(run).toMatchObject({ scheduled_job_id: id, trigger: 'manual', triggered_by: adminId, status: 'pending', created_at: now });
    const [job] = await sqlRows(t.client, 'SELECT * FROM job_queue');
    expect(job).toMatchObject({ id: run.job_queue_id, queue: 'period_init', status: 'pending', scheduled_at: now, idempotency_key: `schedule-run:${run.id}` });
    expect(JSON.parse(String(job.payload))).toEqual({ periodType: 'monthly' });
    expect(flashMessage(answer)).toBe(`Start monthly periods queued to run now (job ${job.id}).`);
    expect(JSON.parse(String((await logs('schedule.run_now'))[0].details))).toEqual({
      code: 'period_init_monthly',
      runId: run.id,
      jobId: job.id,
      queue: 'period_init',
    });

    const again = await post({ intent: 'run-now', scheduleId: String(id) });
    expect(again.status).toBe(409);
    expect(again.data.formError).toMatch(/already waiting or running/);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM scheduled_job_runs')).toBe(1);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM job_queue')).toBe(1);

    await t.client.execute("UPDATE job_queue SET status = 'done'");
    expect((await post({ intent: 'run-now', scheduleId: String(id) })).status).toBe(302);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM scheduled_job_runs')).toBe(2);
  });

  it('run now of the sync schedule creates a sync like a trigger, refuses while a sync is active, and spends the sync limit', async () => {
    const id = String(await scheduleId('snowflake_daily_sync'));
    expect((await post({ intent: 'run-now', scheduleId: id })).status).toBe(302);
    const [sync] = await sqlRows(t.client, 'SELECT * FROM sync_jobs');
    const [job] = await sqlRows(t.client, 'SELECT * FROM job_queue');
    expect(sync).toMatchObject({ mode: 'incremental', status: 'pending', trigger: 'manual', job_queue_id: job.id });
    expect(JSON.parse(String(job.payload))).toMatchObject({ syncJobId: sync.id, mode: 'incremental', trigger: 'manual' });
    // That run is over; a triggered sync is running meanwhile.
    await t.client.execute("UPDATE job_queue SET status = 'done'");
    await t.client.execute("UPDATE sync_jobs SET status = 'done'");
    const otherJob = await addJob({ queue: 'sync', status: 'running', lease: true });
    await t.client.execute({
      sql: `INSERT INTO sync_jobs (mode, status, "trigger", source_view, job_queue_id, created_at) VALUES ('full', 'running', 'manual', 'V', ?, ?)`,
      args: [otherJob, now],
    });
    const refused = await post({ intent: 'run-now', scheduleId: id });
    expect(refused.status).toBe(409);
    expect(refused.data.formError).toMatch(/A sync is already waiting or running/);
    await t.client.execute("UPDATE job_queue SET status = 'done'");
    const limited = await post({ intent: 'run-now', scheduleId: id });
    expect(limited.status).toBe(429);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM sync_jobs')).toBe(2);
  });
});

describe('permissions', () => {
  it('read-only holders see the screen without actions and get 403 on every action; the viewer cannot open it', async () => {
    await createTestUser(t.client, {
      email: 'jobs.reader@test.test',
      grants: [
        ['sync:read', 'FCASH', 'all'],
        ['sync:read', 'PCNI', 'all'],
      ],
    });
    const reader = await page('', 'jobs.reader@test.test');
    expect(reader.status).toBe(200);
    expect(reader.data.canAct).toBe(false);
    const dead = await addJob({ status: 'dead' });
    const before = await snapshot(t.client, 'job_queue');
    expect((await post({ intent: 'retry', jobId: String(dead) }, 'jobs.reader@test.test')).status).toBe(403);
    expect(await snapshot(t.client, 'job_queue')).toEqual(before);
    expect((await page('', 'viewer@demo.test')).status).toBe(403);
  });

  it('a one-company admin (sync:execute in FCASH only) is refused: the queue carries both companies', async () => {
    await createTestUser(t.client, {
      email: 'fcash.jobs@test.test',
      grants: [
        ['sync:read', 'FCASH', 'all'],
        ['sync:execute', 'FCASH', 'all'],
      ],
    });
    expect((await page('', 'fcash.jobs@test.test')).status).toBe(403);
    const id = await scheduleId('retention_cleanup');
    expect((await post({ intent: 'run-now', scheduleId: String(id) }, 'fcash.jobs@test.test')).status).toBe(403);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM scheduled_job_runs')).toBe(0);
  });
});
