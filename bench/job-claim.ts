// Job claim rate on a libSQL file with N pending jobs: the service's claim (claimNextJob: the one
// UPDATE … RETURNING plus the run-row mirror, in one batch) beside the raw single UPDATE … RETURNING,
// with one worker and with two worker processes on the same file.
//   npx tsx bench/job-claim.ts [--jobs 1000,10000 --claims 500]   (or npm run bench -- --only jobs)
// Child mode (spawned by this file): --child raw|service <url> <count> <startAtMs>
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@libsql/client';
import { openDatabase } from '../db/client';
import type { AppDatabase } from '../db/database';
import { migrateDatabase } from '../db/migrate';
import { QUEUE_POLICIES } from '../app/core/jobs/queues';
import { claimNextJob, completeJob } from '../service/jobs/job-store';
import { fmtInt, fmtMs, summarize, table } from './stats';

const THIS_FILE = fileURLToPath(import.meta.url);
const LEASE_MS = QUEUE_POLICIES.nextbank.leaseMs;

/** The claim as one plain statement through the libSQL client: the floor for the service's claim. */
const RAW_CLAIM = `update job_queue set status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, started_at = ?
  where id = (select id from job_queue where queue = 'nextbank'
    and ((status in ('pending', 'failed') and scheduled_at <= ?) or (status = 'running' and lease_expires_at < ? and attempts < max_attempts))
    order by priority desc, scheduled_at, id limit 1)
  returning *`;

type Mode = 'raw' | 'service' | 'service+complete';

async function claimOnce(client: Client, db: AppDatabase, mode: Mode, owner: string): Promise<boolean> {
  const now = new Date();
  if (mode === 'raw') {
    const t = now.getTime();
    const r = await client.execute({ sql: RAW_CLAIM, args: [owner, t + LEASE_MS, t, t, t] });
    return r.rows.length === 1;
  }
  const job = await claimNextJob(db, { queues: ['nextbank'], owner, now, policies: QUEUE_POLICIES });
  if (job && mode === 'service+complete') await completeJob(db, job, owner, new Date());
  return job !== null;
}

/** count claims in a row; per-claim times in ms. */
async function claimLoop(client: Client, db: AppDatabase, mode: Mode, count: number, tag: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    if (!(await claimOnce(client, db, mode, `${tag}#${i}`))) throw new Error(`bench: queue ran dry after ${i} claims`);
    samples.push(performance.now() - t);
  }
  return samples;
}

