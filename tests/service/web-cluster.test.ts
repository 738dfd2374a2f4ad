// The Node host as a cluster (server/cluster.ts, decision 106): two real worker processes and their
// primary on one libSQL file, 127.0.0.1, stopped by PID. Every request opens a new connection, so
// node:cluster's round-robin hands consecutive requests to alternate workers; the test-mode
// x-worker-pid header says which one answered. The security state the embedded default keeps in
// memory is the primary's, so it holds across workers: the sixth wrong password is refused by the
// limiter whichever worker answers, and a permission revoked through one worker is refused by the
// other at once. A killed worker is replaced while the other keeps answering; SIGTERM stops all.
// One cluster for the file (each start costs seconds on the shared machine): the tests run in order
// and each uses its own accounts.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo-users';
import { TEST_NOW } from '../support/app-server';
import { createTestDb, type TestDb } from '../support/db';
import { ensureNodeBuild } from '../support/node-build';
import { getFreePort } from '../support/ports';
import { describeLog, isPidAlive, spawnNodeScript, stopAllProcesses, waitForHttp, waitUntil, type ManagedProcess } from '../support/processes';
import { sqlRows } from '../support/sql';

const root = fileURLToPath(new URL('../..', import.meta.url));

let t: TestDb;
let primary: ManagedProcess;
let url: string;

beforeAll(async () => {
  ensureNodeBuild();
  t = await createTestDb();
  const port = await getFreePort();
  primary = spawnNodeScript({
    name: 'web-cluster',
    script: path.join(root, 'server/cluster.ts'),
    nodeArgs: ['--import', 'tsx'],
    cwd: root,
    env: {
      NODE_ENV: 'test',
      WEB_PROCESSES: '2',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: t.url,
      COOKIE_SECURE: 'false',
      APP_FIXED_NOW: TEST_NOW,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      // /status.json is polled while a worker is replaced: its per-IP limit (public) is not under test here.
      RATE_LIMITS: 'public=100000/60',
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
    },
  });
  url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/status.json`, { process: primary, timeoutMs: 90_000 });
  // Both workers up: two answers in a row from two processes.
  await waitUntil(
    'both workers answering',
    async () => new Set([(await send('GET', '/status.json')).pid, (await send('GET', '/status.json')).pid]).size === 2,
    {
      process: primary,
      timeoutMs: 60_000,
    },
  );
});
afterAll(async () => {
  await stopAllProcesses(5_000);
  await t?.close();
});

interface Answer {
  status: number;
  pid: number;
  location: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** One request on a connection of its own (no keep-alive), so the cluster picks the next worker. */
function send(method: 'GET' | 'POST', pathname: string, options: { cookie?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${pathname}`,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin: url, 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            pid: Number(res.headers['x-worker-pid']),
            location: res.headers.location,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(email: string): Promise<string> {
  const answer = await send('POST', '/login', { form: { email, password: DEMO_PASSWORD } });
  expect(answer.status, `sign-in of ${email}`).toBe(302);
  return answer.cookie!;
}

const idOf = async (sql: string, arg: string) => Number((await sqlRows(t.client, sql, [arg]))[0].id);

describe('the Node host as two worker processes', () => {
  it('limits sign-in attempts across workers: the sixth wrong password is refused by the one limiter', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 7; i++) answers.push(await send('POST', '/login', { form: { email: 'viewer@demo.test', password: 'not-the-password-1' } }));
    // Five tries per account (loginUser, a token bucket of 5): with a limiter per process each worker
    // would grant five, and the sixth and seventh would reach the password check (401, not 429).
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(new Set(answers.map((a) => a.pid)).size).toBe(2);
    expect(new Set(answers.slice(5).map((a) => a.pid)).size).toBe(2); // both workers refused
    expect(answers[5].body).toContain('Too many sign-in attempts');
    // The right password is refused too while the limit holds, on either worker.
    const right = [await send('POST', '/login', { form: { email: 'viewer@demo.test', password: DEMO_PASSWORD } })];
    right.push(await send('POST', '/login', { form: { email: 'viewer@demo.test', password: DEMO_PASSWORD } }));
    expect(right.map((a) => a.status)).toEqual([429, 429]);
    expect(new Set(right.map((a) => a.pid)).size).toBe(2);
  });

  it('refuses a permission revoked through one worker on the other at once', async () => {
    const admin = await signIn('admin@demo.test');
    const officer = await signIn('branch.mnla01@demo.test');
    const officerId = await idOf('SELECT id FROM users WHERE email = ?', 'branch.mnla01@demo.test');
    const fcash = await idOf('SELECT id FROM companies WHERE code = ?', 'FCASH');
    // Both workers have served the officer's list, so each would hold the access in a cache of its own.
    const before = [await send('GET', '/clients', { cookie: officer }), await send('GET', '/clients', { cookie: officer })];
    expect(before.map((a) => a.status)).toEqual([200, 200]);
    expect(new Set(before.map((a) => a.pid)).size).toBe(2);

    // The admin keeps only branches:read of the officer's FCASH grants (clients:read goes).
    const revoke = await send('POST', `/admin/users/${officerId}`, {
      cookie: admin,
      form: { intent: 'grants', companyId: String(fcash), 'grant:branches:read': 'branch' },
    });
    expect(revoke.status).toBe(302);
    expect(
      await sqlRows(t.client, 'SELECT p.code FROM user_permissions up JOIN permissions p ON p.id = up.permission_id WHERE up.user_id = ?', [officerId]),
    ).toEqual([{ code: 'branches:read' }]);

    const after = [await send('GET', '/clients', { cookie: officer }), await send('GET', '/clients', { cookie: officer })];
    expect(after.map((a) => a.status)).toEqual([403, 403]);
    expect(new Set(after.map((a) => a.pid)).size).toBe(2); // the worker that did not take the change refused too
  });

  it('replaces a killed worker, and the other keeps answering meanwhile', async () => {
    const pids = new Set([(await send('GET', '/status.json')).pid, (await send('GET', '/status.json')).pid]);
    expect(pids.size).toBe(2);
    const [victim, survivor] = [...pids];
    process.kill(victim, 'SIGKILL');
    await waitUntil('the killed worker gone', async () => !isPidAlive(victim), { timeoutMs: 10_000 });
    const meanwhile: Answer[] = [];
    await waitUntil(
      'a new worker answering',
      async () => {
        const answer = await send('GET', '/status.json');
        meanwhile.push(answer);
        return answer.pid !== survivor;
      },
      { process: primary, timeoutMs: 60_000 },
    );
    expect(meanwhile.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.slice(0, 80)}`)).toEqual([]);
    expect(meanwhile.some((a) => a.pid === victim)).toBe(false);
    expect(new Set(meanwhile.map((a) => a.pid)).size).toBe(2); // the survivor, then the new worker
    expect(describeLog(primary.logFile, 200)).toMatch(new RegExp(`"msg":"web worker exited; restarting".*"pid":${victim}.*"signal":"SIGKILL"`));
  });

  it('stops the primary and every worker on SIGTERM', async () => {
    const workers = new Set<number>();
    for (let i = 0; i < 4; i++) workers.add((await send('GET', '/status.json')).pid);
    expect(workers.size).toBe(2);
    process.kill(primary.pid, 'SIGTERM');
    const exit = await primary.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(isPidAlive(pid), `worker ${pid}`).toBe(false);
  });
});
