import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicies } from '../../app/platform/rate-limit/policies';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';
import { msToWindowEdge, worstStretch, type Attempt } from '../support/limit-runs';

// Decision 080 at the edge: the Workers build under wrangler dev, @upstash/ratelimit through the
// Upstash REST endpoint over redis-server. Upstash counts on the wall clock, so each run is made
// to cross a window edge or a refill instant on purpose by waiting for it, every run.
// Short windows keep the waits short: read 5 per 20 s, loginUser 3 per 9 s (a token every 3 s);
// one share of the window (4 s, 3 s) is longer than a run, so a run's bound is max + 1, exactly
// what the algorithms admit at an edge: lowering the bound by one makes these tests fail.

const PASSWORD = 'demo-pass-2026';
const COOKIE = 'cu_session';
const RATE_LIMITS = 'read=5/20,loginUser=3/9,loginIp=1000/300';
const policies = resolvePolicies(RATE_LIMITS);

let stack: EdgeStack;
let base: string;

beforeAll(async () => {
  stack = await startEdgeStack({ clients: 300, env: { RATE_LIMITS } });
  base = stack.url;
});

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get(path: string, cookie: string): Promise<Response> {
  const response = await fetch(`${base}${path}`, { redirect: 'manual', headers: { cookie } });
  if (response.status !== 429) await response.arrayBuffer(); // read to the end: workerd logs a cancelled body
  return response;
}

function postLogin(email: string, password: string): Promise<Response> {
  return fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }),
  });
}

async function login(email: string): Promise<string> {
  const response = await postLogin(email, PASSWORD);
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  if (response.status !== 302 || !line) throw new Error(`login as ${email}: ${response.status}`);
  return line.split(';')[0];
}

/** Requests until one is refused at least `afterMs` past `mark` (bounded: 120 requests). */
async function runUntilRefusedAfter(send: () => Promise<Response>, mark: number, afterMs: number, everyMs = 0) {
  const attempts: Attempt[] = [];
  let refused: Response | undefined;
  while (attempts.length < 120) {
    const sentAt = Date.now();
    const response = await send();
    attempts.push({ sentAt, answeredAt: Date.now(), admitted: response.status !== 429 });
    if (response.status === 429) {
      refused = response;
      if (sentAt > mark + afterMs) break;
    }
    if (everyMs) await sleep(everyMs);
  }
  return { attempts, refused };
}

const pattern = (attempts: Attempt[]) => attempts.map((a) => (a.admitted ? '1' : '0')).join('');

describe('reads per user (sliding window)', () => {
  const read = policies.read;
  const windowMs = read.windowSeconds * 1000;

  it('within one window: exactly the limit, then 429 with Retry-After inside the window', async () => {
    const cookie = await login('viewer@demo.test');
    if (msToWindowEdge(windowMs) < 8_000) await sleep(msToWindowEdge(windowMs) + 200); // room for the whole run
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < read.max + 5 && !limited; i++) {
      const response = await get('/clients', cookie);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses[0]).toBe(200);
    expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(statuses.filter((s) => s === 200).length).toBe(read.max);
    const header = limited!.headers.get('retry-after');
    expect(header, 'the 429 must carry Retry-After').toMatch(/^\d+$/);
    expect(Number(header)).toBeGreaterThan(0);
    expect(Number(header), `Retry-After must be within the ${read.windowSeconds} s window`).toBeLessThanOrEqual(read.windowSeconds);
    await limited!.arrayBuffer();
  }, 30_000);

  it('across a window edge on purpose: never more than the recorded bound', async () => {
    const cookie = await login('area.ncr@demo.test');
    // Begin 700 ms before an edge of Upstash's epoch-aligned windows, go on until refused after it.
    await sleep((msToWindowEdge(windowMs) + windowMs - 700) % windowMs);
    const edge = Date.now() + msToWindowEdge(windowMs);
    const { attempts, refused } = await runUntilRefusedAfter(() => get('/clients', cookie), edge, 100);
    expect(attempts[0].sentAt, 'the run starts before the edge').toBeLessThan(edge);
    expect(attempts.at(-1)!.sentAt, 'and ends after it').toBeGreaterThan(edge);
    expect(refused?.status).toBe(429);
    const worst = worstStretch(attempts, read);
    expect(worst.admitted, `admitted ${pattern(attempts)}; worst stretch ${worst.spanMs} ms`).toBeLessThanOrEqual(worst.bound);
    await refused!.arrayBuffer();
  }, 60_000);
});

describe('sign-in attempts per username (token bucket)', () => {
  const loginUser = policies.loginUser; // 3 at once, a token back every 3 s
  const interval = (loginUser.windowSeconds * 1000) / loginUser.max;
  const wrong = (email: string) => () => postLogin(email, 'not-the-password');

  it('exactly the limit at once, then 429 until a token comes back', async () => {
    const statuses = [];
    for (let i = 0; i < loginUser.max + 1; i++) {
      const response = await wrong('tele.fcash@demo.test')();
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  }, 30_000);

  it('the worst case on purpose, a full bucket just before a refill: never more than the recorded bound', async () => {
    // A token taken just before a refill keeps the bucket alive (full, in its old phase) past the
    // next refill instant: the one shape where a short burst gets max + 1 (decision 080).
    const send = wrong('nobody.edge@demo.test'); // counted per username, known or not
    const first = Date.now();
    const drainBody = async (r: Promise<Response>) => (await (await r).arrayBuffer(), undefined);
    await drainBody(send()); // refills at +3 s, +6 s, +9 s
    await sleep(first + interval - 250 - Date.now());
    await drainBody(send()); // the bucket is full from +6 s and kept until ≈ +8.75 s
    const refillAt = first + 3 * interval;
    await sleep(refillAt - 600 - Date.now());
    const { attempts, refused } = await runUntilRefusedAfter(send, refillAt, 600, 25);
    await refused?.arrayBuffer();
    expect(attempts[0].sentAt).toBeLessThan(refillAt);
    const worst = worstStretch(attempts, loginUser);
    expect(worst.admitted, `admitted ${pattern(attempts)}; worst stretch ${worst.spanMs} ms`).toBeLessThanOrEqual(worst.bound);
    expect(attempts.filter((a) => a.admitted).length).toBeGreaterThanOrEqual(loginUser.max);
  }, 60_000);
});
