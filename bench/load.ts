// Load (issue 14): N field officers, each signed in with their own session, read their list and client
// pages and record statuses for S seconds against the built Node host in production mode (its own
// process, so the load client does not share its event loop). Afterwards the database is checked:
// 0 answers ≥ 500, no lost or doubled write, every worked period row gap-free (tests/support/load-run.ts).
// Baseline in the same run: one user alone for a few seconds, the same mix, so the p50/p95 under load
// sit beside the unloaded figures of this machine on this day.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { webProcessCount } from '../server/cluster';
import { startNodeApp } from '../tests/support/app-server';
import { checkLoadOutcome, runLoad, seedLoadUsers, type LoadOutcome, type LoadRun } from '../tests/support/load-run';
import { ensureNodeBuild } from '../tests/support/node-build';
import { startEdgeStack, WORKER_BUILD } from '../tests/support/edge-stack';
import { copyFileSync, existsSync } from 'node:fs';
import { fmtInt, fmtMs, summarize, table } from './stats';

const ROUTES = ['POST /login', 'GET /clients', 'GET /clients/:id', 'POST /clients/:id (status)'] as const;

export async function benchLoad(opts: {
  dir: string;
  clients: number;
  users: number;
  seconds: number;
  log: (s: string) => void;
  /** A database prepare-db already seeded for today (`--load-db`): copied, so the quiet minutes go to the run, not the seed. */
  fromDb?: string;
}) {
  ensureNodeBuild();
  const root = resolve(import.meta.dirname, '..');
  const databaseUrl = `file:${join(opts.dir, 'load.db')}`;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Manila' }).format(new Date());
  if (opts.fromDb) {
    for (const suffix of ['', '-wal']) if (existsSync(opts.fromDb + suffix)) copyFileSync(opts.fromDb + suffix, join(opts.dir, 'load.db' + suffix));
    opts.log(`  copied ${opts.fromDb}; prepare-db migrates it and seeds nothing (it is seeded)`);
  } else opts.log(`  seeding ${opts.clients.toLocaleString('en-US')} demo clients for ${today} (scripts/prepare-db.ts)`);
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/prepare-db.ts'), '--clients', String(opts.clients), '--today', today], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
  });
  if (prepared.status !== 0) throw new Error(`bench load: prepare-db failed\n${prepared.stderr}`);
  const db = createClient({ url: databaseUrl });
  const users = await seedLoadUsers(db, opts.users + 1);
  // The host `npm start` runs (server/cluster.ts: one process per core, decision 121; WEB_PROCESSES if set).
  const app = await startNodeApp({
    databaseUrl,
    cluster: true,
    env: {
      NODE_ENV: 'production',
      EXPORT_LINK_SECRET: 'bench-load-export-link-secret-0123456789',
      LOG_LEVEL: 'error',
      // Per-user limits are for people; simulated users are faster. Everybody signs in from 127.0.0.1.
      RATE_LIMITS: 'read=100000/60,write=100000/60,loginIp=100000/300',
    },
  });
  try {
    opts.log(`  baseline: 1 user for 10 s`);
    const baseline = await runLoad({ url: app.url, db, users: users.slice(0, 1), seconds: 10 });
    opts.log(`  load: ${opts.users} users for ${opts.seconds} s`);
    const loaded = await runLoad({ url: app.url, db, users: users.slice(1), seconds: opts.seconds, log: opts.log });
    const outcome = await checkLoadOutcome(db, loaded);
    opts.log(`  ${JSON.stringify(outcome)}`);
    return {
      outcome,
      markdown: loadMarkdown(opts, baseline, loaded, outcome).replace(
        '(Node host, production mode)',
        `(Node host, production mode, server/cluster.ts: ${webProcessCount(process.env.WEB_PROCESSES)} web process(es), as npm start on this database)`,
      ),
    };
  } finally {
    await app.process.stop();
    db.close();
  }
}

function loadMarkdown(opts: { clients: number; users: number; seconds: number }, baseline: LoadRun, loaded: LoadRun, o: LoadOutcome) {
  const rows = ROUTES.map((route) => {
    const base = summarize(baseline.requests.filter((r) => r.route === route).map((r) => r.ms));
    const load = summarize(loaded.requests.filter((r) => r.route === route).map((r) => r.ms));
    return [route, fmtInt(load.n), fmtMs(load.p50), fmtMs(load.p95), fmtMs(base.p50), fmtMs(base.p95)];
  });
  const measured = loaded.requests.filter((r) => r.route !== 'POST /login').length;
  return [
    '### Load: signed-in users reading and recording statuses (Node host, production mode)',
    '',
    `${opts.users} users, each with their own session (FCASH field officers, branch scope, pairs on the same 4 clients), ` +
      `${opts.seconds} s closed loop without think time: 70% client list, 30% client page then status write; ` +
      `baseline: 1 user alone for 10 s, same mix, same run. ${opts.clients.toLocaleString('en-US')} demo clients. ` +
      `Throughput under load: ${fmtInt(measured / opts.seconds)} requests/s.`,
    '',
    table(['route', 'requests', 'p50 ms', 'p95 ms', 'baseline p50 ms', 'baseline p95 ms'], rows),
    '',
    table(
      [
        'requests',
        'answers by status',
        '5xx',
        'no answer',
        'writes accepted',
        '409 conflicts',
        'lost',
        'doubled or phantom',
        'new status_events',
        'gapped rows',
      ],
      [
        [
          fmtInt(o.requests),
          Object.entries(o.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
          o.serverErrors,
          o.noAnswer,
          o.writesAccepted,
          o.writesConflicted,
          o.lost,
          o.doubledOrPhantom,
          o.newEvents,
          o.gappedRows,
        ],
      ],
    ),
  ].join('\n');
}

/**
 * The same run against the Workers build under wrangler dev (workerd), with sqld and the Upstash REST
 * endpoint over redis-server (tests/support/edge-stack.ts): fewer users, as the issue asks (50).
 */
export async function benchLoadEdge(opts: { clients: number; users: number; seconds: number; log: (s: string) => void }) {
  if (!existsSync(WORKER_BUILD)) {
    opts.log('  edge: skipped, the Worker build is missing (node scripts/build.mjs worker)');
    return null;
  }
  const stack = await startEdgeStack({
    clients: opts.clients,
    env: { RATE_LIMITS: 'read=100000/60,write=100000/60,loginIp=100000/300', LOG_LEVEL: 'error' },
    onStep: (m) => opts.log(`  edge: ${m}`),
  });
  const db = createClient({ url: stack.sqldUrl });
  try {
    const users = await seedLoadUsers(db, opts.users + 1);
    opts.log('  edge baseline: 1 user for 10 s');
    const baseline = await runLoad({ url: stack.url, db, users: users.slice(0, 1), seconds: 10 });
    opts.log(`  edge load: ${opts.users} users for ${opts.seconds} s`);
    const loaded = await runLoad({ url: stack.url, db, users: users.slice(1), seconds: opts.seconds, log: opts.log });
    const outcome = await checkLoadOutcome(db, loaded);
    opts.log(`  ${JSON.stringify(outcome)}`);
    const markdown = loadMarkdown(opts, baseline, loaded, outcome)
      .replace('(Node host, production mode)', '(Workers build under wrangler dev, sqld over HTTP, Upstash REST)')
      .replace('### Load:', '### Load at the edge:');
    return { outcome, markdown };
  } finally {
    db.close();
    await stack.stop();
  }
}
