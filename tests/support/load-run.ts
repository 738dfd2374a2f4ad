// The load run (issue 14, "Load"): N simulated field officers, each signed in with their own session,
// read their client list and client pages and record statuses for a bounded time against a real host
// over HTTP. Used by bench/load.ts (200 users × 60 s, timings) and by the bounded test
// (tests/integration/load-status.test.ts, no timing asserts). checkLoadOutcome() then proves from
// the database that nothing was lost or doubled: every accepted write has its event, every refused
// one has none, and each period row's event_sequence runs 1..n with no gap.
import type { Client } from '@libsql/client';
import { hashPassword } from '../../app/core/access/password.server';

export const LOAD_PASSWORD = 'load-run password 2026';
const EMAIL = (i: number) => `load.${i}@load.test`;

export interface LoadUser {
  email: string;
  clientIds: number[];
}

/**
 * Inserts `count` active FCASH field officers (clients:read, status:read, status:update at branch
 * scope), spread over the FCASH branches that have clients still open this period, and gives each a
 * few of those clients to work. Users come in pairs working the same clients, so some writes race
 * and the loser gets a 409 (the form with the newer state), as two officers on one client would.
 */
export async function seedLoadUsers(client: Client, count: number, clientsPerUser = 4): Promise<LoadUser[]> {
  const open = await client.execute(`
    SELECT cps.client_id AS clientId, cps.branch_id AS branchId
    FROM client_period_status cps
    JOIN status_types st ON st.id = cps.status_type_id
    JOIN companies co ON co.id = cps.company_id
    WHERE co.code = 'FCASH' AND cps.period_type = 'monthly' AND st.code IN ('PENDING', 'TO_FOLLOW')
      AND cps.period_key = (SELECT max(period_key) FROM client_period_status WHERE period_type = 'monthly')
    ORDER BY cps.branch_id, cps.client_id`);
  const byBranch = new Map<number, number[]>();
  for (const r of open.rows) byBranch.set(Number(r.branchId), [...(byBranch.get(Number(r.branchId)) ?? []), Number(r.clientId)]);
  const branches = [...byBranch.entries()].filter(([, ids]) => ids.length >= clientsPerUser);
  if (branches.length === 0) throw new Error('load run: no FCASH branch has open clients this period');
  const hash = await hashPassword(LOAD_PASSWORD, 4); // raised to the host's cost at the first sign-in
  const users: LoadUser[] = [];
  for (let i = 0; i < count; i++) {
    const pair = Math.floor(i / 2);
    const [branchId, ids] = branches[pair % branches.length];
    const start = (Math.floor(pair / branches.length) * clientsPerUser) % ids.length;
    const clientIds = Array.from({ length: clientsPerUser }, (_, k) => ids[(start + k) % ids.length]);
    const inserted = await client.execute({
      sql: 'INSERT INTO users (email, full_name, password_hash, must_change_password, is_active) VALUES (?, ?, ?, 0, 1) RETURNING id',
      args: [EMAIL(i), `Load Officer ${i}`, hash],
    });
    const userId = Number(inserted.rows[0].id);
    for (const permission of ['clients:read', 'status:read', 'status:update']) {
      await client.execute({
        sql: `INSERT INTO user_permissions (user_id, permission_id, company_id, scope)
              VALUES (?, (SELECT id FROM permissions WHERE code = ?), (SELECT id FROM companies WHERE code = 'FCASH'), 'branch')`,
        args: [userId, permission],
      });
    }
    await client.execute({ sql: 'INSERT INTO user_branches (user_id, branch_id) VALUES (?, ?)', args: [userId, branchId] });
    users.push({ email: EMAIL(i), clientIds });
  }
  return users;
}

export type LoadRoute = 'GET /clients' | 'GET /clients/:id' | 'POST /clients/:id (status)' | 'POST /login';

export interface LoadRequest {
  route: LoadRoute;
  status: number; // 0: no answer (connection error)
  ms: number;
}

export interface LoadWrite {
  remarks: string;
  clientId: number;
  status: number;
}

