// The "behind schedule" rule of the org screens (decision 076): the elapsed share of the current
// period in Manila time, weighted per cycle, against the done share, with a grace an admin can
// change through a setting; and that a status update moves the figures at once (no stale cache).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as areasLoader } from '../../app/routes/areas._index';
import { periodOf } from '../../app/core/status/periods';
import { elapsedShare, periodBounds, progressOf } from '../../app/core/org/schedule';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

describe('the schedule rule (pure)', () => {
  it('periods start and end at Manila midnight', () => {
    expect(periodBounds({ type: 'monthly', year: 2026, number: 11 })).toEqual({
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
    expect(periodBounds({ type: 'quarterly', year: 2026, number: 4 })).toEqual({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-12-31T16:00:00Z'),
    });
    expect(periodBounds({ type: 'monthly', year: 2026, number: 12 }).end).toEqual(new Date('2026-12-31T16:00:00Z'));
  });

  it.each([
    ['2026-10-31T16:00:00Z', 0], // 1 Nov 00:00 Manila
    ['2026-11-15T16:00:00Z', 0.5], // 16 Nov 00:00 Manila: 15 of 30 days
    ['2026-11-30T15:59:59Z', 0.99999961], // the last second of November in Manila
  ])('elapsed share of November at %s is %d', (at, share) => {
    const now = new Date(at);
    expect(elapsedShare(periodOf('monthly', now), now)).toBeCloseTo(share, 6);
  });

  it('weights the cycles by their clients and applies the grace in percentage points', () => {
    const elapsed = { monthly: 0.5, quarterly: 0.2 };
    // 100 monthly rows expected 50% done, 100 quarterly expected 20%: 35% expected overall.
    const even = progressOf(
      [
        { cycle: 'monthly', total: 100, done: 30 },
        { cycle: 'quarterly', total: 100, done: 0 },
      ],
      elapsed,
      10,
    );
    expect(even).toEqual({ total: 200, done: 30, donePct: 15, expectedPct: 35, behind: true });
    expect(progressOf([{ cycle: 'monthly', total: 100, done: 40 }], elapsed, 10).behind).toBe(false); // 40 ≥ 50 − 10
    expect(progressOf([{ cycle: 'monthly', total: 100, done: 39 }], elapsed, 10).behind).toBe(true);
    expect(progressOf([], elapsed, 10)).toEqual({ total: 0, done: 0, donePct: 0, expectedPct: 0, behind: false });
  });
});

describe('on the areas list', () => {
  let t: TestDb;
  let ctx: TestAppContext;
  beforeEach(async () => {
    t = await createTestDb();
    ctx = testContext({ db: t.db });
  });
  afterEach(() => t.close());

  const areas = async () => {
    const { cookie } = await startTestSession(ctx, 'admin@demo.test');
    const answer = await callRoute(areasLoader, ctx, requestWithCookie(cookie, '/areas'));
    return answer.data.list.companies.flatMap((c: { areas: Array<{ code: string; progress: { behind: boolean; done: number } }> }) => c.areas);
  };

  it('an admin-set grace changes who is behind (setting behind_schedule_grace_points)', async () => {
    await t.client.execute(`INSERT INTO config_settings (key, value, value_type) VALUES ('behind_schedule_grace_points', '-100', 'number')`);
    const strict = await areas();
    expect(strict.every((a: { progress: { behind: boolean } }) => a.progress.behind)).toBe(true);
    await t.client.execute(`UPDATE config_settings SET value = '100' WHERE key = 'behind_schedule_grace_points'`);
    await ctx.cache.delete('settings:global');
    expect((await areas()).some((a: { progress: { behind: boolean } }) => a.progress.behind)).toBe(false);
  });

  it('a row moved to DONE shows in the figures on the next view', async () => {
    const ncrBefore = (await areas()).find((a: { code: string }) => a.code === 'NCR')!;
    await t.client.execute(`UPDATE client_period_status SET status_type_id = (SELECT id FROM status_types WHERE code = 'DONE')
      WHERE id = (SELECT s.id FROM client_period_status s JOIN branches b ON b.id = s.branch_id JOIN status_types st ON st.id = s.status_type_id
                  WHERE b.code = 'MNLA01' AND s.period_key = '2026-11' AND st.code <> 'DONE' LIMIT 1)`);
    const ncrAfter = (await areas()).find((a: { code: string }) => a.code === 'NCR')!;
    expect(ncrAfter.progress.done).toBe(ncrBefore.progress.done + 1);
    const [check] = await sqlRows(t.client, 'SELECT count(*) AS n FROM config_audit_log');
    expect(Number(check.n)).toBe(0); // reading writes nothing
  });
});
