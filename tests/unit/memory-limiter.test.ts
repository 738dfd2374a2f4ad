import { describe, expect, it } from 'vitest';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import { retryAfterSeconds } from '../../app/platform/rate-limit/limiter';
import { testClock } from '../support/app-context';

// 10 per 60 s; the clock starts exactly on a window boundary.
const start = '2026-11-15T02:00:00.000Z';
const setup = () => {
  const clock = testClock(start);
  return { clock, limiter: createMemoryLimiter(clock, 'read=10/60') };
};

async function hit(limiter: ReturnType<typeof createMemoryLimiter>, times: number, key = 'user:1') {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await limiter.limit('read', key));
  return results;
}

describe('in-process sliding-window limiter', () => {
  it('allows the maximum, then refuses', async () => {
    const { limiter } = setup();
    const results = await hit(limiter, 11);
    expect(results.slice(0, 10).every((r) => r.success)).toBe(true);
    expect(results.map((r) => r.remaining).slice(0, 10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(results[10]).toMatchObject({ success: false, limit: 10, remaining: 0 });
  });

  it('counts each key on its own', async () => {
    const { limiter } = setup();
    await hit(limiter, 10, 'user:1');
    expect((await limiter.limit('read', 'user:2')).success).toBe(true);
    expect((await limiter.limit('read', 'user:1')).success).toBe(false);
  });

  it('counts each policy on its own', async () => {
    const { limiter } = setup();
    await hit(limiter, 10);
    expect((await limiter.limit('write', 'user:1')).success).toBe(true);
  });

  it('says when to retry: the end of the current window, in whole seconds', async () => {
    const { clock, limiter } = setup();
    clock.advance(15_000);
    const refused = (await hit(limiter, 11))[10];
    expect(refused.resetAt).toBe(new Date('2026-11-15T02:01:00.000Z').getTime());
    expect(retryAfterSeconds(refused, clock.now().getTime())).toBe(45);
    clock.advance(44_500);
    expect(retryAfterSeconds(refused, clock.now().getTime())).toBe(1);
    clock.advance(10_000);
    expect(retryAfterSeconds(refused, clock.now().getTime())).toBe(1); // never 0 or negative
  });

  it('slides: the previous window still counts by how much of it overlaps', async () => {
    const { clock, limiter } = setup();
    await hit(limiter, 10);
    clock.advance(60_000 + 30_000); // halfway into the next window: 10 × 0.5 = 5 still count
    const results = await hit(limiter, 6);
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false]);
  });

  it('does not forgive a burst at the window edge at once (same rounding as Upstash)', async () => {
    const { clock, limiter } = setup();
    clock.advance(59_000);
    await hit(limiter, 10);
    clock.advance(2_000); // one second into the next window: floor(10 × 59/60) = 9 still count
    expect((await hit(limiter, 2)).map((r) => r.success)).toEqual([true, false]);
  });

  it('forgets everything after two full windows', async () => {
    const { clock, limiter } = setup();
    await hit(limiter, 10);
    clock.advance(120_000);
    expect((await hit(limiter, 10)).every((r) => r.success)).toBe(true);
  });
});
