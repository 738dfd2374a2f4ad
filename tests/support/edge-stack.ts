import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NOW, TEST_TODAY } from './app-server';
import { getFreePort, isPortFree, startOnFreePort } from './ports';
import { describeLog, isPidAlive, spawnNodeScript, waitForPort, type ManagedProcess } from './processes';
import { startRedis } from './redis';
import { startRoundTripProxies, type RoundTripProxies } from './round-trip-proxy';
import { startSqld } from './sqld';

// The edge deployment on one machine: the Workers build under `wrangler dev` (workerd) against the
// real sqld (Turso's protocol) and the local Upstash REST endpoint over a real redis-server.
// Every process is started directly and stopped by its own PID (docs/decisions/023).

const root = fileURLToPath(new URL('../..', import.meta.url));
export const WORKER_BUILD = path.join(root, 'build/worker/index.js');
// bin/wrangler.js only re-spawns this file with these flags; running it ourselves keeps the PID
// we hold the wrangler process itself (a SIGKILL to the wrapper would orphan wrangler and workerd).
const WRANGLER_CLI = path.join(root, 'node_modules/wrangler/wrangler-dist/cli.js');

export interface EdgeStackOptions {
  /** Port of the Worker; a free one when omitted. */
  port?: number;
  /** Demo clients to seed into the fresh database (default 1500). */
  clients?: number;
  /** Extra Worker variables, e.g. { RATE_LIMITS: 'read=15/60' }. */
  env?: Record<string, string>;
  /**
   * 'fixed' (default, for tests): data seeded for TEST_TODAY and the Worker clock pinned to TEST_NOW.
   * 'real': seeded for the real today, real clock (for people using a browser).
   */
  clock?: 'fixed' | 'real';
  /**
   * Put the counting (and delaying) proxy between the Worker and sqld / Upstash REST
   * (tests/support/round-trip-proxy.ts); the stack's `roundTrips` reads what it recorded.
   */
  roundTrips?: { delayMs?: number };
  /** Called with a short line for each step (start-edge prints them). */
  onStep?: (message: string) => void;
}

export interface EdgeStack {
  url: string;
  sqldUrl: string;
  upstashUrl: string;
  /** The wrangler dev log (workerd's console output and errors land here). */
  logFile: string;
  /** The libSQL server alone, for fault tests: stop it, then start it again on the same port and data. */
  sqld: { stop(): Promise<void>; restart(): Promise<void> };
  /** The Worker's round trips to libSQL and Upstash, when started with `roundTrips`. */
  roundTrips?: RoundTripProxies;
  stop(): Promise<void>;
}

