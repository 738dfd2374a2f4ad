// Snowflake sync throughput: the sync handler reading N rows through the real snowflake-sdk from the
// fake (its own process, so this process's RSS is the sync's), beside the SDK stream alone, raw
// multi-row INSERTs of the same client rows, and row-by-row upserts (sampled, extrapolated).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client, InValue } from '@libsql/client';
import { enqueueJob } from '../app/core/jobs/enqueue.server';
import { systemClock } from '../app/platform/clock';
import { createLogger } from '../app/platform/logger';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemoOrg } from '../db/seed/demo-org';
import { seedReferenceData } from '../db/seed/index';
import type { Job } from '../db/schema';
import type { JobRunContext } from '../service/jobs/handler';
import { createIntegrationPolicy } from '../service/resilience/integration-policies';
import { snowflakeConfig, type SnowflakeConfig } from '../service/snowflake/config';
import { buildSourceQuery } from '../service/snowflake/source-query';
import { SYNC_PAGE_CACHE_KIB } from '../service/snowflake/batch-transaction';
import { createSnowflakeSyncHandler } from '../service/snowflake/sync-handler';
import { openWarehouseRows } from '../service/snowflake/warehouse-reader';
import { fmtInt, table } from './stats';
import { childSpan } from '../app/platform/trace-context';
import { propagationOnly } from '../app/platform/tracing';

const MB = 1024 * 1024;
/** The triggers of migrations 0005/0006 that fire on every INSERT INTO clients. */
const CLIENT_INSERT_TRIGGERS = ['clients_search_ai', 'client_branch_counts_ai'];
const silent = createLogger({ level: 'error', write: () => {} });
const perSec = (rows: number, ms: number) => (rows * 1000) / ms;

async function startFakeProcess(rows: number, today: string, publicKeyFile: string, log: (s: string) => void): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'fakes/snowflake/cli.ts', '--port', '0', '--rows', String(rows), '--today', today, '--public-key-file', publicKeyFile],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /"url":"([^"]+)"/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`snowflake fake exited with ${code}`)));
  });
  log(`  snowflake fake (pid ${child.pid}) serving ${fmtInt(rows)} rows at ${url}`);
  return { child, url };
}

async function databaseWithOrg(dir: string, name: string): Promise<{ client: Client; db: Awaited<ReturnType<typeof openDatabase>>['db'] }> {
  const opened = await openDatabase(pathToFileURL(join(dir, `${name}.db`)).href);
  await migrateDatabase(opened.client);
  await seedReferenceData(opened.client);
  await seedDemoOrg(opened.client);
  return opened;
}

/** Peak RSS of this process while `work` runs (sampled every 50 ms). */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peak: number; before: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const t = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - t, peak: Math.max(peak, process.memoryUsage.rss()), before };
  } finally {
    clearInterval(sampler);
  }
}

