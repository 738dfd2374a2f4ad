// Seed throughput: seedDatabase beside plain libSQL INSERTs of the same client rows.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client, InValue } from '@libsql/client';
import { openDatabase } from '../db/client';
import type { AppDatabase } from '../db/database';
import { migrateDatabase } from '../db/migrate';
import { seedDemoOrg } from '../db/seed/demo-org';
import { seedClients } from '../db/seed/clients';
import { seedDatabase, seedReferenceData, type SeedSummary } from '../db/seed/index';
import { manilaMidnightMs } from '../db/seed/periods';
import { fmtInt, table } from './stats';

export interface SeedBenchResult {
  client: Client;
  db: AppDatabase;
  summary: SeedSummary;
  markdown: string;
  /** file: URL of the seeded database, for the benches that start a server on it. */
  url: string;
}

type Row = InValue[];
const MB = 1024 * 1024;
/** The page cache seedClients sets for its bulk load (db/seed/clients.ts); the raw baseline gets the same. */
const SEED_CACHE_SIZE = -262_144;
const rowsPerSec = (rows: number, ms: number) => (rows * 1000) / ms;

async function freshDatabase(dir: string, name: string) {
  const path = join(dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const opened = await openDatabase(pathToFileURL(path).href);
  await migrateDatabase(opened.client);
  return opened;
}

/** Same parents as seedDatabase writes before the clients (the FKs stay on). */
async function databaseWithOrg(dir: string, name: string): Promise<Client> {
  const { client } = await freshDatabase(dir, name);
  await seedReferenceData(client);
  await seedDemoOrg(client);
  return client;
}

/** The seeded client rows, read back exactly, without the columns the seed leaves to defaults. */
async function readClientRows(client: Client): Promise<{ columns: string[]; rows: Row[] }> {
  const info = await client.execute('PRAGMA table_info(clients)');
  const columns = info.rows.map((r) => String(r.name)).filter((c) => !['created_at', 'updated_at', 'deleted_at'].includes(c));
  const rows: Row[] = [];
  for (let last = 0; ;) {
    const page = await client.execute({ sql: `SELECT ${columns.join(',')} FROM clients WHERE id > ? ORDER BY id LIMIT 20000`, args: [last] });
    if (page.rows.length === 0) break;
    for (const r of page.rows) rows.push(columns.map((_, i) => r[i] as InValue));
    last = Number(page.rows[page.rows.length - 1][0]);
  }
  return { columns, rows };
}

function multiRowStatements(columns: string[], rows: Row[], perStatement: number) {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    statements.push({ sql: `INSERT INTO clients (${columns.join(',')}) VALUES ${slice.map(() => tuple).join(',')}`, args: slice.flat() });
  }
  return statements;
}

/** A seeded database without the throughput measurements (for `--only` runs of later sections). */
export async function seededDatabase(opts: { dir: string; clients: number; today: string; periods?: number }) {
  const { client, db } = await freshDatabase(opts.dir, 'bench');
  await seedDatabase(client, { clients: opts.clients, seed: 42, today: opts.today, demoUsers: true, periods: opts.periods });
  return { client, db, url: pathToFileURL(join(opts.dir, 'bench.db')).href };
}

/**
 * Seeds `file` when it does not exist yet and keeps it (--from-db on a missing file): large datasets are seeded
 * once and reused. Chunked like every seed (db/seed/clients.ts), so memory stays flat at 1M clients.
 * Returns a markdown line with the time, rows and peak RSS, or null when the file was already there.
 */