export async function startEdgeStack(options: EdgeStackOptions = {}): Promise<EdgeStack> {
  if (!existsSync(WORKER_BUILD)) {
    throw new Error(`The Worker build is missing (${WORKER_BUILD}). Build it first: node scripts/build.mjs worker`);
  }
  const step = options.onStep ?? (() => {});
  const clock = options.clock ?? 'fixed';
  // Everything on disk (sqld's database, the env file, wrangler's state) lives in one temp directory.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'edge-stack-'));
  const workerd: Pids = [];
  // Last resort if this process exits without stop(), as processes.ts does for what it spawned:
  // workerd runs as wrangler's child and outlives a SIGKILLed wrangler, so we kill it by PID too.
  const onExit = () => {
    killIfSame(workerd);
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    // Reverse order: the Worker first, then what it talks to.
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
    process.off('exit', onExit);
  };
  try {
    const sqldDir = path.join(tmp, 'data.sqld');
    const [firstSqld, redis] = await Promise.all([startSqld({ dir: sqldDir }), startRedis()]);
    let sqld = firstSqld;
    stops.push(() => sqld.stop(), redis.stop);
    const sqldControl = {
      stop: () => sqld.stop(),
      restart: async () => {
        sqld = await startSqld({ dir: sqldDir, port: firstSqld.port });
      },
    };
    step(`sqld ${sqld.url} (pid ${sqld.pid}), redis-server ${redis.url} (pid ${redis.pid})`);

    const token = `local-${Math.random().toString(36).slice(2)}`;
    const upstash = await startOnFreePort(undefined, (port) =>
      startProcess(
        spawnNodeScript({
          name: `upstash-rest-${port}`,
          script: path.join(root, 'tests/support/upstash-rest/cli.ts'),
          nodeArgs: ['--import', 'tsx'],
          args: ['--port', String(port), '--redis-port', String(redis.port)],
          cwd: root,
          env: { UPSTASH_REDIS_REST_TOKEN: token },
        }),
        (proc) => waitForPort(port, { process: proc }),
      ).then((proc) => ({ proc, url: `http://127.0.0.1:${port}` })),
    );
    stops.push(() => upstash.proc.stop());
    step(`Upstash REST ${upstash.url} (pid ${upstash.proc.pid})`);

    const clients = options.clients ?? 1500;
    const started = Date.now();
    await prepareDb(sqld.url, clients, clock === 'fixed' ? TEST_TODAY : undefined);
    step(`database migrated and seeded with ${clients} clients in ${Date.now() - started} ms`);

    const roundTrips = options.roundTrips ? await startRoundTripProxies({ libsql: sqld.url, upstash: upstash.url }, options.roundTrips) : undefined;
    if (roundTrips) {
      stops.push(() => roundTrips.stop());
      step(`round-trip proxies: libSQL ${roundTrips.libsqlUrl}, Upstash ${roundTrips.upstashUrl} (+${roundTrips.delayMs} ms each)`);
    }

    const envFile = path.join(tmp, 'worker.env');
    const vars: Record<string, string> = {
      NODE_ENV: 'test', // overrides wrangler.toml's "production": demo cookie name, COOKIE_SECURE honoured
      DATABASE_URL: roundTrips?.libsqlUrl ?? sqld.url,
      UPSTASH_REDIS_REST_URL: roundTrips?.upstashUrl ?? upstash.url,
      UPSTASH_REDIS_REST_TOKEN: token,
      COOKIE_SECURE: 'false', // plain http on 127.0.0.1
      LOG_LEVEL: 'warn',
      ...(clock === 'fixed' ? { APP_FIXED_NOW: TEST_NOW } : {}),
      ...options.env,
    };
    writeFileSync(
      envFile,
      Object.entries(vars)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );

    const worker = await startOnFreePort(options.port, async (port) => {
      // Otherwise wrangler's failure to bind would go unseen: the check below would reach whatever holds the port.
      if (!(await isPortFree(port))) throw new Error(`port ${port} on 127.0.0.1 is taken (address already in use)`);
      const inspectorPort = await getFreePort();
      const proc = spawnNodeScript({
        name: `wrangler-${port}`,
        script: WRANGLER_CLI,
        nodeArgs: ['--no-warnings', '--experimental-vm-modules'],
        args: [
          'dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(port),
          '--inspector-port',
          String(inspectorPort),
          '--env-file',
          envFile,
          '--show-interactive-dev-session=false',
          '--persist-to',
          path.join(tmp, 'state'),
        ],
        cwd: root,
        env: {
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_LOG_PATH: path.join(tmp, 'wrangler-logs'),
          FORCE_COLOR: '0',
          // Only the env file reaches the Worker, whatever the caller's shell has set.
          CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: 'true',
          CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
        },
      });
      const url = `http://127.0.0.1:${port}`;
      // One health request once the port is open: the first one waits for workerd to load the
      // bundle (seconds), and polling it would spend the per-IP "public" limit of /status.json.
      await startProcess(proc, async (p) => {
        await waitForPort(port, { process: p, timeoutMs: 60_000 });
        await expectHealthy(url, p);
      });
      return { proc, url };
    });
    workerd.push(...descendants(worker.proc.pid));
    stops.push(() => stopWithDescendants(worker.proc, workerd));
    step(`wrangler dev ${worker.url} (pid ${worker.proc.pid}), log ${worker.proc.logFile}`);

    return { url: worker.url, sqldUrl: sqld.url, upstashUrl: upstash.url, logFile: worker.proc.logFile, sqld: sqldControl, roundTrips, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits for `ready`; stops the process if it never gets there (and rethrows). */
async function startProcess(proc: ManagedProcess, ready: (proc: ManagedProcess) => Promise<void>): Promise<ManagedProcess> {
  try {
    await ready(proc);
    return proc;
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** The Worker answers; now it must also say it is healthy, or we show why (its log has the error). */
async function expectHealthy(url: string, proc: ManagedProcess): Promise<void> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${url}/status.json`, { signal: AbortSignal.timeout(60_000) });
    body = await response.text();
  } catch (error) {
    if (proc.exitInfo()) throw new Error(`wrangler exited before the Worker answered\n${describeLog(proc.logFile)}`);
    throw new Error(`the Worker at ${url} did not answer /status.json: ${(error as Error).message}\n${describeLog(proc.logFile)}`);
  }
  if (response.status !== 200) {
    throw new Error(`the Worker at ${url} is not healthy: /status.json answered ${response.status} ${body.slice(0, 500)}\n${describeLog(proc.logFile)}`);
  }
}

/** scripts/prepare-db.ts against sqld: migrate, then seed demo data (NODE_ENV=test). */
async function prepareDb(databaseUrl: string, clients: number, today: string | undefined): Promise<void> {
  const proc = spawnNodeScript({
    name: 'prepare-db',
    script: path.join(root, 'scripts/prepare-db.ts'),
    nodeArgs: ['--import', 'tsx'],
    args: ['--clients', String(clients), ...(today ? ['--today', today] : [])],
    cwd: root,
    env: { DATABASE_URL: databaseUrl, DATABASE_AUTH_TOKEN: '', NODE_ENV: 'test' },
  });
  const { code, signal } = await proc.exited;
  if (code !== 0) throw new Error(`prepare-db failed for ${databaseUrl} (code ${code}, signal ${signal})\n${describeLog(proc.logFile)}`);
}

type Pids = Array<{ pid: number; cmdline: string }>;

/**
 * SIGTERM lets wrangler stop workerd; anything of its process tree still alive afterwards (e.g.
 * when wrangler was SIGKILLed: workerd ignores SIGTERM) is SIGKILLed by PID.
 */
async function stopWithDescendants(proc: ManagedProcess, known: Pids): Promise<void> {
  const tree = [...known, ...descendants(proc.pid)];
  await proc.stop();
  killIfSame(tree);
}

/** SIGKILLs each PID still running the same command line (so a reused PID is left alone). */
function killIfSame(pids: Pids): void {
  for (const { pid, cmdline } of pids) {
    try {
      if (isPidAlive(pid) && readCmdline(pid) === cmdline) process.kill(pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  }
}

function descendants(pid: number): Pids {
  const out: Pids = [];
  for (const child of childPids(pid)) out.push({ pid: child, cmdline: readCmdline(child) }, ...descendants(child));
  return out;
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return []; // gone, or no /proc (not Linux)
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
