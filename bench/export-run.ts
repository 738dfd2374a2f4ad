// One export measurement in its own process (so its peak RSS is the export's): spawned by bench/exports.ts.
//   node --import tsx bench/export-run.ts --db <url> --dir <dir> --kind clients|client_status --format csv|xlsx|baseline --today YYYY-MM-DD
// export: the service's export handler through the job worker (the real path, file committed to a
// local storage directory). baseline: the same SELECT (the same row source, same batches) streamed
// to csv-stringify into /dev/null. Prints one JSON line: rows, ms, maxRssMb, bytes.
import { createWriteStream, readFileSync } from 'node:fs';
import { benchContext } from './bench-context';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { eq } from 'drizzle-orm';
import { loadAccess } from '../app/core/access/access.server';
import { scopeFor } from '../app/core/access/scope.server';
import { staffAccess } from '../app/core/access/staff-access.server';
import { EXPORT_READ_PERMISSION, type ExportKind } from '../app/core/exports/export-kinds';
import { exportSource } from '../app/core/exports/export-rows.server';
import { intersectScopes } from '../app/core/exports/export-scope';
import { requestExport } from '../app/core/exports/request-export.server';
import { localExportStorage } from '../app/platform/files/local-export-storage';
import { openDatabase } from '../db/client';
import { exportJobs, users } from '../db/schema';
import { createExportHandler } from '../service/exports/export-handler';
import { JobWorker } from '../service/jobs/worker';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    dir: { type: 'string' },
    kind: { type: 'string', default: 'clients' },
    format: { type: 'string', default: 'csv' },
    today: { type: 'string', default: '2026-11-15' },
  },
});
const kind = values.kind as ExportKind;
const { client, db } = await openDatabase(values.db!);
const ctx = benchContext(db, values.today!, 'bench');
const { clock, logger } = ctx;
const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@demo.test'));
const access = await loadAccess(ctx, admin.id);
const input = kind === 'client_status' ? { type: kind, format: 'csv', company: 'fcash', period: values.today!.slice(0, 7) } : { type: kind, format: 'csv' };
const started = performance.now();
let rows = 0;
let bytes = 0;
if (values.format === 'baseline') {
  const scope = intersectScopes(scopeFor(access, EXPORT_READ_PERMISSION[kind]), scopeFor(access, 'reports:export'))!;
  // The handler's scope: a status export is of one company (FCASH).
  const fcashOnly = { ...scope, companies: scope.companies.filter((c) => c.companyId === 1) };
  const source = await exportSource(
    ctx,
    kind,
    kind === 'client_status' ? fcashOnly : scope,
    kind === 'client_status' ? { company: 'fcash', segment: 'fcash', period: input.period! } : {},
  );
  const out = createWriteStream('/dev/null');
  const csv = stringify();
  csv.pipe(out);
  csv.on('data', (chunk: Buffer) => (bytes += chunk.length));
  let after: number | null = null;
  for (;;) {
    const batch = await source.batch(after, 1000);
    for (const r of batch.rows) if (!csv.write(r)) await once(csv, 'drain');
    rows += batch.rows.length;
    after = batch.last;
    if (batch.rows.length < 1000) break;
  }
  csv.end();
  await once(out, 'finish');
} else {
  const asked = await requestExport(ctx, { userId: admin.id, access: staffAccess(access, async () => [1, 2]) }, { ...input, format: values.format });
  if (!asked.ok) throw new Error(JSON.stringify(asked));
  const storage = localExportStorage(values.dir!);
  const worker = new JobWorker({ db, clock, logger, handlers: { export: createExportHandler({ storage }) }, instanceId: 'bench', queues: ['export'] });
  const outcome = await worker.runOnce();
  if (outcome?.outcome !== 'done') throw new Error(`export ended ${outcome?.outcome}`);
  const [row] = await db.select().from(exportJobs).where(eq(exportJobs.id, asked.exportId));
  rows = row.rowsDone;
  bytes = row.fileSizeBytes ?? 0;
}
const ms = performance.now() - started;
client.close();
console.log(JSON.stringify({ rows, ms, bytes, maxRssMb: peakRssMb() }));

/**
 * This process's own peak RSS. VmHWM starts afresh at exec; getrusage's maxRSS does not (Linux keeps
 * the high-water mark of the forked parent, so a big bench process showed its own size on every line).
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
