// A full clients XLSX export whose service process (service/main.ts, the real one) is SIGKILLed half-way,
// then picked up by a second process after the lease: the issue 12 "Done means" at 200,000 rows, which
// tests/service/exports-crash.test.ts proves at the demo data's size (a 200,000-row run twice over on
// the shared CPUs is minutes, not a test). Checks what an operator cares about and reports the times:
// nothing under the export's key while it is unfinished, the job's second attempt writes the file
// once, the file holds every row once (row count from the sheet XML), the staging file is gone.
import { benchContext } from './bench-context';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { loadAccess } from '../app/core/access/access.server';
import { staffAccess } from '../app/core/access/staff-access.server';
import { requestExport } from '../app/core/exports/request-export.server';
import { openDatabase } from '../db/client';
import { exportJobs, jobQueue, users } from '../db/schema';

export interface ExportKillResult {
  rows: number;
  killedAtRows: number;
  /** From the request to the kill. */
  msBeforeKill: number;
  /** From the second process's start to the row being 'done'. */
  msRecovery: number;
  attempts: number;
  fileRows: number;
  /** Files under the export's key while the killed attempt was the last one. */
  filesAfterKill: number;
  stagingLeft: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startService(databaseUrl: string, exportDir: string, instanceId: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'service/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SERVICE_INSTANCE_ID: instanceId,
      SERVICE_QUEUES: 'export',
      SERVICE_POLL_MS: '100',
      SERVICE_HEARTBEAT_MS: '1000',
      SERVICE_SCHEDULER: 'off',
      SERVICE_SHUTDOWN_GRACE_MS: '2000',
      // The killed process's lease must run out before the second one can claim the job.
      SERVICE_QUEUE_POLICIES: JSON.stringify({ export: { leaseMs: 5000 } }),
      EXPORT_DIR: exportDir,
      LOG_LEVEL: 'warn',
    },
  });
}

/** Rows in the sheet (header excluded), counted from the XML of an XLSX file. */
function sheetRows(file: string): number {
  const sheet = unzipSync(readFileSync(file), { filter: (f) => f.name === 'xl/worksheets/sheet1.xml' })['xl/worksheets/sheet1.xml'];
  const xml = Buffer.from(sheet.buffer, sheet.byteOffset, sheet.length);
  let n = 0;
  for (let at = xml.indexOf('<row '); at !== -1; at = xml.indexOf('<row ', at + 5)) n++;
  return n - 1;
}

export async function benchExportKill(opts: { databaseUrl: string; exportDir: string; today: string; log: (s: string) => void }): Promise<ExportKillResult> {
  const { client, db } = await openDatabase(opts.databaseUrl);
  const ctx = benchContext(db, opts.today, 'bench-kill');
  const running: ChildProcess[] = [];
  try {
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@demo.test'));
    const access = staffAccess(await loadAccess(ctx, admin.id), async () => [1, 2]);
    const started = performance.now();
    const asked = await requestExport(ctx, { userId: admin.id, access }, { type: 'clients', format: 'xlsx' });
    if (!asked.ok) throw new Error(JSON.stringify(asked));
    const id = asked.exportId;
    const row = async () => (await db.select().from(exportJobs).where(eq(exportJobs.id, id)))[0];
    const keyDir = join(opts.exportDir, 'exports', String(id));
    const filesUnder = (d: string) => (existsSync(d) ? readdirSync(d) : []);

    const first = startService(opts.databaseUrl, opts.exportDir, 'bench-first');
    running.push(first);
    let killedAtRows = 0;
    for (;;) {
      const r = await row();
      if (r.status === 'done') throw new Error('the export finished before the kill: use more clients');
      if (r.status === 'running' && r.rowsTotal && r.rowsDone >= r.rowsTotal / 2) {
        first.kill('SIGKILL');
        await once(first, 'exit');
        killedAtRows = (await row()).rowsDone;
        break;
      }
      if (first.exitCode !== null) throw new Error(`the first service exited with ${first.exitCode}`);
      await sleep(100);
    }
    const msBeforeKill = performance.now() - started;
    const filesAfterKill = filesUnder(keyDir).length;
    opts.log(`  killed at ${killedAtRows} rows; ${filesAfterKill} files under the key`);

    const restarted = performance.now();
    const second = startService(opts.databaseUrl, opts.exportDir, 'bench-second');
    running.push(second);
    for (;;) {
      const r = await row();
      if (r.status === 'done') break;
      if (r.status === 'failed') throw new Error(`the export failed: ${r.error}`);
      if (second.exitCode !== null) throw new Error(`the second service exited with ${second.exitCode}`);
      await sleep(200);
    }
    const msRecovery = performance.now() - restarted;
    second.kill('SIGTERM');
    await once(second, 'exit');
    const done = await row();
    const [job] = await db.select().from(jobQueue).where(eq(jobQueue.id, done.jobQueueId!));
    const [{ n }] = await db.all<{ n: number }>(sql`select count(*) as n from clients where deleted_at is null`);
    const files = filesUnder(keyDir);
    if (files.length !== 1 || files[0] !== done.fileName) throw new Error(`expected one file under the key, found ${files.join(', ')}`);
    const fileRows = sheetRows(join(opts.exportDir, done.filePath!));
    if (fileRows !== n || done.rowsDone !== n) throw new Error(`the file holds ${fileRows} rows (${done.rowsDone} recorded), ${n} expected`);
    return {
      rows: n,
      killedAtRows,
      msBeforeKill,
      msRecovery,
      attempts: job.attempts,
      fileRows,
      filesAfterKill,
      stagingLeft: filesUnder(join(opts.exportDir, '.staging')).length,
    };
  } finally {
    for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    client.close();
  }
}
