// Maker-checker requests past their expiry are closed by the hourly approval_expiry schedule
// (decision 101, addendum session 6): the seeded schedule fires through the real Scheduler, the
// worker runs the cleanup handler with only=change_requests on a real database. A request past its
// days is expired (decided now, an approval.expired row naming maker and target), one still in its
// days stays pending, a second run changes nothing, and one run closes at most its bound.
import { and, eq, ne } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestGrantChange } from '../../app/core/approvals/grant-requests.server';
import { activityLogs, changeRequests, companies, scheduledJobs } from '../../db/schema';
import { expireChangeRequests } from '../../service/maintenance/approval-expiry';
import { createCleanupHandler } from '../../service/maintenance/retention-cleanup';
import { Scheduler } from '../../service/scheduler/scheduler';
import { testClock, testContext, userIdByEmail, type TestAppContext, type TestClock } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { collectingLogger, jobRow, testWorker } from './fixtures/job-fixtures';

const DAY = 86_400_000;
let t: TestDb;
let clock: TestClock;
let ctx: TestAppContext;
let maker: number;
let fcash: number;

beforeEach(async () => {
  t = await createTestDb();
  clock = testClock('2026-11-15T02:00:00.000Z');
  ctx = testContext({ db: t.db, clock });
  maker = await userIdByEmail(t.db, 'admin@demo.test');
  fcash = (await t.db.select({ id: companies.id }).from(companies).where(eq(companies.code, 'FCASH')))[0].id;
});
afterEach(() => t.close());

/** A pending request made now (the real maker path): `who` gets clients:read company-wide in FCASH. */
async function ask(who: string): Promise<number> {
  const made = await requestGrantChange(ctx, maker, await userIdByEmail(t.db, who), fcash, { grants: { 'clients:read': 'all' } }, 'Covers for a colleague');
  if (!made.ok) throw new Error(made.message);
  return made.requestId;
}
const stateOf = async (id: number) => (await t.db.select().from(changeRequests).where(eq(changeRequests.id, id)))[0];
const expiredRows = () => t.db.select().from(activityLogs).where(eq(activityLogs.action, 'approval.expired'));

/** What the service does each pass: the scheduler fires due ticks, the worker runs the queued jobs. */
async function serviceAt(at: string) {
  clock.set(at);
  const scheduler = new Scheduler({ db: t.db, clock, logger: collectingLogger() });
  const fired = (await scheduler.pass()).fired;
  const worker = testWorker(t.db, clock, { cleanup: createCleanupHandler() });
  const outcomes: Array<{ id: number; outcome: string }> = [];
  for (let r = await worker.runOnce(); r; r = await worker.runOnce()) outcomes.push({ id: r.job.id, outcome: r.outcome });
  return { fired, outcomes };
}

describe('approval request expiry job', () => {
  it('closes the requests past their days as expired and leaves the others pending; a second run changes nothing', async () => {
    const old = await ask('viewer@demo.test'); // made at 02:00 on the 15th: expires 7 days later
    clock.advance(3 * DAY);
    const recent = await ask('tele.fcash@demo.test'); // made 3 days later: 4 days left then
    const [schedule] = await t.db.select().from(scheduledJobs).where(eq(scheduledJobs.code, 'approval_expiry'));
    expect(schedule).toMatchObject({ queue: 'cleanup', payload: { only: 'change_requests' }, isEnabled: true });
    // Only this schedule runs here (the others have their own tests).
    await t.db.update(scheduledJobs).set({ isEnabled: false }).where(ne(scheduledJobs.code, 'approval_expiry'));

    await serviceAt('2026-11-22T02:00:00.000Z'); // first pass fills next_run_at (02:50)
    expect((await stateOf(old)).state).toBe('pending');
    const run = await serviceAt('2026-11-22T02:50:00.000Z');
    expect(run.fired).toEqual(['approval_expiry']);
    expect(run.outcomes.map((o) => o.outcome)).toEqual(['done']);
    expect((await jobRow(t.db, run.outcomes[0].id)).progress?.message).toBe('expired 1 approval requests');

    expect(await stateOf(old)).toMatchObject({ state: 'expired', checkerId: null, decidedAt: new Date('2026-11-22T02:50:00.000Z') });
    expect(await stateOf(recent)).toMatchObject({ state: 'pending', decidedAt: null });
    const [logged] = await expiredRows();
    expect(logged).toMatchObject({ userId: null, resourceType: 'change_request', resourceId: String(old), companyId: fcash });
    expect(logged.details).toMatchObject({
      action: 'user.grants',
      targetId: await userIdByEmail(t.db, 'viewer@demo.test'),
      makerId: maker,
      madeAt: '2026-11-15T02:00:00.000Z',
    });

    // The next hour's run: nothing more to close, no second activity row.
    const again = await serviceAt('2026-11-22T03:50:00.000Z');
    expect(again.fired).toEqual(['approval_expiry']);
    expect((await jobRow(t.db, again.outcomes[0].id)).progress?.message).toBe('expired 0 approval requests');
    expect(await expiredRows()).toHaveLength(1);
    expect((await stateOf(recent)).state).toBe('pending');
  });

  it('an expired request can no longer be approved, and a new one may be asked for the same user', async () => {
    const old = await ask('viewer@demo.test');
    clock.advance(8 * DAY);
    expect((await expireChangeRequests(ctx)).expired).toBe(1);
    expect((await stateOf(old)).state).toBe('expired');
    const next = await ask('viewer@demo.test');
    expect((await stateOf(next)).state).toBe('pending');
  });

  it('closes at most its bound per run and says more are left; the next run takes the rest', async () => {
    const ids = [await ask('viewer@demo.test'), await ask('tele.fcash@demo.test'), await ask('branch.mnla01@demo.test')];
    clock.advance(8 * DAY);
    expect(await expireChangeRequests(ctx, { batch: 1, maxPerRun: 2 })).toEqual({ expired: 2, more: true });
    const states = async () =>
      (
        await t.db
          .select({ id: changeRequests.id, state: changeRequests.state })
          .from(changeRequests)
          .where(and(eq(changeRequests.makerId, maker)))
      ).map((r) => r.state);
    expect((await states()).sort()).toEqual(['expired', 'expired', 'pending']);
    expect(await expireChangeRequests(ctx, { batch: 1, maxPerRun: 2 })).toEqual({ expired: 1, more: false });
    expect(await states()).toEqual(ids.map(() => 'expired'));
    expect(await expiredRows()).toHaveLength(3);
  });
});