export interface LoadRun {
  users: number;
  seconds: number;
  requests: LoadRequest[];
  writes: LoadWrite[];
  /** Versions of the worked period rows before the run (period_status_id → version). */
  versionsBefore: Map<number, number>;
  statusEventsBefore: number;
  /** Starts every remark this run writes ("load <tag> <user>-<n>"), so runs on one database stay apart. */
  tag: string;
}

async function timed(run: LoadRequest[], route: LoadRoute, work: () => Promise<Response>): Promise<Response | null> {
  const started = performance.now();
  try {
    const response = await work();
    run.push({ route, status: response.status, ms: performance.now() - started });
    return response;
  } catch {
    run.push({ route, status: 0, ms: performance.now() - started });
    return null;
  }
}

/** Signs in through the login form as a browser does; the Cookie header it then sends (the session and the user-id hint). */
export async function signIn(url: string, email: string, requests: LoadRequest[] = [], password = LOAD_PASSWORD): Promise<string> {
  const response = await timed(requests, 'POST /login', () =>
    fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: new URLSearchParams({ email, password }),
    }),
  );
  await response?.body?.cancel();
  const cookies = response?.headers.getSetCookie().map((c) => c.split(';')[0]) ?? [];
  if (!response || response.status !== 302 || !cookies.some((c) => /session=/.test(c)))
    throw new Error(`load run: sign-in as ${email} answered ${response?.status ?? 'nothing'}`);
  return cookies.join('; ');
}

/** The status form's hidden fields on a client page (what a person's browser would post back). */
export function formState(html: string): { periodKey: string; baseVersion: string } | null {
  const periodKey = /name="periodKey" value="([^"]+)"/.exec(html)?.[1];
  const baseVersion = /name="baseVersion" value="(\d+)"/.exec(html)?.[1];
  return periodKey && baseVersion ? { periodKey, baseVersion } : null;
}

