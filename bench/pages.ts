// Lighthouse 12 (mobile preset: simulated slow 4G, 4x CPU, Moto G-sized screen) on every screen, signed
// in as the role that uses it, against the built Node app in production mode on the demo data.
// Lighthouse runs as its own process (`npx -y lighthouse@12.2.3`, Debian chromium via CHROME_PATH); the
// session cookie goes in --extra-headers, so no puppeteer and no login inside Lighthouse.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { startNodeServer } from '../server/node';
import { ensureNodeBuild } from '../tests/support/node-build';
import { signIn } from './http-client';
import { table } from './stats';

export const LIGHTHOUSE = 'lighthouse@12.2.3';

type Role = 'admin' | 'area' | 'branch' | 'tele' | 'none';
const LOGIN: Record<Exclude<Role, 'none'>, string> = {
  admin: 'admin@demo.test',
  area: 'area.ncr@demo.test',
  branch: 'branch.mnla01@demo.test',
  tele: 'tele.fcash@demo.test',
};

export interface PageResult {
  screen: string;
  path: string;
  role: Role;
  performance: number;
  accessibility: number;
  fcpMs: number;
  tbtMs: number;
  domNodes: number;
  transferBytes: number;
  failedA11y: string[];
}

/** Each screen once, for the role whose daily screen it is (admin for the admin screens). */
async function screens(databaseUrl: string): Promise<Array<{ screen: string; path: string; role: Role }>> {
  const db = createClient({ url: databaseUrl });
  const one = async (sql: string) => Number((await db.execute(sql)).rows[0]?.[0]);
  try {
    const client = await one(
      "SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1",
    );
    const area = await one("SELECT id FROM areas WHERE code = 'NCR' LIMIT 1");
    const branch = await one("SELECT id FROM branches WHERE code = 'MNLA01' LIMIT 1");
    const user = await one("SELECT id FROM users WHERE email = 'branch.mnla01@demo.test'");
    return [
      { screen: 'login', path: '/login', role: 'none' },
      { screen: 'dashboard', path: '/', role: 'area' },
      { screen: 'performance', path: '/reports', role: 'area' },
      { screen: 'clients', path: '/clients', role: 'branch' },
      { screen: 'clients (100 rows)', path: '/clients?pageSize=100', role: 'branch' },
      { screen: 'client detail', path: `/clients/${client}`, role: 'branch' },
      { screen: 'workspace FCASH', path: '/workspace/fcash', role: 'tele' },
      { screen: 'workspace FCASH (100 rows)', path: '/workspace/fcash?pageSize=100', role: 'tele' },
      { screen: 'workspace PCNI (admin, bulk)', path: '/workspace/pcni', role: 'admin' },
      { screen: 'areas', path: '/areas', role: 'area' },
      { screen: 'area detail', path: `/areas/${area}`, role: 'area' },
      { screen: 'branches', path: '/branches', role: 'area' },
      { screen: 'branch detail', path: `/branches/${branch}`, role: 'area' },
      { screen: 'users', path: '/admin/users', role: 'admin' },
      { screen: 'new user', path: '/admin/users/new', role: 'admin' },
      { screen: 'user detail', path: `/admin/users/${user}`, role: 'admin' },
      { screen: 'config', path: '/admin/config', role: 'admin' },
      { screen: 'config table', path: '/admin/config/status-reasons', role: 'admin' },
      { screen: 'audit', path: '/admin/audit', role: 'admin' },
      { screen: 'activity', path: '/admin/activity', role: 'admin' },
      { screen: 'periods', path: '/admin/periods', role: 'admin' },
      { screen: 'sync', path: '/admin/sync', role: 'admin' },
      { screen: 'jobs', path: '/admin/jobs', role: 'admin' },
      { screen: 'approvals', path: '/admin/approvals', role: 'admin' },
      { screen: 'exports', path: '/reports/exports?type=client_status&company=fcash', role: 'area' },
      { screen: 'password', path: '/account/password', role: 'branch' },
      { screen: 'sessions', path: '/account/sessions', role: 'branch' },
      { screen: 'status', path: '/status', role: 'admin' },
    ];
  } finally {
    db.close();
  }
}

/** Lighthouse's own "please run Lighthouse again" failures (a trace without a navigation start): retried, twice at most. */
async function lighthouse(url: string, cookie: string | null, outFile: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await lighthouseOnce(url, cookie, outFile);
    } catch (error) {
      if (attempt >= 3 || !/Please run Lighthouse again/.test(String(error))) throw error;
      process.stderr.write(`  lighthouse asked to be run again (attempt ${attempt}): ${url}\n`);
    }
  }
}

function lighthouseOnce(url: string, cookie: string | null, outFile: string): Promise<void> {
  const args = [
    '-y',
    LIGHTHOUSE,
    url,
    '--quiet',
    '--output=json',
    `--output-path=${outFile}`,
    '--only-categories=performance,accessibility',
    '--max-wait-for-load=60000',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking',
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  return new Promise((done, fail) => {
    const child = spawn('npx', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`lighthouse ${url} exited ${code}:\n${err.slice(-2000)}`))));
  });
}

interface LhReport {
  finalDisplayedUrl: string;
  categories: Record<string, { score: number }>;
  audits: Record<string, { score: number | null; numericValue?: number; scoreDisplayMode: string }>;
}

