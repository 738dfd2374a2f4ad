// HTTP req/s per screen (issue 13 item 3, decision 106): every screen as the role that uses it,
// through the Node host in production mode, as one process (WEB_PROCESSES=1, today's host) and as
// the cluster (WEB_PROCESSES = nproc: a primary holding the cache and limits, a worker per core).
// Each screen's req/s is printed beside /login's of the same setting (the target: every signed-in
// screen >= 0.6x /login). For the cluster, the primary is asked for its count of store requests
// (SIGUSR2) before and after each run: the IPC round trips one request costs.
// Load: autocannon (`npx -y autocannon@8.0.0`, its own process) on the same cores as the host.
//   npm run bench -- --only http [--from-db FILE] [--clients N --http-seconds 3 --http-connections 8]
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { ensureNodeBuild } from '../tests/support/node-build';
import { getFreePort } from '../tests/support/ports';
import { describeLog, spawnNodeScript, waitForHttp, waitUntil, type ManagedProcess } from '../tests/support/processes';
import { AUTOCANNON, autocannon, signIn, type AutocannonRun } from './http-client';
import { table } from './stats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Sequential requests per screen whose store round trips are counted (cluster only). */
const TRIP_SAMPLES = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Screen {
  role: 'anyone' | 'admin' | 'tele';
  label: string;
  path: string;
}

/** The screens, with ids read from the database (a client, an area, a branch, a user of FCASH). */
async function screensOf(databaseUrl: string): Promise<Screen[]> {
  const client = createClient({ url: databaseUrl });
  const one = async (sql: string) => Number((await client.execute(sql)).rows[0]?.[0]);
  const fcash = "(SELECT id FROM companies WHERE code = 'FCASH')";
  const clientId = await one(`SELECT id FROM clients WHERE company_id = ${fcash} ORDER BY id LIMIT 1`);
  const areaId = await one(`SELECT id FROM areas WHERE company_id = ${fcash} ORDER BY id LIMIT 1`);
  const branchId = await one(`SELECT id FROM branches WHERE company_id = ${fcash} ORDER BY id LIMIT 1`);
  const userId = await one("SELECT id FROM users WHERE email = 'tele.fcash@demo.test'");
  // Production mode runs on the real clock (APP_FIXED_NOW is ignored there): a database seeded for
  // another day has no rows in the real month, and an empty month is the cheapest page there is. The
  // period-driven screens ask for the newest month the database holds.
  const month = String((await client.execute("SELECT max(period_key) FROM client_period_status WHERE period_key NOT LIKE '%Q%'")).rows[0]?.[0] ?? '');
  client.close();
  const inMonth = (p: string) => (month ? `${p}?period=${month}` : p);
  // A static asset every page loads: the client entry's hashed file, served with a year's max-age.
  const entry = readdirSync(path.join(root, 'build/node/public/build')).find((f) => /^entry\.client-.*\.js$/.test(f));
  if (!entry) throw new Error('bench http: no build/node/public/build/entry.client-*.js');
  const asset = `/build/${entry}`;
  const admin = (label: string, p: string): Screen => ({ role: 'admin', label, path: p });
  return [
    { role: 'anyone', label: 'static asset', path: asset },
    { role: 'anyone', label: 'login', path: '/login' },
    { role: 'anyone', label: 'status.json', path: '/status.json' },
    { role: 'tele', label: 'workspace (tele)', path: inMonth('/workspace/fcash') },
    { role: 'tele', label: 'clients (tele)', path: '/clients' },
    { role: 'tele', label: 'client (tele)', path: `/clients/${clientId}` },
    admin('home', inMonth('/')),
    admin('workspace (admin)', inMonth('/workspace/fcash')),
    admin('clients', '/clients'),
    admin('client', `/clients/${clientId}`),
    admin('areas', '/areas'),
    admin('area', `/areas/${areaId}`),
    admin('branches', '/branches'),
    admin('branch', `/branches/${branchId}`),
    admin('reports', '/reports'),
    admin('status', '/status'),
    admin('users', '/admin/users'),
    admin('user', `/admin/users/${userId}`),
    admin('approvals', '/admin/approvals'),
    admin('audit', '/admin/audit'),
    admin('activity', '/admin/activity'),
    admin('config', '/admin/config'),
    admin('jobs', '/admin/jobs'),
    admin('periods', '/admin/periods'),
    admin('sync', '/admin/sync'),
  ];
}

