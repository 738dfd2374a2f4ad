// npm run bench [-- --clients N --periods 12 --only seed,list,status,counts,signin,jobs --out bench/RESULTS.md --today YYYY-MM-DD --iterations 200 --keep]
// (jobs: --claim-jobs 1000,10000 --claims 500; needs no seeded data)
// (exports: --export-clients N (default --clients): clients and status exports, CSV and XLSX, beside the SELECT → csv-stringify baseline;
//  --export-repeat N: interleaved rounds, fastest kept; --export-kill: also a service SIGKILLed mid-way through the full clients XLSX; its section is written between <!-- exports --> markers)
// (snowflake: the sync of --clients rows through the real SDK from the fake; needs no seeded data)
// (pages: Lighthouse on every screen, own demo database of --pages-clients (20,000); --screens /a,/b to pick,
//  --pages-json FILE to keep the raw figures, --pages-before FILE to print before → after; its section is
//  written between <!-- pages --> markers, so `--only pages` leaves the rest of RESULTS.md as it is)
// (growth: --growth 20000=FILE,200000=FILE,1000000=FILE: the same screen paths timed on each kept database, one table,
//  then the exports on the same copy (one process each, --export-repeat rounds), a second table;
//  --growth-only screens or --growth-only exports runs one of the two)
// (--from-db FILE: a copy of a database seeded by an earlier run, migrated to the current schema, instead of seeding;
//  a missing FILE is seeded there first with --clients and kept, so 1M clients are seeded once)
// (load: --load-users 200 signed-in users for --load-seconds 60 on the built Node host in production mode, own demo
//  database of --load-clients (20,000); written between <!-- load --> markers like pages)
// (edge: page times on the Workers build with --edge-delay ms (20) added to each round trip to libSQL and Upstash,
//  beside +0 ms in the same run; --edge-clients (1000), --edge-rounds (15), --edge-json FILE keeps the figures,
//  --edge-before FILE prints before → after; written between <!-- edge --> markers; needs `node scripts/build.mjs worker`)
// (http: req/s per screen through the built Node host, one process and one per core (WEB_PROCESSES = nproc),
//  on the seeded (or --from-db) database; --http-seconds (3) a screen, --http-connections (8); decision 106)
// Builds a fresh dataset in a temp dir; prints each figure beside its baseline from the same run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAppEnv } from '../app/platform/env';
import { benchJobClaim } from './job-claim';
import { benchListLoader } from './list-loader';
import { benchSeed, copiedDatabase, seedKeptDatabase, seededDatabase } from './seed-throughput';
import type { Client } from '@libsql/client';
import type { AppDatabase } from '../db/database';
import { benchStatusScreens } from './status-screens';
import { benchStatusCounts } from './status-counts';
import { benchSignIn } from './sign-in';
import { benchSignInHttp } from './sign-in-http';
import { benchSnowflakeSync } from './snowflake-sync';
import { benchPages, type PageResult } from './pages';
import { benchExports } from './exports';
import { benchLoad, benchLoadEdge } from './load';
import { benchEdgeTrips } from './edge-trips';
import { benchGrowth, parseGrowthParts, parseGrowthSizes } from './growth';
import { benchHttpScreens } from './http-screens';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200000' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
    today: { type: 'string', default: '2026-11-15' },
    iterations: { type: 'string', default: '200' },
    'row-sample': { type: 'string', default: '5000' },
    periods: { type: 'string', default: '12' },
    // Comma-separated section names to run (default all): seed is always run when a later section needs data.
    only: { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    'claim-jobs': { type: 'string', default: '1000,10000' },
    claims: { type: 'string', default: '500' },
    'pages-clients': { type: 'string', default: '20000' },
    screens: { type: 'string', default: '' },
    'pages-json': { type: 'string' },
    'pages-before': { type: 'string' },
    // list/status/signin on a copy of a database seeded earlier (e.g. a --keep run's bench.db) instead of
    // seeding again; pending migrations are applied to it first, and their time is printed. A missing file
    // is seeded first (chunked, timed) and kept for the next run.
    'from-db': { type: 'string' },
    // exports: its own dataset of this many clients (default --clients)
    'export-clients': { type: 'string' },
    // exports: also SIGKILL a service process mid-way through a full clients XLSX export and time the recovery
    'export-kill': { type: 'boolean', default: false },
    // exports: rounds of each export measurement, interleaved; the fastest is reported
    'export-repeat': { type: 'string', default: '1' },
    'load-users': { type: 'string', default: '200' },
    'load-seconds': { type: 'string', default: '60' },
    'load-clients': { type: 'string', default: '20000' },
    // a database scripts/prepare-db.ts seeded for today with --load-clients clients: copied instead of seeding
    'load-db': { type: 'string' },
    // the Workers variant of the load run (wrangler dev + sqld + Upstash REST); 0 skips it
    'load-edge-users': { type: 'string', default: '50' },
    'load-edge-clients': { type: 'string', default: '3000' },
    'edge-delay': { type: 'string', default: '20' },
    'edge-clients': { type: 'string', default: '1000' },
    'edge-rounds': { type: 'string', default: '15' },
    'edge-json': { type: 'string' },
    'edge-before': { type: 'string' },
    // growth: N=FILE,N=FILE… kept databases (seeded by --only prepare --from-db FILE), the same paths timed at each size
    growth: { type: 'string' },
    // growth: which parts to run at each size: screens (paths, status update, period initialization), exports
    'growth-only': { type: 'string', default: 'screens,exports' },
    'http-seconds': { type: 'string', default: '3' },
    'http-connections': { type: 'string', default: '8' },
  },
});
const clients = Number(values.clients);
if (!Number.isInteger(clients) || clients < 1) throw new Error(`--clients must be a positive integer, got ${values.clients}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(values.today!)) throw new Error('--today must be YYYY-MM-DD');
const growthParts = parseGrowthParts(values['growth-only']!); // refused before any work starts

const log = (s: string) => process.stderr.write(`${s}\n`);
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();
const machine = `${availableParallelism()} CPUs (nproc), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const bcryptCost = parseAppEnv({ ...process.env, NODE_ENV: 'test' }).BCRYPT_COST;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadAtStart = load();
const dir = mkdtempSync(join(tmpdir(), 'client-updater-bench-'));
log(`bench: ${machine}\nbench: ${clients.toLocaleString('en-US')} clients, today ${values.today}, files in ${dir}`);
const sections: string[] = [];
// Sections kept between <!-- name --> markers: rewritten in place when they run, kept as they are otherwise.
const marked = new Map<string, string>();
const show = (markdown: string) => {
  sections.push(markdown);
  console.log(`\n${markdown}\n`);
};
const only = new Set(
  (values.only ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const want = (section: string) => only.size === 0 || only.has(section);
try {
  const periods = Number(values.periods);
  const needsData = ['list', 'status', 'counts', 'signin', 'http'].some(want);
  let seeded: { client: Client; db: AppDatabase; url: string } | null = null;
  if (want('seed')) {
    log('bench: seed throughput');
    const result = await benchSeed({ dir, clients, today: values.today!, periods, rowByRowSample: Number(values['row-sample']), log });
    show(result.markdown);
    seeded = result;
  } else if (values['from-db']) {
    // `--only prepare --from-db FILE` just seeds FILE (in the background, once) for later runs
    const seedLine = await seedKeptDatabase({ file: values['from-db'], clients, today: values.today!, periods, log });
    if (seedLine) show(`### Seed (kept for --from-db)\n\n${seedLine}`);
    if (needsData) seeded = await copiedDatabase(values['from-db'], dir, log);
  } else if (needsData) {
    log('bench: seeding (no throughput section)');
    seeded = await seededDatabase({ dir, clients, today: values.today!, periods });
  }
  if (seeded && want('list')) {
    log('bench: clients list loader path');
    show(
      (await benchListLoader({ client: seeded.client, db: seeded.db, today: values.today!, iterations: Number(values.iterations), budgetMs: 15_000, log }))
        .markdown,
    );
  }
  if (seeded && want('status')) {
    log('bench: status tracking screens');
    show(
      (
        await benchStatusScreens({
          client: seeded.client,
          db: seeded.db,
          today: values.today!,
          periods,
          iterations: Math.min(100, Number(values.iterations)),
          log,
        })
      ).markdown,
    );
  }
  if (seeded && want('counts')) {
    log('bench: counts from the maintained aggregates');
    show(
      (await benchStatusCounts({ client: seeded.client, db: seeded.db, today: values.today!, iterations: Math.min(50, Number(values.iterations)), log }))
        .markdown,
    );
  }
  seeded?.client.close();
  if (values.growth && want('growth')) {
    log('bench: growth curve');
    const sizes = parseGrowthSizes(values.growth);
    const loadBefore = load();
    const result = await benchGrowth({
      sizes,
      dir,
      today: values.today!,
      iterations: Math.min(50, Number(values.iterations)),
      log,
      parts: growthParts,
      exportRepeat: Number(values['export-repeat']),
    });
    show(`${result.markdown}\n\n- load average (1/5/15 min): ${loadBefore} before this section, ${load()} after it`);
  }
  if (seeded && want('signin')) {
    log('bench: sign-in on Node');
    show((await benchSignInHttp({ databaseUrl: seeded.url, runs: 20, log })).markdown);
    log('bench: sign-in cost');
    show((await benchSignIn({ chosenCost: bcryptCost, runs: 20, log })).markdown);
  }
  if (seeded && want('http')) {
    log('bench: HTTP req/s per screen (one process, then one per core)');
    const loadBefore = load();
    const result = await benchHttpScreens({
      databaseUrl: seeded.url,
      seconds: Number(values['http-seconds']),
      connections: Number(values['http-connections']),
      log,
    });
    show(`${result.markdown}\n\n- load average (1/5/15 min): ${loadBefore} before this section, ${load()} after it`);
  }
  if (want('jobs')) {
    log('bench: job claim rate');
    show((await benchJobClaim({ dir, jobs: values['claim-jobs']!.split(',').map(Number), claims: Number(values.claims), log })).markdown);
  }
  if (want('snowflake')) {
    log('bench: snowflake sync');
    show((await benchSnowflakeSync({ dir, rows: clients, today: values.today!, rowByRowSample: Number(values['row-sample']), log })).markdown);
  }
  if (want('exports')) {
    log('bench: exports');
    const exportClients = Number(values['export-clients'] ?? clients);
    const loadBefore = load();
    const result = await benchExports({
      dir,
      clients: exportClients,
      today: values.today!,
      log,
      kill: values['export-kill'],
      repeat: Number(values['export-repeat']),
    });
    marked.set(
      'exports',
      [
        '<!-- exports -->',
        result.markdown,
        '',
        `- date: ${new Date().toISOString()}; machine: ${machine}`,
        `- command: \`${command}\``,
        `- load average (1/5/15 min): ${loadBefore} at start, ${load()} at end. The 2 CPUs are shared with other engineers' sessions (builds, tests,`,
        '  benchmarks): a line can be slowed by work outside this bench; each ratio compares lines of the same run, which shared the same load.',
        '<!-- /exports -->',
      ].join('\n'),
    );
    console.log(`\n${marked.get('exports')}\n`);
  }
  if (want('pages')) {
    log('bench: pages (Lighthouse)');
    const before = values['pages-before'] ? (JSON.parse(readFileSync(values['pages-before'], 'utf8')) as PageResult[]) : undefined;
    const result = await benchPages({
      dir,
      clients: Number(values['pages-clients']),
      log,
      before,
      json: values['pages-json'],
      screens: values.screens ? values.screens.split(',').map((x) => x.trim()) : undefined,
    });
    const pagesSection = [
      '<!-- pages -->',
      '## Pages (Lighthouse)',
      '',
      `- date: ${new Date().toISOString()}; machine: ${machine}`,
      `- command: \`${command}\``,
      `- load average (1/5/15 min): ${loadAtStart} at start, ${load()} at end`,
      `- dataset: ${Number(values['pages-clients']).toLocaleString('en-US')} demo clients (scripts/prepare-db.ts), today's date in Asia/Manila`,
      '',
      result.markdown,
      '<!-- /pages -->',
    ].join('\n');
    marked.set('pages', pagesSection);
    console.log(`\n${pagesSection}\n`);
  }
  if (want('load')) {
    log('bench: load (signed-in users, Node host)');
    const loadClients = Number(values['load-clients']);
    const result = await benchLoad({
      dir,
      clients: loadClients,
      users: Number(values['load-users']),
      seconds: Number(values['load-seconds']),
      log,
      ...(values['load-db'] ? { fromDb: values['load-db'] } : {}),
    });
    const edgeUsers = Number(values['load-edge-users']);
    const edge =
      edgeUsers > 0
        ? await benchLoadEdge({ clients: Number(values['load-edge-clients']), users: edgeUsers, seconds: Number(values['load-seconds']), log })
        : null;
    const loadSection = [
      '<!-- load -->',
      '## Load (issue 14)',
      '',
      `- date: ${new Date().toISOString()}; machine: ${machine}`,
      `- command: \`${command}\``,
      `- load average (1/5/15 min): ${loadAtStart} at start, ${load()} at end (other engineers' work shares these 2 cores)`,
      `- dataset: ${loadClients.toLocaleString('en-US')} demo clients (scripts/prepare-db.ts), today's date in Asia/Manila`,
      '',
      result.markdown,
      ...(edge
        ? ['', `Workers: ${Number(values['load-edge-clients']).toLocaleString('en-US')} demo clients in sqld, TEST_TODAY's data and clock.`, '', edge.markdown]
        : []),
      '<!-- /load -->',
    ].join('\n');
    marked.set('load', loadSection);
    console.log(`\n${loadSection}\n`);
  }
  if (want('edge')) {
    log('bench: edge round trips (Workers build, delaying proxy)');
    const delayMs = Number(values['edge-delay']);
    const result = await benchEdgeTrips({
      clients: Number(values['edge-clients']),
      rounds: Number(values['edge-rounds']),
      delayMs,
      before: values['edge-before'],
      json: values['edge-json'],
      log,
    });
    const edgeSection = [
      '<!-- edge -->',
      '## Edge round trips (issue 13 item 4, decision 103)',
      '',
      `- date: ${new Date().toISOString()}; machine: ${machine}`,
      `- command: \`${command}\``,
      `- load average (1/5/15 min): ${loadAtStart} at start, ${load()} at end (other engineers' work shares these 2 cores)`,
      `- stack: the Workers build under wrangler dev, sqld and the Upstash REST endpoint over redis-server, ${Number(values['edge-clients']).toLocaleString('en-US')} demo clients, TEST_TODAY's data and clock; the counting proxy (tests/support/round-trip-proxy.ts) between the Worker and both stores adds the delay before forwarding each request`,
      `- sequential steps: the longest chain of round trips where each starts after the previous ended (overlapping ones count once), as tests/edge/round-trips.test.ts asserts`,
      '',
      result.markdown,
      '<!-- /edge -->',
    ].join('\n');
    marked.set('edge', edgeSection);
    console.log(`\n${edgeSection}\n`);
  }
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

// Marked sections (pages, exports, load) live between markers: kept when other sections are rewritten,
// replaced in place (or appended) when they run; a run of only marked sections leaves the rest as it is.
const previous = existsSync(values.out!) ? readFileSync(values.out!, 'utf8') : '';
const markerOf = (name: string) => new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- \\/${name} -->`);
for (const name of ['pages', 'exports', 'load', 'edge']) {
  const kept = markerOf(name).exec(previous)?.[0];
  if (!marked.has(name) && kept) marked.set(name, kept);
}
const report =
  sections.length === 0
    ? null
    : [
        '# Benchmarks',
        '',
        'Each figure sits beside its baseline measured in the same run. Numbers describe this machine on this day; tests never assert times.',
        '',
        `- date: ${new Date().toISOString()}`,
        `- machine: ${machine}`,
        `- command: \`${command}\``,
        `- load average (1/5/15 min): ${loadAtStart} at start, ${load()} at end (other work on the machine shows up here and in the spread of the timings)`,
        `- dataset: ${clients.toLocaleString('en-US')} clients, ${values.periods} periods of history each (seed 42, today ${values.today}), fresh libSQL files in a temp dir (WAL, foreign keys on)`,
        '',
        ...sections.flatMap((s) => [s, '']),
      ].join('\n');
const withMarked = (text: string) =>
  [...marked].reduce((acc, [name, block]) => (markerOf(name).test(acc) ? acc.replace(markerOf(name), () => block) : `${acc.trimEnd()}\n\n${block}\n`), text);
writeFileSync(values.out!, withMarked(report ?? previous));
log(`bench: wrote ${values.out}`);