function readReport(file: string, expectedPath: string): Omit<PageResult, 'screen' | 'path' | 'role'> {
  const lhr = JSON.parse(readFileSync(file, 'utf8')) as LhReport;
  const landed = new URL(lhr.finalDisplayedUrl);
  if (landed.pathname !== expectedPath.split('?')[0]) throw new Error(`bench pages: ${expectedPath} ended on ${landed.pathname} (not signed in?)`);
  const a = lhr.audits;
  const a11yIds = Object.keys(a).filter((id) => a[id].scoreDisplayMode === 'binary' && a[id].score === 0);
  return {
    performance: lhr.categories.performance.score,
    accessibility: lhr.categories.accessibility.score,
    fcpMs: a['first-contentful-paint'].numericValue ?? NaN,
    tbtMs: a['total-blocking-time'].numericValue ?? NaN,
    domNodes: a['dom-size'].numericValue ?? NaN,
    transferBytes: a['total-byte-weight'].numericValue ?? NaN,
    failedA11y: a11yIds,
  };
}

export async function benchPages(opts: { dir: string; clients: number; log: (s: string) => void; screens?: string[]; before?: PageResult[]; json?: string }) {
  ensureNodeBuild();
  const databaseUrl = `file:${join(opts.dir, 'pages.db')}`;
  const root = resolve(import.meta.dirname, '..');
  opts.log(`  seeding ${opts.clients.toLocaleString('en-US')} demo clients (scripts/prepare-db.ts)`);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Manila' }).format(new Date());
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/prepare-db.ts'), '--clients', String(opts.clients), '--today', today], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
  });
  if (prepared.status !== 0) throw new Error(`bench pages: prepare-db failed\n${prepared.stderr}`);
  const server = await startNodeServer({
    port: 0,
    host: '127.0.0.1',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      EXPORT_LINK_SECRET: 'bench-pages-export-link-secret-0123456789',
      DATABASE_URL: databaseUrl,
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'error',
      RATE_LIMITS: 'read=100000/60',
    },
  });
  const results: PageResult[] = [];
  try {
    const cookies = new Map<Role, string | null>([['none', null]]);
    let list = await screens(databaseUrl);
    if (opts.screens?.length) list = list.filter((s) => opts.screens!.some((x) => s.path === x || s.screen === x));
    for (const s of list) {
      if (!cookies.has(s.role)) cookies.set(s.role, await signIn(server.url, LOGIN[s.role as Exclude<Role, 'none'>], 'pages'));
      // One report a screen in the bench's temp dir (`--keep` leaves them for a look at the traces' breakdown).
      const file = join(opts.dir, `lhr-${results.length + 1}-${s.path.replace(/[^a-z0-9]+/gi, '_')}.json`);
      await lighthouse(`${server.url}${s.path}`, cookies.get(s.role)!, file);
      const r = { ...s, ...readReport(file, s.path) };
      results.push(r);
      opts.log(
        `  ${s.path} (${s.role}): perf ${r.performance} a11y ${r.accessibility} TBT ${Math.round(r.tbtMs)} ms FCP ${Math.round(r.fcpMs)} ms ` +
          `DOM ${r.domNodes} transfer ${(r.transferBytes / 1024).toFixed(1)} KB${r.failedA11y.length ? ` failed: ${r.failedA11y.join(', ')}` : ''}`,
      );
    }
  } finally {
    await server.close();
  }
  if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2));
  return { results, markdown: pagesMarkdown(results, opts.before) };
}

const kb = (b: number) => (b / 1024).toFixed(1);
const ms = (v: number) => String(Math.round(v));

function pagesMarkdown(results: PageResult[], before?: PageResult[]) {
  const was = (r: PageResult) => before?.find((b) => b.path === r.path);
  const pair = (r: PageResult, pick: (x: PageResult) => string) => {
    const b = was(r);
    return b ? `${pick(b)} → ${pick(r)}` : pick(r);
  };
  const rows = results.map((r) => [
    r.screen,
    `\`${r.path}\``,
    r.role,
    pair(r, (x) => x.performance.toFixed(2)),
    pair(r, (x) => x.accessibility.toFixed(2)),
    pair(r, (x) => ms(x.tbtMs)),
    pair(r, (x) => ms(x.fcpMs)),
    pair(r, (x) => String(x.domNodes)),
    pair(r, (x) => kb(x.transferBytes)),
  ]);
  const failed = results.filter((r) => r.failedA11y.length).map((r) => `- \`${r.path}\`: ${r.failedA11y.join(', ')}`);
  return [
    '### Pages: Lighthouse 12 mobile, signed in',
    '',
    `Lighthouse ${LIGHTHOUSE.split('@')[1]} mobile preset (simulated slow 4G, 4x CPU slowdown) with Debian chromium, one run per screen, ` +
      'on the built Node app in production mode with the demo data, signed in as the role that uses the screen (session cookie via ' +
      '`--extra-headers`). A first visit: nothing cached. TBT and FCP are simulated (Lantern) from a trace taken on a shared 2-CPU ' +
      `machine, so they move by tens of ms between runs.${before ? ' Each cell is before → after.' : ''}`,
    '',
    table(['screen', 'path', 'role', 'performance', 'accessibility', 'TBT ms', 'FCP ms', 'DOM elements', 'transfer KB'], rows),
    ...(failed.length ? ['', 'Failed accessibility audits:', '', ...failed] : []),
  ].join('\n');
}