/** Signs every user in (a few at a time: bcrypt is the cost), then runs them all until the time is up. */
export async function runLoad(options: {
  url: string;
  db: Client;
  users: LoadUser[];
  seconds: number;
  /** Share of iterations that record a status (the rest only read). Default 0.3. */
  writeShare?: number;
  log?: (line: string) => void;
}): Promise<LoadRun> {
  const { url, db, users } = options;
  const writeShare = options.writeShare ?? 0.3;
  const requests: LoadRequest[] = [];
  const writes: LoadWrite[] = [];
  const cookies: string[] = new Array(users.length);
  for (let i = 0; i < users.length; i += 4) {
    await Promise.all(users.slice(i, i + 4).map(async (u, k) => (cookies[i + k] = await signIn(url, u.email, requests))));
  }
  options.log?.(`  ${users.length} users signed in`);
  const status = await db.execute(`
    SELECT st.id AS statusId, (SELECT r.id FROM status_reasons r WHERE r.status_type_id = st.id AND r.is_active = 1
      AND r.is_terminal = 0 AND r.requires_remarks = 0 ORDER BY r.sort_order, r.id LIMIT 1) AS reasonId
    FROM status_types st WHERE st.code = 'TO_FOLLOW'`);
  const toFollow = String(status.rows[0].statusId);
  const reason = status.rows[0].reasonId === null ? '' : String(status.rows[0].reasonId);
  const ids = [...new Set(users.flatMap((u) => u.clientIds))];
  const before = await db.execute(
    `SELECT id, version FROM client_period_status WHERE client_id IN (${ids.join(',')})
       AND period_key = (SELECT max(period_key) FROM client_period_status WHERE period_type = 'monthly')`,
  );
  const versionsBefore = new Map(before.rows.map((r) => [Number(r.id), Number(r.version)]));
  const statusEventsBefore = Number((await db.execute('SELECT count(*) AS n FROM status_events')).rows[0].n);

  const deadline = Date.now() + options.seconds * 1000;
  const tag = Math.random().toString(36).slice(2, 8);
  let seq = 0;
  const work = async (user: LoadUser, cookie: string, index: number) => {
    const headers = { cookie };
    let turn = 0;
    while (Date.now() < deadline) {
      const clientId = user.clientIds[turn++ % user.clientIds.length];
      if (Math.random() >= writeShare) {
        const list = await timed(requests, 'GET /clients', () => fetch(`${url}/clients`, { headers, redirect: 'manual' }));
        await list?.body?.cancel();
        continue;
      }
      const page = await timed(requests, 'GET /clients/:id', () => fetch(`${url}/clients/${clientId}`, { headers, redirect: 'manual' }));
      const html = page ? await page.text().catch(() => '') : '';
      const state = page?.status === 200 ? formState(html) : null;
      if (!state) continue;
      const remarks = `load ${tag} ${index}-${++seq}`;
      const body = new URLSearchParams({ intent: 'status', ...state, statusTypeId: toFollow, reasonId: reason, remarks, hasPayment: 'no' });
      const answer = await timed(requests, 'POST /clients/:id (status)', () =>
        fetch(`${url}/clients/${clientId}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { ...headers, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
      await answer?.body?.cancel();
      writes.push({ remarks, clientId, status: answer?.status ?? 0 });
    }
  };
  await Promise.all(users.map((u, i) => work(u, cookies[i], i)));
  return { users: users.length, seconds: options.seconds, requests, writes, versionsBefore, statusEventsBefore, tag };
}

export interface LoadOutcome {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  noAnswer: number;
  writesAccepted: number;
  writesConflicted: number;
  writesOther: number;
  /** Accepted writes with no status event (lost updates). */
  lost: number;
  /** Writes with more than one event, or a refused write that left one. */
  doubledOrPhantom: number;
  newEvents: number;
  /** Period rows whose event_sequence is not 1..n, or whose version moved by other than its new events. */
  gappedRows: number;
}

export async function checkLoadOutcome(db: Client, run: LoadRun): Promise<LoadOutcome> {
  const byStatus: Record<string, number> = {};
  for (const r of run.requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const accepted = run.writes.filter((w) => w.status === 302 || w.status === 303);
  const conflicted = run.writes.filter((w) => w.status === 409);
  const mine = `load ${run.tag} %`;
  const events = await db.execute({ sql: 'SELECT remarks, count(*) AS n FROM status_events WHERE remarks LIKE ? GROUP BY remarks', args: [mine] });
  const found = new Map(events.rows.map((r) => [String(r.remarks), Number(r.n)]));
  const lost = accepted.filter((w) => !found.has(w.remarks)).length;
  const doubled = accepted.filter((w) => (found.get(w.remarks) ?? 0) > 1).length;
  const phantom = run.writes.filter((w) => w.status !== 302 && w.status !== 303 && found.has(w.remarks)).length;
  const newEvents = Number((await db.execute('SELECT count(*) AS n FROM status_events')).rows[0].n) - run.statusEventsBefore;
  const rows = [...run.versionsBefore.keys()].join(',');
  const gaps = await db.execute({
    sql: `SELECT cps.id, cps.version, count(e.id) AS n, min(e.event_sequence) AS lo, max(e.event_sequence) AS hi,
      (SELECT count(*) FROM status_events x WHERE x.period_status_id = cps.id AND x.remarks LIKE ?) AS added
    FROM client_period_status cps LEFT JOIN status_events e ON e.period_status_id = cps.id
    WHERE cps.id IN (${rows}) GROUP BY cps.id`,
    args: [mine],
  });
  const gappedRows = gaps.rows.filter((r) => {
    const n = Number(r.n);
    const sequenceOk = n === 0 || (Number(r.lo) === 1 && Number(r.hi) === n);
    const versionOk = Number(r.version) - run.versionsBefore.get(Number(r.id))! === Number(r.added);
    return !sequenceOk || !versionOk;
  }).length;
  return {
    requests: run.requests.length,
    byStatus,
    serverErrors: run.requests.filter((r) => r.status >= 500).length,
    noAnswer: run.requests.filter((r) => r.status === 0).length,
    writesAccepted: accepted.length,
    writesConflicted: conflicted.length,
    writesOther: run.writes.length - accepted.length - conflicted.length,
    lost,
    doubledOrPhantom: doubled + phantom,
    newEvents,
    gappedRows,
  };
}
