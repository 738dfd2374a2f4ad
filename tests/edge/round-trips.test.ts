import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';
import { sequentialSteps, type RoundTrip } from '../support/round-trip-proxy';
import { findPeriodRow, statusIdOf } from '../support/status';

// Sequential round trips from the Worker to libSQL (sqld) and Upstash (REST) per screen, counted by
// the proxy at the process boundary (tests/support/round-trip-proxy.ts; decision 103). Each one is
// latency a user waits for at the edge: a navigation takes at most 3 steps (a status update 2).
// The proxy adds 10 ms to each round trip so that requests the Worker sends together surely overlap.

const PASSWORD = 'demo-pass-2026';
const COOKIE = 'cu_session';
const MONTH = '2026-11'; // the monthly period of the stack's fixed clock (TEST_NOW)

let stack: EdgeStack;

beforeAll(async () => {
  stack = await startEdgeStack({ clients: 1000, roundTrips: { delayMs: 10 } });
});

afterAll(async () => {
  await stack?.stop();
});

async function login(email: string): Promise<string> {
  const response = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: stack.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  // Every cookie the sign-in sets: the session's and its signed user id (decision 109), as a browser sends them.
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  await response.arrayBuffer();
  if (response.status !== 302 || !cookies.some((c) => c.startsWith(`${COOKIE}=`))) throw new Error(`login as ${email}: ${response.status}`);
  return cookies.join('; ');
}

