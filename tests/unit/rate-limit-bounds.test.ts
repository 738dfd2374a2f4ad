import { describe, expect, it } from 'vitest';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import { limitBound, refillIntervalMs, resolvePolicies } from '../../app/platform/rate-limit/policies';
import { testClock } from '../support/app-context';
import { worstStretch, type Attempt } from '../support/limit-runs';

// Decision 080: what each policy promises, on the in-process limiter (the app's clock, so a run
// is made to cross a window boundary or a refill on purpose, every run).

const boundary = '2026-11-15T02:01:00.000Z'; // a multiple of every window used here

/** Requests every `everyMs` from `from` until one is refused after `until`, or `cap` requests. */
async function run(overrides: string, policy: 'read' | 'loginUser', from: string, everyMs: number, until: string, cap = 400) {
  const clock = testClock(from);
  const limiter = createMemoryLimiter(clock, overrides);
  const attempts: Attempt[] = [];
  const end = new Date(until).getTime();
  while (attempts.length < cap) {
    const at = clock.now().getTime();
    const r = await limiter.limit(policy, 'user:1');
    attempts.push({ sentAt: at, answeredAt: at, admitted: r.success });
    if (!r.success && at > end) break;
    clock.advance(everyMs);
  }
  return { attempts, policy: limiter.policies[policy] };
}

describe('the bound every policy keeps: max + ceil(span / (window / max))', () => {
  it('is the maximum itself for a run shorter than one share of the window', () => {
    const read = resolvePolicies().read; // 100 / 60 s: one share is 600 ms
    expect(refillIntervalMs(read)).toBe(600);
    expect(limitBound(read, 0)).toBe(100);
    expect(limitBound(read, 600)).toBe(101);
    expect(limitBound(read, 601)).toBe(102);
    expect(limitBound(read, 60_000)).toBe(200);
  });
});

describe('sliding window (read, write, public): one request of slack at a window boundary', () => {
  it('a burst that crosses the boundary on purpose is admitted at most max + 1', async () => {
    // 10 per 60 s; the burst starts 300 ms before the boundary, one request every 20 ms.
    const { attempts, policy } = await run('read=10/60', 'read', '2026-11-15T02:00:59.700Z', 20, '2026-11-15T02:01:00.300Z');
    const admitted = attempts.filter((a) => a.admitted).length;
    const span = attempts.at(-1)!.sentAt - attempts[0].sentAt;
    expect(attempts[0].sentAt).toBeLessThan(new Date(boundary).getTime());
    expect(attempts.at(-1)!.sentAt).toBeGreaterThan(new Date(boundary).getTime());
    expect(admitted).toBeLessThanOrEqual(limitBound(policy, span));
    expect(admitted).toBeLessThanOrEqual(policy.max + 1);
    expect(worstStretch(attempts, policy).admitted).toBeLessThanOrEqual(worstStretch(attempts, policy).bound);
  });

  it('within one window it is exact: the 11th of 10 is refused', async () => {
    const { attempts } = await run('read=10/60', 'read', '2026-11-15T02:00:05.000Z', 20, '2026-11-15T02:00:05.300Z');
    expect(attempts.slice(0, 11).map((a) => a.admitted)).toEqual([...Array(10).fill(true), false]);
  });

  it('keeps the bound over every stretch of a steady stream across several windows', async () => {
    const { attempts, policy } = await run('read=10/60', 'read', '2026-11-15T02:00:30.000Z', 700, '2026-11-15T02:03:30.000Z');
    const worst = worstStretch(attempts, policy);
    expect(worst.admitted, `stretch of ${worst.spanMs} ms`).toBeLessThanOrEqual(worst.bound);
    expect(attempts.filter((a) => a.admitted).length).toBeGreaterThan(30); // it did admit across windows
  });
});

describe('token bucket (login, sync, export): exact counts, one token back per share of the window', () => {
  it('admits exactly max at once, then one per refill interval, never more', async () => {
    // loginUser 5 / 300 s: one token back every 60 s, counted from the first attempt.
    const { attempts, policy } = await run('loginUser=5/300', 'loginUser', '2026-11-15T02:00:00.000Z', 1_000, '2026-11-15T02:02:30.000Z');
    const admittedAt = attempts.filter((a) => a.admitted).map((a) => a.sentAt - attempts[0].sentAt);
    expect(admittedAt).toEqual([0, 1_000, 2_000, 3_000, 4_000, 60_000, 120_000]);
    const worst = worstStretch(attempts, policy);
    expect(worst.admitted).toBeLessThanOrEqual(worst.bound);
  });

  it('forgets a bucket once it would be full: the next attempt starts a new refill phase', async () => {
    const clock = testClock('2026-11-15T02:00:00.000Z');
    const limiter = createMemoryLimiter(clock, 'loginUser=5/300');
    await limiter.limit('loginUser', 'u'); // 4 left; full again (and forgotten) 60 s later
    clock.advance(119_700);
    const burst = [];
    for (let i = 0; i < 30; i++) {
      burst.push((await limiter.limit('loginUser', 'u')).success);
      clock.advance(20); // crosses +120 s, which is no refill instant any more
    }
    expect(burst.filter(Boolean).length).toBe(5);
  });

  it('the worst case on purpose: a full bucket just before a refill instant gives max + 1, within the bound', async () => {
    // A token taken just before a refill keeps the bucket alive (full, old phase) past the next
    // instant: the one shape where a short burst gets max + 1 (as in the Upstash script).
    const clock = testClock('2026-11-15T02:00:00.000Z');
    const limiter = createMemoryLimiter(clock, 'loginUser=5/300');
    const policy = limiter.policies.loginUser;
    await limiter.limit('loginUser', 'u'); // refills at +60 s, +120 s, +180 s
    clock.advance(59_950);
    await limiter.limit('loginUser', 'u'); // 3 left, kept until +179.95 s; full from +120 s
    clock.advance(180_000 - 59_950 - 300); // 300 ms before the +180 s refill
    const attempts: Attempt[] = [];
    for (let i = 0; i < 30; i++) {
      const at = clock.now().getTime();
      attempts.push({ sentAt: at, answeredAt: at, admitted: (await limiter.limit('loginUser', 'u')).success });
      clock.advance(20);
    }
    expect(attempts.filter((a) => a.admitted).length).toBe(policy.max + 1);
    const worst = worstStretch(attempts, policy);
    expect(worst.admitted).toBeLessThanOrEqual(worst.bound);
  });

  it('says when the next token comes back', async () => {
    const clock = testClock('2026-11-15T02:00:00.000Z');
    const limiter = createMemoryLimiter(clock, 'sync=2/600');
    await limiter.limit('sync', 'u');
    clock.advance(10_000);
    await limiter.limit('sync', 'u');
    const refused = await limiter.limit('sync', 'u');
    expect(refused).toMatchObject({ success: false, remaining: 0, resetAt: new Date('2026-11-15T02:05:00.000Z').getTime() });
  });

  it('counts each key and each policy on its own', async () => {
    const clock = testClock('2026-11-15T02:00:00.000Z');
    const limiter = createMemoryLimiter(clock, 'loginUser=2/300,loginIp=2/300');
    await limiter.limit('loginUser', 'a');
    await limiter.limit('loginUser', 'a');
    expect((await limiter.limit('loginUser', 'a')).success).toBe(false);
    expect((await limiter.limit('loginUser', 'b')).success).toBe(true);
    expect((await limiter.limit('loginIp', 'a')).success).toBe(true);
  });
});