async function fillQueue(client: Client, jobs: number): Promise<void> {
  await client.execute('delete from scheduled_job_runs');
  await client.execute('delete from job_queue');
  const now = Date.now();
  // Three priorities and spread scheduled_at, so the ORDER BY has real work to do.
  await client.execute({
    sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
          insert into job_queue (queue, payload, priority, status, attempts, max_attempts, scheduled_at, created_at)
          select 'nextbank', json_object('i', i), i % 3, 'pending', 0, 8, ? - i * 1000, ? from n`,
    args: [jobs, now, now],
  });
}

interface ChildResult {
  count: number;
  startedAt: number;
  endedAt: number;
}

function runChild(url: string, mode: Mode, count: number, startAt: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--child', mode, url, String(count), String(startAt)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`bench child exited with ${code}`))));
  });
}

export async function benchJobClaim(opts: { dir: string; jobs: number[]; claims: number; log: (s: string) => void }): Promise<{ markdown: string }> {
  const url = pathToFileURL(join(opts.dir, 'job-claim.db')).href;
  const { client, db } = await openDatabase(url);
  await migrateDatabase(client);
  const rows: Array<Array<string | number>> = [];
  try {
    for (const jobs of opts.jobs) {
      if (jobs < opts.claims + 50) throw new Error(`bench: --jobs ${jobs} must exceed --claims ${opts.claims} + 50 warm-up claims`);
      for (const mode of ['raw', 'service', 'service+complete'] as Mode[]) {
        await fillQueue(client, jobs);
        await claimLoop(client, db, mode, 50, 'warm'); // warm-up: statement cache, page cache
        const started = performance.now();
        const samples = await claimLoop(client, db, mode, opts.claims, 'one');
        const rate = opts.claims / ((performance.now() - started) / 1000);
        const s = summarize(samples);
        rows.push([fmtInt(jobs), label(mode), 1, fmtInt(rate), fmtMs(s.p50), fmtMs(s.p95)]);
        opts.log(`  ${fmtInt(jobs)} pending, ${label(mode)}, 1 worker: ${fmtInt(rate)} claims/s`);
      }
      for (const mode of ['raw', 'service+complete'] as Mode[]) {
        await fillQueue(client, jobs);
        const startAt = Date.now() + 4_000; // both children load, then start together
        const results = await Promise.all([1, 2].map(() => runChild(url, mode, Math.floor(opts.claims / 2), startAt)));
        const total = results.reduce((a, r) => a + r.count, 0);
        const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
        const n = Number((await client.execute(`select count(distinct id) as n from job_queue where status <> 'pending'`)).rows[0].n);
        if (n !== total) throw new Error(`bench: ${total} claims but ${n} distinct jobs claimed`);
        rows.push([fmtInt(jobs), label(mode), '2 processes', fmtInt(total / seconds), '', '']);
        opts.log(`  ${fmtInt(jobs)} pending, ${label(mode)}, 2 processes: ${fmtInt(total / seconds)} claims/s (each job claimed once: ${n})`);
      }
    }
  } finally {
    client.close();
  }
  const markdown = [
    '### Job claim rate (libSQL file)',
    '',
    `N pending jobs in one queue (3 priorities, all due), ${fmtInt(opts.claims)} claims per row after 50 warm-up claims, WAL, ` +
      'synchronous left at the libSQL default (FULL: one fsync per commit), busy timeout 5 s. ' +
      '"raw UPDATE … RETURNING" is the claim as one plain statement through the libSQL client (the floor); ' +
      '"claimNextJob" is the service\'s claim (the same statement built by Drizzle, plus the run-row mirror, in one batch); ' +
      '"+ completeJob" adds the conditional completion, i.e. the queue\'s own cost per job. ' +
      'Two processes share the file (SQLite serialises writers); every run checks that each job was claimed once. ' +
      'The claim sorts the due rows (no index has priority first), so its cost grows with the number of due jobs.',
    '',
    table(['pending', 'claim', 'workers', 'claims/s', 'p50 ms', 'p95 ms'], rows),
  ].join('\n');
  return { markdown };
}

const label = (mode: Mode) => (mode === 'raw' ? 'raw UPDATE … RETURNING' : mode === 'service' ? 'claimNextJob' : 'claimNextJob + completeJob');

async function childMain(mode: Mode, url: string, count: number, startAt: number) {
  const { client, db } = await openDatabase(url);
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const startedAt = Date.now();
  await claimLoop(client, db, mode, count, `child-${process.pid}`);
  const endedAt = Date.now();
  client.close();
  console.log(JSON.stringify({ count, startedAt, endedAt } satisfies ChildResult));
}

if (process.argv[1] && fileURLToPath(pathToFileURL(process.argv[1])) === THIS_FILE) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { child: { type: 'string' }, jobs: { type: 'string', default: '1000,10000' }, claims: { type: 'string', default: '500' } },
  });
  if (values.child) {
    const [url, count, startAt] = positionals;
    await childMain(values.child as Mode, url, Number(count), Number(startAt));
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'client-updater-bench-jobs-'));
    try {
      const jobs = values.jobs!.split(',').map(Number);
      const { markdown } = await benchJobClaim({ dir, jobs, claims: Number(values.claims), log: (s) => process.stderr.write(`${s}\n`) });
      console.log(`\n${markdown}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