/** One request, its body read to the end; the round trips the Worker made for it. */
async function measured(
  path: string,
  cookie: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: string; steps: number; trips: RoundTrip[] }> {
  const proxies = stack.roundTrips!;
  proxies.reset();
  const response = await fetch(`${stack.url}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie, ...(form ? { origin: stack.url, 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });
  const body = await response.text();
  const trips = proxies.trips();
  return { status: response.status, body, steps: sequentialSteps(trips), trips };
}

/** What a failed count shows: each round trip's upstream, path and times relative to the first. */
function describeTrips(trips: RoundTrip[]): string {
  const t0 = Math.min(...trips.map((t) => t.start));
  return trips.map((t) => `${(t.start - t0).toFixed(0)}-${(t.end - t0).toFixed(0)} ms ${t.upstream}: ${t.what}`).join('\n');
}

describe('round trips per screen on the Workers build (warm cache, signed in)', () => {
  const screens: Array<{ who: string; path: string | (() => Promise<string>) }> = [
    { who: 'admin@demo.test', path: '/' },
    { who: 'area.ncr@demo.test', path: '/' },
    { who: 'branch.mnla01@demo.test', path: '/clients' },
    { who: 'admin@demo.test', path: '/clients' },
    { who: 'branch.mnla01@demo.test', path: () => clientPath('MNLA01') },
    { who: 'admin@demo.test', path: '/workspace/fcash' },
    { who: 'branch.mnla01@demo.test', path: '/workspace/fcash' },
    { who: 'admin@demo.test', path: '/admin/users' },
    { who: 'admin@demo.test', path: '/admin/approvals' },
    { who: 'admin@demo.test', path: '/admin/activity' },
    { who: 'admin@demo.test', path: '/admin/config' },
    { who: 'admin@demo.test', path: '/admin/periods' },
    { who: 'admin@demo.test', path: '/admin/sync' },
    { who: 'admin@demo.test', path: '/admin/audit' },
    { who: 'admin@demo.test', path: '/admin/jobs' },
    { who: 'admin@demo.test', path: '/areas' },
    { who: 'admin@demo.test', path: '/branches' },
    { who: 'admin@demo.test', path: '/areas/1' },
    { who: 'admin@demo.test', path: '/branches/1' },
    { who: 'admin@demo.test', path: '/admin/users/4' },
    { who: 'admin@demo.test', path: '/reports' },
    { who: 'admin@demo.test', path: () => clientPath('MNLA01') },
    { who: 'admin@demo.test', path: '/status' },
  ];

  // One sign-in per user, as a user signs in once and opens many screens (and stays under the sign-in limit).
  const cookies = new Map<string, Promise<string>>();
  const signedIn = (email: string) => {
    if (!cookies.has(email)) cookies.set(email, login(email));
    return cookies.get(email)!;
  };

  for (const screen of screens) {
    it(`${screen.who} opens ${typeof screen.path === 'string' ? screen.path : '/clients/:id'} in at most 3 sequential steps`, async () => {
      const cookie = await signedIn(screen.who);
      const path = typeof screen.path === 'string' ? screen.path : await screen.path();
      const cold = await measured(path, cookie); // fills the caches the page reads
      expect(cold.status).toBe(200);
      const warm = await measured(path, cookie);
      expect(warm.status).toBe(200);
      expect(warm.body).toContain('data-testid="current-user"');
      expect(warm.steps, describeTrips(warm.trips)).toBeLessThanOrEqual(3);
    });
  }

  it("a user page read beside its scope check still answers 404 outside the reader's reach, naming nothing of the user", async () => {
    const db = createClient({ url: stack.sqldUrl });
    const idOf = async (email: string) => Number((await db.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [email] })).rows[0].id);
    try {
      const [adminId, officerId] = [await idOf('admin@demo.test'), await idOf('branch.mnla01@demo.test')];
      const cookie = await signedIn('area.ncr@demo.test'); // users:read over the NCR areas; the admin has no territory there
      const outside = await measured(`/admin/users/${adminId}`, cookie);
      expect(outside.status).toBe(404);
      expect(outside.body).not.toContain('admin@demo.test');
      expect(outside.body).not.toContain('Demo Admin');
      await measured(`/admin/users/${officerId}`, cookie); // fills the caches the page reads
      const inside = await measured(`/admin/users/${officerId}`, cookie); // a branch officer of an NCR branch
      expect(inside.status).toBe(200);
      expect(inside.body).toContain('branch.mnla01@demo.test');
      expect(inside.steps, describeTrips(inside.trips)).toBeLessThanOrEqual(3);
    } finally {
      db.close();
    }
  });

  it('an admin records a status from the client page in at most 2 sequential steps (decisions 103 and 109)', async () => {
    const db = createClient({ url: stack.sqldUrl });
    try {
      const first = await findPeriodRow(db, { periodKey: MONTH, company: 'FCASH', status: 'PENDING' });
      const row = await findPeriodRow(db, { periodKey: MONTH, company: 'FCASH', status: 'PENDING', skip: 1 });
      const cookie = await login('admin@demo.test');
      const updated = String(await statusIdOf(db, 'UPDATED'));
      const formOf = (r: typeof row) => ({
        intent: 'status',
        periodKey: r.periodKey,
        baseVersion: String(r.version),
        statusTypeId: updated,
        reasonId: '',
        remarks: '',
        hasPayment: 'yes',
      });
      // The caches warm as a user's second save finds them: the page, then one save, then the page of the
      // client measured.
      await measured(`/clients/${first.clientId}`, cookie);
      expect((await measured(`/clients/${first.clientId}`, cookie, formOf(first))).status).toBe(302);
      await measured(`/clients/${row.clientId}`, cookie);
      const form = formOf(row);
      const post = await measured(`/clients/${row.clientId}`, cookie, form);
      expect(post.status).toBe(302);
      const after = await db.execute({ sql: 'SELECT version, update_count FROM client_period_status WHERE id = ?', args: [row.id] });
      expect(Number(after.rows[0].version)).toBe(row.version + 1); // the status was recorded
      // Decision 109: the session, the period row, the lookups and the limit (for the user the signed cookie
      // names) together; then the write as one batch. The dashboard generation is the last event's id.
      expect(post.steps, describeTrips(post.trips)).toBeLessThanOrEqual(2);
    } finally {
      db.close();
    }
  });
});

async function clientPath(branch: string): Promise<string> {
  const db = createClient({ url: stack.sqldUrl });
  try {
    const row = await findPeriodRow(db, { periodKey: MONTH, branch });
    return `/clients/${row.clientId}`;
  } finally {
    db.close();
  }
}
