// The Node host as two web processes on ONE local libSQL file (decision 121), as `npm start` now runs
// it on a machine with two cores: signed-in field officers read and record statuses through both
// workers at once for a few seconds. Every ctx.write transaction is held open 150 ms longer
// (CU_TEST_WRITE_HOLD_MS, test mode only) and SQLite's busy timeout is cut to 100 ms, so a write
// of one worker that met the other's open transaction on the file lock would fail with SQLITE_BUSY
// (503). With the primary's write turn the workers wait for each other without touching the lock:
// no 5xx, every accepted write is in status_events exactly once, no refused one left a row, and
// every worked period row's trail is gap-free. 127.0.0.1, a free port, stopped by the primary's PID.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeApp } from '../support/app-server';
import { createTestDb, type TestDb } from '../support/db';
import { checkLoadOutcome, runLoad, seedLoadUsers, type LoadOutcome } from '../support/load-run';
import { ensureNodeBuild } from '../support/node-build';
import { stopAllProcesses, waitUntil, type ManagedProcess } from '../support/processes';

const USERS = 8;
const SECONDS = 4;

let t: TestDb;
let primary: ManagedProcess;
let outcome: LoadOutcome;
let workerPids: Set<number>;
let turnsGranted: number;

/** The worker that answers a request on a connection of its own (the cluster hands connections round-robin). */
function workerPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/status.json`, { agent: false, headers: { connection: 'close' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(res.headers['x-worker-pid'])));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  ensureNodeBuild();
  t = await createTestDb();
  const users = await seedLoadUsers(t.client, USERS);
  const app = await startNodeApp({
    databaseUrl: t.url,
    cluster: true,
    // Three processes compiling with tsx beside the other test files on two cores: the service tests' 90 s.
    readyTimeoutMs: 90_000,
    env: {
      WEB_PROCESSES: '2',
      BCRYPT_COST: '4',
      DATABASE_BUSY_TIMEOUT_MS: '100',
      CU_TEST_WRITE_HOLD_MS: '150',
      // Simulated users are faster than people, and all sign in from 127.0.0.1.
      RATE_LIMITS: 'read=100000/60,write=100000/60,loginIp=10000/300,public=100000/60',
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
    },
  });
  primary = app.process;
  workerPids = new Set<number>();
  await waitUntil(
    'both workers answering',
    async () => {
      workerPids.add(await workerPid(app.url));
      return workerPids.size === 2;
    },
    { process: primary, timeoutMs: 60_000 },
  );
  const run = await runLoad({ url: app.url, db: t.client, users, seconds: SECONDS, writeShare: 0.6 });
  outcome = await checkLoadOutcome(t.client, run);
  console.log(`cluster of 2 on one file, ${USERS} users × ${SECONDS} s: ${JSON.stringify(outcome)}`);
  // The primary's count of turns granted (its SIGUSR2 line): the workers' writes went through it.
  process.kill(primary.pid, 'SIGUSR2');
  await waitUntil('the SIGUSR2 line', async () => /"writeTurns":\d+/.test(readFileSync(primary.logFile, 'utf8')), { process: primary, timeoutMs: 10_000 });
  turnsGranted = Number(/"writeTurns":(\d+)/.exec(readFileSync(primary.logFile, 'utf8'))![1]);
}, 120_000);
afterAll(async () => {
  await stopAllProcesses(5_000);
  await t?.close();
});

describe(`two web processes writing one file: ${USERS} users for ${SECONDS} s with 150 ms transactions`, () => {
  it('answers every request, none with a 5xx, from both workers', () => {
    expect(workerPids.size).toBe(2);
    expect(outcome.requests).toBeGreaterThan(USERS * 2);
    expect({ serverErrors: outcome.serverErrors, noAnswer: outcome.noAnswer }).toEqual({ serverErrors: 0, noAnswer: 0 });
    expect(Object.keys(outcome.byStatus).filter((s) => !['200', '302', '409'].includes(s))).toEqual([]);
  });

  it('lands every accepted write exactly once, leaves nothing of a refused one, and keeps every trail gap-free', () => {
    expect(outcome.writesAccepted).toBeGreaterThan(0);
    expect({ lost: outcome.lost, doubledOrPhantom: outcome.doubledOrPhantom, other: outcome.writesOther }).toEqual({ lost: 0, doubledOrPhantom: 0, other: 0 });
    expect(outcome.newEvents).toBe(outcome.writesAccepted);
    expect(outcome.gappedRows).toBe(0);
  });

  it('took the primary’s turn for the writes (one grant covers the writes a worker queued meanwhile)', () => {
    expect(turnsGranted).toBeGreaterThan(0);
  });
});
