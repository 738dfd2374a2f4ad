// The host `npm start` runs (server/cluster.ts) on a local database file with WEB_PROCESSES unset:
// one web process per core, on a file too (decision 121: the primary's write turn orders their
// writes; decision 116 ran one process there). On a one-core machine that is one process and no
// workers. An operator's SIGUSR2 gets the primary's line and does not end it (Node's default for
// that signal would); SIGTERM stops it and its workers. 127.0.0.1, a free port, stopped by its own PID.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { TEST_NOW } from '../support/app-server';
import { createTestDb, type TestDb } from '../support/db';
import { ensureNodeBuild } from '../support/node-build';
import { getFreePort } from '../support/ports';
import { isPidAlive, spawnNodeScript, stopAllProcesses, waitForHttp, waitUntil } from '../support/processes';

const root = fileURLToPath(new URL('../..', import.meta.url));
let t: TestDb | undefined;
afterAll(async () => {
  await stopAllProcesses(5_000);
  await t?.close();
});

/** Web workers forked by `pid` (a cluster's primary forks one per process; tsx's esbuild child is not one). */
function workersOf(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return children.filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('server/cluster.ts');
    } catch {
      return false;
    }
  });
}

it('one process per core on a file by default; SIGUSR2 is answered with a log line, not the end; SIGTERM stops it', async () => {
  ensureNodeBuild();
  t = await createTestDb();
  const port = await getFreePort();
  const host = spawnNodeScript({
    name: 'web-host-default',
    script: path.join(root, 'server/cluster.ts'),
    nodeArgs: ['--import', 'tsx'],
    cwd: root,
    env: {
      NODE_ENV: 'test',
      WEB_PROCESSES: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: t.url,
      COOKIE_SECURE: 'false',
      APP_FIXED_NOW: TEST_NOW,
      LOG_LEVEL: 'warn',
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/status.json`, { process: host, timeoutMs: 90_000 });
  const cores = availableParallelism();
  // One per core: forked workers beside the primary, or (one core) the primary serving alone.
  await waitUntil('a worker per core', async () => workersOf(host.pid).length === (cores > 1 ? cores : 0), { process: host, timeoutMs: 60_000 });
  const workers = workersOf(host.pid);

  process.kill(host.pid, 'SIGUSR2');
  await waitUntil('the SIGUSR2 line', async () => readFileSync(host.logFile, 'utf8').includes('store requests answered'), { process: host, timeoutMs: 10_000 });
  expect(isPidAlive(host.pid)).toBe(true);
  expect((await fetch(`${url}/status.json`)).status).toBe(200);

  await host.stop(10_000);
  expect(host.exitInfo()?.signal ?? null).toBeNull();
  expect(isPidAlive(host.pid)).toBe(false);
  for (const pid of workers) expect(isPidAlive(pid), `worker ${pid}`).toBe(false);
});