export async function seedKeptDatabase(opts: { file: string; clients: number; today: string; periods?: number; log: (s: string) => void }) {
  if (existsSync(opts.file)) return null;
  const partial = `${opts.file}.partial`;
  const { client } = await openDatabase(pathToFileURL(partial).href);
  await migrateDatabase(client);
  let lastLog = 0;
  const t0 = performance.now();
  const onProgress = (done: number, total: number) => {
    if (done === total || performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      opts.log(`  seeding: ${fmtInt(done)}/${fmtInt(total)} clients, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  };
  // A run stopped mid-way leaves FILE.partial with whole chunks committed: the next run continues it
  // (the added clients come from their own random stream, so the data differ from an unbroken seed's).
  const have = Number((await client.execute('SELECT count(*) AS n FROM clients')).rows[0].n);
  const resumed = have > 0;
  if (resumed) opts.log(`bench: continuing ${partial} from ${fmtInt(have)} clients`);
  const summary = resumed
    ? await continueSeeding(client, { ...opts, have, onProgress })
    : await seedDatabase(client, { clients: opts.clients, seed: 42, today: opts.today, demoUsers: true, periods: opts.periods, onProgress });
  const ms = performance.now() - t0;
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)'); // one file to copy
  client.close();
  renameSync(partial, opts.file);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const c = summary.counts;
  const all = c.clients + c.periodRows + c.events;
  const line =
    `${resumed ? `seeding continued (from ${fmtInt(have)} clients) into` : 'seedDatabase into'} ${opts.file}: ${fmtInt(c.clients)} clients, ${fmtInt(c.periodRows)} period rows, ${fmtInt(c.events)} status events ` +
    `in ${(ms / 1000).toFixed(1)} s (${fmtInt(rowsPerSec(c.clients, ms))} clients/s, ${fmtInt(rowsPerSec(all, ms))} rows/s); ` +
    `peak RSS ${fmtInt(process.resourceUsage().maxRSS / 1024)} MB (getrusage maxRSS); file ${fmtInt(statSync(opts.file).size / MB)} MB`;
  opts.log(`bench: ${line}`);
  return line;
}

async function continueSeeding(
  client: Client,
  opts: { clients: number; today: string; periods?: number; have: number; onProgress: (done: number, total: number) => void },
): Promise<Pick<SeedSummary, 'counts'>> {
  const added = await seedClients(client, {
    clients: Math.max(0, opts.clients - opts.have),
    seed: `42:resume:${opts.have}`,
    today: opts.today,
    nowMs: manilaMidnightMs(opts.today) + 17 * 3_600_000, // as seedDatabase for a fixed --today
    periods: opts.periods,
    onProgress: opts.onProgress,
  });
  return { counts: { areas: 0, branches: 0, branchContacts: 0, users: 0, ...added } };
}

/** A copy of a database seeded by an earlier run (--from-db), with this branch's pending migrations applied and timed. */
export async function copiedDatabase(from: string, dir: string, log: (s: string) => void) {
  const path = join(dir, 'bench.db');
  for (const suffix of ['', '-wal']) if (existsSync(from + suffix)) copyFileSync(from + suffix, path + suffix);
  const { client, db } = await openDatabase(pathToFileURL(path).href);
  const t = performance.now();
  await migrateDatabase(client);
  log(`bench: pending migrations applied to the copy of ${from} in ${Math.round(performance.now() - t)} ms`);
  return { client, db, url: pathToFileURL(path).href };
}

export async function benchSeed(opts: {
  dir: string;
  clients: number;
  today: string;
  periods?: number;
  rowByRowSample: number;
  log: (s: string) => void;
}): Promise<SeedBenchResult> {
  const { dir, clients, today, log } = opts;

  // 1. seedDatabase, the real thing, with the time inside client.batch (SQLite) split from the rest (JS).
  const { client, db } = await freshDatabase(dir, 'seeded');
  const realBatch = client.batch.bind(client);
  let batchMs = 0;
  client.batch = (async (...args: Parameters<Client['batch']>) => {
    const t = performance.now();
    try {
      return await realBatch(...args);
    } finally {
      batchMs += performance.now() - t;
    }
  }) as Client['batch'];
  const rssBefore = process.memoryUsage.rss();
  let rssPeakSampled = rssBefore;
  const sampler = setInterval(() => {
    rssPeakSampled = Math.max(rssPeakSampled, process.memoryUsage.rss());
  }, 100);
  let lastLog = 0;
  const t0 = performance.now();
  const summary = await seedDatabase(client, {
    clients,
    seed: 42,
    today,
    demoUsers: true,
    periods: opts.periods,
    onProgress: (done, total) => {
      rssPeakSampled = Math.max(rssPeakSampled, process.memoryUsage.rss());
      if (done === total || performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  seedDatabase: ${fmtInt(done)}/${fmtInt(total)} clients, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    },
  });
  const seedMs = performance.now() - t0;
  clearInterval(sampler);
  client.batch = realBatch;
  const maxRssKb = process.resourceUsage().maxRSS; // process peak so far = peak during seeding (seeding runs first)
  const c = summary.counts;
  const clientsMs = summary.timingsMs.clients;
  const allRows = c.clients + c.periodRows + c.events;

  // 2. The raw limit: the same client rows, multi-row INSERTs, one client.batch = one transaction.
  const { columns, rows } = await readClientRows(client);
  const raw: Array<{ label: string; ms: number }> = [];
  const perMax = Math.floor(32_000 / columns.length); // as many rows as SQLite's 32,766-variable limit allows
  {
    const target = await databaseWithOrg(dir, 'raw');
    await target.execute(`PRAGMA cache_size=${SEED_CACHE_SIZE}`);
    const statements = multiRowStatements(columns, rows, perMax);
    const t = performance.now();
    await target.batch(statements, 'write');
    raw.push({ label: `raw multi-row INSERT … VALUES, ${perMax} rows/statement, 1 transaction (client.batch)`, ms: performance.now() - t });
    target.close();
    log(`  ${raw.at(-1)!.label}: ${(raw.at(-1)!.ms / 1000).toFixed(1)} s`);
  }

  // 3. The SQLite floor for these rows and indexes: INSERT … SELECT from the seeded file, no statements to
  // build or parse per row. Users first (events and period rows point at them), then each table in id order.
  const floor: Record<string, number> = {};
  {
    const target = await databaseWithOrg(dir, 'floor');
    await target.execute(`PRAGMA cache_size=${SEED_CACHE_SIZE}`);
    await target.execute({ sql: 'ATTACH ? AS src', args: [join(dir, 'seeded.db')] });
    await target.execute('INSERT INTO users SELECT * FROM src.users');
    for (const table of ['clients', 'client_period_status', 'status_events']) {
      const t = performance.now();
      await target.execute(`INSERT INTO main.${table} SELECT * FROM src.${table}`);
      floor[table] = performance.now() - t;
    }
    target.close();
    log(
      `  INSERT … SELECT floor: ${Object.entries(floor)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(', ')}`,
    );
  }
  const floorAll = floor.clients + floor.client_period_status + floor.status_events;

  // 4. The naive way: one INSERT per row, on a sample, extrapolated.
  const sample = rows.slice(0, Math.min(opts.rowByRowSample, rows.length));
  const single = `INSERT INTO clients (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')})`;
  const naive: Array<{ label: string; ms: number }> = [];
  {
    const target = await databaseWithOrg(dir, 'row-autocommit');
    const t = performance.now();
    for (const args of sample) await target.execute({ sql: single, args }); // each its own transaction (WAL commit)
    naive.push({ label: `row-by-row INSERT, autocommit (${fmtInt(sample.length)}-row sample)`, ms: performance.now() - t });
    target.close();
  }
  {
    const target = await databaseWithOrg(dir, 'row-tx');
    const t = performance.now();
    const tx = await target.transaction('write');
    for (const args of sample) await tx.execute({ sql: single, args });
    await tx.commit();
    naive.push({ label: `row-by-row INSERT, 1 transaction (${fmtInt(sample.length)}-row sample)`, ms: performance.now() - t });
    target.close();
  }
  rows.length = 0;

  const rawMs = Math.min(...raw.map((r) => r.ms));
  const ratio = (ms: number) => `${(rowsPerSec(c.clients, ms) / rowsPerSec(c.clients, rawMs)).toFixed(2)}x`;
  const throughput = table(
    ['method', 'client rows', 'time s', 'client rows/s', 'all rows/s', 'client rows/s vs raw'],
    [
      [
        'seedDatabase, client phase (clients + period rows + events)',
        fmtInt(c.clients),
        (clientsMs / 1000).toFixed(1),
        fmtInt(rowsPerSec(c.clients, clientsMs)),
        fmtInt(rowsPerSec(allRows, clientsMs)),
        ratio(clientsMs),
      ],
      [
        'seedDatabase, whole call (reference, org, users, clients)',
        fmtInt(c.clients),
        (seedMs / 1000).toFixed(1),
        fmtInt(rowsPerSec(c.clients, seedMs)),
        fmtInt(rowsPerSec(allRows, seedMs)),
        ratio(seedMs),
      ],
      ...raw.map((r) => [r.label, fmtInt(c.clients), (r.ms / 1000).toFixed(1), fmtInt(rowsPerSec(c.clients, r.ms)), '(clients only)', ratio(r.ms)]),
      [
        'SQLite floor: INSERT … SELECT from the seeded file, clients only',
        fmtInt(c.clients),
        (floor.clients / 1000).toFixed(1),
        fmtInt(rowsPerSec(c.clients, floor.clients)),
        '(clients only)',
        ratio(floor.clients),
      ],
      [
        'SQLite floor: INSERT … SELECT from the seeded file, clients + period rows + events',
        fmtInt(c.clients),
        (floorAll / 1000).toFixed(1),
        fmtInt(rowsPerSec(c.clients, floorAll)),
        fmtInt(rowsPerSec(allRows, floorAll)),
        ratio(floorAll),
      ],
      ...naive.map((r) => [
        r.label,
        `${fmtInt(sample.length)} (${fmtInt(c.clients)} extrapolated)`,
        `${(r.ms / 1000).toFixed(1)} (${((r.ms * c.clients) / sample.length / 1000).toFixed(0)} extrap.)`,
        fmtInt(rowsPerSec(sample.length, r.ms)),
        '(clients only)',
        ratio((r.ms * c.clients) / sample.length),
      ]),
    ],
  );
  const t = summary.timingsMs;
  const markdown = [
    '### Seed throughput',
    '',
    `seedDatabase wrote ${fmtInt(c.clients)} clients, ${fmtInt(c.periodRows)} period rows and ${fmtInt(c.events)} status events ` +
      `(${fmtInt(allRows)} rows; plus ${c.areas} areas, ${c.branches} branches, ${c.users} demo users). ` +
      'The raw and row-by-row baselines insert the same client rows (read back from the seeded file) into a fresh file ' +
      'holding only the reference data and branches, foreign keys on; they write clients only. ' +
      `The raw baseline runs with the seed's page cache (PRAGMA cache_size=${SEED_CACHE_SIZE}); the row-by-row ones with the default. ` +
      'The "SQLite floor" rows copy the seeded rows table by table with INSERT … SELECT from the attached seeded file (same indexes, ' +
      'foreign keys and page cache, no statement text or JSON per row): what storing these rows costs SQLite itself. ' +
      `Floor per table: clients ${(floor.clients / 1000).toFixed(1)} s, client_period_status ${(floor.client_period_status / 1000).toFixed(1)} s, ` +
      `status_events ${(floor.status_events / 1000).toFixed(1)} s.`,
    '',
    throughput,
    '',
    `Where seedDatabase's time goes: reference ${t.reference} ms, org ${t.org} ms, users ${t.users} ms (bcrypt), clients ${fmtInt(t.clients)} ms; ` +
      `inside client.batch (SQLite prepare + insert + index upkeep + commit) ${fmtInt(batchMs)} ms, ` +
      `the rest (generating rows and building statements in JS) ${fmtInt(seedMs - batchMs)} ms.`,
    '',
    `Peak RSS of the bench process during seeding: ${fmtInt(maxRssKb / 1024)} MB (getrusage maxRSS; sampled peak ${fmtInt(rssPeakSampled / MB)} MB, ${fmtInt(rssBefore / MB)} MB before seeding).`,
  ].join('\n');
  return { client, db, summary, markdown, url: pathToFileURL(join(opts.dir, 'seeded.db')).href };
}