/** The built host as its own process tree (server/cluster.ts), production mode, limits lifted. */
async function startHost(databaseUrl: string, processes: number): Promise<{ url: string; proc: ManagedProcess }> {
  const port = await getFreePort();
  const proc = spawnNodeScript({
    name: `bench-http-${processes}`,
    script: path.join(root, 'server/cluster.ts'),
    nodeArgs: ['--import', 'tsx'],
    cwd: root,
    env: {
      NODE_ENV: 'production',
      WEB_PROCESSES: String(processes),
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      COOKIE_SECURE: 'false',
      EXPORT_LINK_SECRET: 'bench-http-export-link-secret-0123456789abc',
      LOG_LEVEL: 'error',
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      // The bench is one IP and two users asking thousands of times a second: measure the pages, not the 429.
      RATE_LIMITS: 'read=100000000/60,write=100000000/60,public=100000000/60,loginUser=100000/300,loginIp=100000/300',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/status.json`, { process: proc, timeoutMs: 120_000 });
  return { url, proc };
}

/** The primary's count of store requests answered (it logs it on SIGUSR2). */
async function storeRequests(proc: ManagedProcess): Promise<number> {
  const lines = () =>
    readFileSync(proc.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"store requests answered"'));
  const before = lines().length;
  process.kill(proc.pid, 'SIGUSR2');
  await waitUntil('the primary’s store count', async () => lines().length > before, { process: proc, timeoutMs: 5_000 });
  return Number((JSON.parse(lines().at(-1)!) as { answered: number }).answered);
}

export async function benchHttpScreens(opts: { databaseUrl: string; seconds: number; connections: number; log: (s: string) => void }) {
  ensureNodeBuild();
  const cores = availableParallelism();
  const settings = [1, cores];
  const results = new Map<number, Map<string, (AutocannonRun & { trips?: number }) | { skipped: string }>>();
  let screens: Screen[] = [];
  let cookies: Record<Screen['role'], string | undefined> = { anyone: undefined, admin: undefined, tele: undefined };
  for (const processes of settings) {
    const host = await startHost(opts.databaseUrl, processes);
    const byScreen = new Map<string, (AutocannonRun & { trips?: number }) | { skipped: string }>();
    results.set(processes, byScreen);
    try {
      if (screens.length === 0) {
        screens = await screensOf(opts.databaseUrl);
        // Signed in once: both settings serve the same database, so the sessions hold for both.
        cookies = { anyone: undefined, admin: await signIn(host.url, 'admin@demo.test', 'http'), tele: await signIn(host.url, 'tele.fcash@demo.test', 'http') };
        // Each role's client page is one its own list links to (the tele agent reaches only some clients).
        for (const screen of screens.filter((s) => s.label.startsWith('client ') || s.label === 'client')) {
          const list = await (await fetch(`${host.url}/clients`, { headers: { cookie: cookies[screen.role]! } })).text();
          const linked = /href="(\/clients\/\d+)"/.exec(list)?.[1];
          if (linked) screen.path = linked;
        }
      }
      for (const screen of screens) {
        const cookie = cookies[screen.role];
        const check = await fetch(`${host.url}${screen.path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
        await check.arrayBuffer();
        if (check.status !== 200) {
          byScreen.set(screen.label, { skipped: `answers ${check.status}` });
          opts.log(`  ${processes} process(es) ${screen.path}: skipped, answers ${check.status}`);
          continue;
        }
        const run = await autocannon(`${host.url}${screen.path}`, { cookie, seconds: opts.seconds, connections: opts.connections });
        // Requests autocannon left in flight finish before the count and the next screen.
        await sleep(Math.min(5_000, Math.max(300, 2 * run.p99)));
        // Counted on a few sequential requests after the run: none in flight at either end of the count.
        let trips: number | undefined;
        if (processes > 1) {
          const before = await storeRequests(host.proc);
          for (let i = 0; i < TRIP_SAMPLES; i++)
            await (await fetch(`${host.url}${screen.path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} })).arrayBuffer();
          trips = ((await storeRequests(host.proc)) - before) / TRIP_SAMPLES;
        }
        byScreen.set(screen.label, { ...run, trips });
        opts.log(
          `  ${processes} process(es) ${screen.path}: ${run.rps.toFixed(0)} req/s p50 ${run.p50} ms p99 ${run.p99} ms` +
            `${run.non2xx || run.errors ? ` (${run.non2xx} non-2xx, ${run.errors} errors)` : ''}${trips !== undefined ? `, ${trips.toFixed(2)} IPC trips/req` : ''}`,
        );
      }
    } catch (error) {
      opts.log(describeLog(host.proc.logFile));
      throw error;
    } finally {
      await host.proc.stop(10_000);
    }
  }

  const cell = (processes: number, label: string) => results.get(processes)!.get(label);
  const loginRps = (processes: number) => {
    const r = cell(processes, 'login');
    return r && 'rps' in r ? r.rps : NaN;
  };
  const rows = screens.map((screen) => {
    const out: Array<string | number> = [screen.role, `\`${screen.path.startsWith('/build/') ? '/build/…js' : screen.path}\``];
    for (const processes of settings) {
      const r = cell(processes, screen.label);
      if (!r || 'skipped' in r) {
        out.push(r && 'skipped' in r ? r.skipped : '—', '', '', '', ...(processes > 1 ? ['', ''] : []));
        continue;
      }
      const flagged = r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} err)` : '';
      out.push(`${r.rps.toFixed(0)}${flagged}`, String(r.p50), String(r.p99), `${(r.rps / loginRps(processes)).toFixed(2)}x`);
      if (processes > 1) out.push((r.rps / processes).toFixed(0), r.trips === undefined ? '—' : r.trips.toFixed(2));
    }
    const one = cell(1, screen.label);
    const many = cell(cores, screen.label);
    out.push(one && many && 'rps' in one && 'rps' in many && one.rps > 0 ? `${(many.rps / one.rps).toFixed(2)}x` : '—');
    return out;
  });
  const signedIn = screens.filter((s) => s.role !== 'anyone').map((s) => cell(cores, s.label));
  const under = (limit: (r: AutocannonRun) => boolean) =>
    signedIn.filter((r): r is AutocannonRun & { trips?: number } => Boolean(r && 'rps' in r && limit(r))).length;
  return {
    markdown: [
      `### HTTP req/s per screen: one process and ${cores} (issue 13 item 3, decision 106)`,
      '',
      `The built Node host in production mode (\`server/cluster.ts\`), each screen as the role that uses it, ${AUTOCANNON} with ${opts.connections} connections for ${opts.seconds} s a screen, ` +
        `rate limits lifted (RATE_LIMITS). Left: WEB_PROCESSES=1 (one process, as before decision 106). Right: WEB_PROCESSES=${cores} (nproc): ` +
        `a primary holding the cache and limiter and ${cores} workers; "per process" is the machine's req/s over ${cores}; ` +
        `"IPC trips/req" is the primary's count of store requests (cache and limiter) over ${TRIP_SAMPLES} sequential requests after the run. ` +
        `The two settings run one after the other, so a change in the machine's load between them shows in "${cores} / 1". ` +
        `**autocannon runs on the same ${cores} cores as the host** (and so do other sessions' jobs): the figures are a floor, not the machine's ceiling.`,
      '',
      table(
        [
          'role',
          'path',
          '1 proc req/s',
          'p50 ms',
          'p99 ms',
          'vs /login',
          `${cores} proc req/s (machine)`,
          'p50 ms',
          'p99 ms',
          'vs /login',
          'per process',
          'IPC trips/req',
          `${cores} / 1`,
        ],
        rows,
      ),
      '',
      `Signed-in screens under 0.6x /login with ${cores} processes: ${under((r) => r.rps < 0.6 * loginRps(cores))} of ${signedIn.length}; under 200 req/s: ${under((r) => r.rps < 200)}.`,
    ].join('\n'),
  };
}