export async function benchSnowflakeSync(opts: { dir: string; rows: number; today: string; rowByRowSample: number; log: (s: string) => void }) {
  const { dir, rows, today, log } = opts;
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicKeyFile = join(dir, 'snowflake-bench.pub.pem');
  writeFileSync(publicKeyFile, keys.publicKey);
  const fake = await startFakeProcess(rows, today, publicKeyFile, log);
  try {
    const config: SnowflakeConfig = snowflakeConfig({
      account: 'CU_DEMO',
      username: 'CLIENT_UPDATER_SVC',
      accessUrl: fake.url,
      authenticator: 'SNOWFLAKE_JWT',
      privateKey: keys.privateKey,
    });
    const policy = createIntegrationPolicy('snowflake', { timeoutMs: 120_000 });
    const { client, db } = await databaseWithOrg(dir, 'snowflake-sync');

    // 1. The SDK alone: every row streamed, nothing done with it.
    const streamed = await withPeakRss(async () => {
      const reader = await openWarehouseRows(config, policy, buildSourceQuery({ view: config.view }), {
        signal: new AbortController().signal,
        idleTimeoutMs: 60_000,
        logger: silent,
      });
      let n = 0;
      while ((await reader.next()) !== null) n++;
      await reader.close();
      return n;
    });
    log(`  SDK stream only: ${fmtInt(streamed.value)} rows in ${(streamed.ms / 1000).toFixed(1)} s`);

    // 2. The sync handler, as the job worker runs it.
    const handler = createSnowflakeSyncHandler(config, { policy });
    const runSync = async (label: string) => {
      const payload = { mode: 'full' as const, dryRun: false, trigger: 'manual' as const };
      const { id } = await enqueueJob(db, { queue: 'sync', payload, now: new Date() });
      const job = (await db.$client.execute({ sql: 'SELECT * FROM job_queue WHERE id = ?', args: [id] })).rows[0] as unknown as Job;
      const run: JobRunContext = {
        db,
        clock: systemClock,
        logger: silent,
        job: { ...job, id },
        trace: childSpan(null),
        tracing: propagationOnly,
        signal: new AbortController().signal,
        reportProgress: async () => {},
      };
      const measured = await withPeakRss(() => handler(payload, run));
      const sync = (await client.execute({ sql: 'SELECT * FROM sync_jobs WHERE job_queue_id = ?', args: [id] })).rows[0];
      if (sync.status !== 'done') throw new Error(`${label}: sync ${String(sync.status)}: ${String(sync.error)}`);
      log(`  ${label}: ${String(measured.value)} in ${(measured.ms / 1000).toFixed(1)} s, peak RSS ${fmtInt(measured.peak / MB)} MB`);
      const t = (JSON.parse(String(sync.report)) as { timingsMs: Record<string, number> }).timingsMs;
      const split =
        `waiting for rows ${(t.stream / 1000).toFixed(1)} s, validating + mapping ${(t.check / 1000).toFixed(1)} s, ` +
        `batches (read, compare, upsert, history, period rows; on the writer thread, overlapping the reading) ${(t.batches / 1000).toFixed(1)} s, ` +
        `deactivation check ${(t.deactivation / 1000).toFixed(1)} s`;
      return { ...measured, sync, split: `- ${label}: ${split}` };
    };
    const first = await runSync('full sync, empty clients table');
    const mutated = await fetch(`${fake.url}/__fake/mutate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ percent: 1, fields: ['branch', 'par', 'product', 'contact', 'amount', 'active'] }),
    }).then((r) => r.json() as Promise<{ changes: number }>);
    const second = await runSync(`full sync, 1% changed (${fmtInt(mutated.changes)} field changes)`);
    const unchanged = await runSync('full sync, nothing changed');

    // 3. Baselines on the same client rows, into fresh files holding only reference data and branches.
    const columns = [
      'client_code',
      'full_name',
      'pension_number',
      'birth_date',
      'contact_number',
      'contact_number_alt',
      'company_id',
      'product_id',
      'pension_type_id',
      'pensioner_type_id',
      'account_type_id',
      'par_status_id',
      'branch_id',
      'past_due_centavos',
      'loan_status',
      'is_active',
      'last_synced_at',
      'sync_source',
      'updated_at',
      'created_at',
    ];
    const clientRows = (await client.execute(`SELECT ${columns.join(',')} FROM clients ORDER BY client_code`)).rows.map((r) =>
      columns.map((_, i) => r[i] as InValue),
    );
    client.close();
    const perStatement = Math.floor(32_766 / columns.length);
    const tuple = `(${columns.map(() => '?').join(',')})`;
    // The same INSERTs into a file with and without the triggers every client insert pays (the FTS5
    // trigram index of decision 099, the live-client counts of decision 100): what the triggers cost.
    const rawInsert = async (name: string, dropTriggers: readonly string[]) => {
      const target = await databaseWithOrg(dir, name);
      for (const trigger of dropTriggers) await target.client.execute(`DROP TRIGGER ${trigger}`);
      // The sync's page cache (its write transactions set it): the same INSERTs, the same cache.
      await target.client.execute(`PRAGMA cache_size=-${SYNC_PAGE_CACHE_KIB}`);
      const statements = [];
      for (let i = 0; i < clientRows.length; i += 1000) {
        const slice = clientRows.slice(i, i + 1000);
        statements.push({ sql: `INSERT INTO clients (${columns.join(',')}) VALUES ${slice.map(() => tuple).join(',')}`, args: slice.flat() });
      }
      const t = performance.now();
      await target.client.batch(statements, 'write');
      const ms = performance.now() - t;
      target.client.close();
      return ms;
    };
    const rawMs = await rawInsert('snowflake-raw', []);
    const bareMs = await rawInsert('snowflake-raw-bare', CLIENT_INSERT_TRIGGERS);
    const sample = clientRows.slice(0, Math.min(opts.rowByRowSample, clientRows.length));
    const upsert = `INSERT INTO clients (${columns.join(',')}) VALUES ${tuple} ON CONFLICT(client_code) DO UPDATE SET ${columns
      .slice(1, -1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`;
    const naive: { label: string; ms: number }[] = [];
    {
      const target = await databaseWithOrg(dir, 'snowflake-row-autocommit');
      const t = performance.now();
      for (const args of sample) await target.client.execute({ sql: upsert, args });
      naive.push({ label: `row-by-row upsert, autocommit (${fmtInt(sample.length)}-row sample)`, ms: performance.now() - t });
      target.client.close();
    }
    {
      const target = await databaseWithOrg(dir, 'snowflake-row-tx');
      const t = performance.now();
      const tx = await target.client.transaction('write');
      for (const args of sample) await tx.execute({ sql: upsert, args });
      await tx.commit();
      naive.push({ label: `row-by-row upsert, 1 transaction (${fmtInt(sample.length)}-row sample)`, ms: performance.now() - t });
      target.client.close();
    }
    const n = clientRows.length;
    const vsRaw = (ms: number) => `${(perSec(n, ms) / perSec(n, rawMs)).toFixed(2)}x`;
    const syncRow = (label: string, r: { ms: number; peak: number; before: number }) => [
      label,
      fmtInt(n),
      (r.ms / 1000).toFixed(1),
      fmtInt(perSec(n, r.ms)),
      vsRaw(r.ms),
      `${fmtInt(r.peak / MB)} (${fmtInt(r.before / MB)} before)`,
    ];
    const markdown = [
      '### Snowflake sync',
      '',
      `The sync handler (service/snowflake) reading ${fmtInt(rows)} rows through the real snowflake-sdk 3.3.0 (key-pair JWT login, ` +
        'result in 1,000 inline rows + 10,000-row chunks) from the fake running in its own process, into a fresh libSQL file holding only ' +
        'the reference data and 150 branches. Each sync includes the period rows of the clients it creates (written by its chunks). The baselines write the same ' +
        'client rows (read back after the first sync) into fresh files of the same kind. Peak RSS is this process sampled every 50 ms.',
      '',
      table(
        ['method', 'rows', 'time s', 'rows/s', 'vs raw INSERT', 'peak RSS MB'],
        [
          [
            'SDK stream only (rows read, nothing written)',
            fmtInt(streamed.value),
            (streamed.ms / 1000).toFixed(1),
            fmtInt(perSec(streamed.value, streamed.ms)),
            vsRaw(streamed.ms),
            `${fmtInt(streamed.peak / MB)} (${fmtInt(streamed.before / MB)} before)`,
          ],
          syncRow(`full sync, all new (${fmtInt(Number(first.sync.rows_inserted))} created)`, first),
          syncRow(`full sync, 1% changed (${fmtInt(Number(second.sync.rows_updated))} updated, ${fmtInt(mutated.changes)} history rows)`, second),
          syncRow('full sync, nothing changed', unchanged),
          ['raw multi-row INSERT … VALUES, 1,000 rows/statement, 1 transaction', fmtInt(n), (rawMs / 1000).toFixed(1), fmtInt(perSec(n, rawMs)), '1.00x', '–'],
          [
            'the same raw INSERT without the clients insert triggers (FTS5 index, branch counts)',
            fmtInt(n),
            (bareMs / 1000).toFixed(1),
            fmtInt(perSec(n, bareMs)),
            vsRaw(bareMs),
            '–',
          ],
          ...naive.map((r) => [
            `${r.label}`,
            `${fmtInt(sample.length)} (${fmtInt(n)} extrapolated)`,
            `${(r.ms / 1000).toFixed(1)} (${((r.ms * n) / sample.length / 1000).toFixed(0)} extrap.)`,
            fmtInt(perSec(sample.length, r.ms)),
            vsRaw((r.ms * n) / sample.length),
            '–',
          ]),
        ],
      ),
      '',
      "Where each sync's time went (report.timingsMs):",
      first.split,
      second.split,
      unchanged.split,
      '',
      `Triggers: every client insert also pays ${CLIENT_INSERT_TRIGGERS.join(' and ')}; the raw INSERT takes ${(rawMs / bareMs).toFixed(2)}x ` +
        'the time with them than without. ' +
        `The raw baseline binds ${perStatement} rows of ${columns.length} values at most per statement (SQLite's 32,766 bound variables); ` +
        `the sync writes ${fmtInt(config.batchRows)}-row chunks, one write transaction each, every statement taking the chunk as one JSON value.`,
    ].join('\n');
    return { markdown };
  } finally {
    fake.child.kill('SIGTERM');
  }
}
