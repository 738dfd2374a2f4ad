// The growth curve (issue 13 item 6): the same screen paths timed on kept databases of several sizes
// (--growth 20000=FILE,200000=FILE,1000000=FILE, each seeded once by `--only prepare --from-db FILE`),
// one size after the other in one run, so how each cost grows with the clients is visible in one table.
// Each path is the core function its loader calls, with a real AppContext (as list-loader.ts).
// The exports (full clients; FCASH's status of today's month; CSV, XLSX and the SELECT → csv-stringify
// baseline) run on the same copy, each in its own process (bench/export-run.ts, as bench/exports.ts).
// --growth-only screens|exports runs one part (the copy and its migrations are made either way).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { loadAccess } from '../app/core/access/access.server';
import { staffAccess } from '../app/core/access/staff-access.server';
import { clientInScope, clientPeriods } from '../app/core/clients/client-detail.server';
import { clientsInScope } from '../app/core/clients/list-clients.server';
import { parseClientListQuery } from '../app/core/clients/list-query.server';
import { progressBasis, progressByBranch } from '../app/core/org/progress.server';
import { computeDashboard } from '../app/core/reports/dashboard.server';
import { applyStatusUpdate } from '../app/core/status/apply-status-update.server';
import { initializePeriod } from '../app/core/status/initialize-period.server';
import { periodOf, shiftPeriod } from '../app/core/status/periods';
import { workspaceList } from '../app/core/workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../app/core/workspace/workspace-query.server';
import { appContext, sample, scopeOf } from './list-loader';
import { EXPORT_KINDS, EXPORT_WRITERS, exportLabel, measureExportSet, writerLabel, type ExportSet } from './exports';
import { copiedDatabase } from './seed-throughput';
import { fmtInt, fmtMs, summarize, table, timeMs, type Summary } from './stats';

export const GROWTH_PARTS = ['screens', 'exports'] as const;
export type GrowthPart = (typeof GROWTH_PARTS)[number];

/** `screens,exports` (the default: both) → the parts to run. */
export function parseGrowthParts(text: string): Set<GrowthPart> {
  const parts = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = parts.filter((p) => !(GROWTH_PARTS as readonly string[]).includes(p));
  if (parts.length === 0 || unknown.length > 0) throw new Error(`--growth-only: expected ${GROWTH_PARTS.join(' and/or ')}, got "${text}"`);
  return new Set(parts as GrowthPart[]);
}

export interface GrowthSize {
  clients: number;
  file: string;
}

/** `20000=/tmp/a.db,200000=/tmp/b.db` → sizes in the order given. */
export function parseGrowthSizes(text: string): GrowthSize[] {
  return text.split(',').map((part) => {
    const [n, file] = part.split('=');
    const clients = Number(n);
    if (!Number.isInteger(clients) || clients < 1 || !file) throw new Error(`--growth: expected N=FILE, got "${part}"`);
    return { clients, file };
  });
}

const one = async (client: Client, sql: string, args: Array<string | number> = []) => {
  const r = await client.execute({ sql, args });
  if (!r.rows[0]) throw new Error(`bench growth: nothing for ${sql}`);
  return r.rows[0];
};

/** Every path on one database: label → Summary (ms), plus the one-off period initialization. */
async function measureSize(client: Client, db: Parameters<typeof appContext>[0], today: string, n: number, log: (s: string) => void) {
  const ctx = appContext(db, today);
  const out = new Map<string, Summary>();
  const time = async (label: string, work: () => Promise<unknown>) => {
    await work(); // warm-up: lookups cached as on every request but the first
    const s = summarize(await sample(work, n));
    out.set(label, s);
    log(`  ${label}: p50 ${fmtMs(s.p50)} ms, p95 ${fmtMs(s.p95)} ms`);
  };
  const total = Number((await one(client, 'SELECT count(*) FROM clients'))[0]);
  const mid = await one(
    client,
    'SELECT id, last_name, client_code, contact_number FROM clients WHERE contact_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?',
    [Math.floor(total / 2)],
  );
  const list = async (label: string, email: string, params: string) => {
    const scope = await scopeOf(ctx, client, email);
    const parsed = parseClientListQuery(new URLSearchParams(params));
    if (!parsed.ok) throw new Error(parsed.message);
    await time(label, () => clientsInScope(ctx, scope, parsed.query));
  };
  await list('/clients, branch officer, page 1', 'branch.mnla01@demo.test', '');
  await list('/clients, admin, page 1', 'admin@demo.test', '');
  await list('/clients, admin, page 200', 'admin@demo.test', 'page=200');
  await list('/clients, admin, search "Santos"', 'admin@demo.test', 'q=Santos');
  await list('/clients, admin, search 3 letters of a surname', 'admin@demo.test', `q=${encodeURIComponent(String(mid.last_name).slice(1, 4))}`);
  await list('/clients, admin, search a client code', 'admin@demo.test', `q=${encodeURIComponent(String(mid.client_code))}`);
  await list('/clients, admin, search the last 7 digits of a phone', 'admin@demo.test', `q=${String(mid.contact_number).slice(-7)}`);

  const branchUser = Number((await one(client, "SELECT id FROM users WHERE email = 'branch.mnla01@demo.test'"))[0]);
  const companyIds = (await client.execute('SELECT id FROM companies')).rows.map((r) => Number(r[0]));
  const branchAccess = staffAccess(await loadAccess(ctx, branchUser), async () => companyIds);
  const branchScope = await scopeOf(ctx, client, 'branch.mnla01@demo.test');
  const ownClient = Number(
    (await one(client, "SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' LIMIT 1 OFFSET 10"))[0],
  );
  await time('/clients/:id, branch officer (client, periods)', async () => {
    const found = await clientInScope(ctx, branchScope, ownClient);
    if (!found) throw new Error('bench growth: the branch officer cannot see a client of MNLA01');
    return clientPeriods(ctx, found, branchAccess);
  });

  const fcash = Number((await one(client, "SELECT id FROM companies WHERE code = 'FCASH'"))[0]);
  const kind = workspaceKind('fcash', null)!;
  for (const who of [
    { label: '/workspace/fcash, tele agent, page 1', email: 'tele.fcash@demo.test' },
    { label: '/workspace/fcash, admin, page 1', email: 'admin@demo.test' },
  ]) {
    const scope = await scopeOf(ctx, client, who.email, 'status:read');
    const parsed = parseWorkspaceQuery(new URLSearchParams(), kind, ctx.clock.now());
    if (!parsed.ok) throw new Error(parsed.message);
    await time(who.label, () => workspaceList(ctx, scope, fcash, parsed.query));
  }
  const period = periodOf('monthly', ctx.clock.now());
  for (const who of [
    { label: '/ dashboard cold, admin, FCASH', email: 'admin@demo.test' },
    { label: '/ dashboard cold, area manager NCR', email: 'area.ncr@demo.test' },
  ]) {
    const scope = await scopeOf(ctx, client, who.email, 'reports:read');
    await time(who.label, () => computeDashboard(ctx, scope, fcash, 'monthly', period));
  }
  const adminBranches = await scopeOf(ctx, client, 'admin@demo.test', 'branches:read');
  const basis = await progressBasis(ctx);
  const branchIds = (await client.execute('SELECT id FROM branches WHERE deleted_at IS NULL')).rows.map((r) => Number(r[0]));
  await time('/branches progress, admin, every branch', () => progressByBranch(ctx, adminBranches, basis, branchIds));

  // Status update: distinct PENDING rows, each written once (as the status screen's POST does).
  const admin = Number((await one(client, "SELECT id FROM users WHERE email = 'admin@demo.test'"))[0]);
  const updateScope = await scopeOf(ctx, client, 'admin@demo.test', 'status:update');
  const updated = Number((await one(client, "SELECT id FROM status_types WHERE code = 'UPDATED'"))[0]);
  const targets = (
    await client.execute({
      sql: `SELECT s.client_id, s.version FROM client_period_status s JOIN status_types t ON t.id = s.status_type_id
            WHERE s.period_key = ? AND t.code = 'PENDING' ORDER BY s.id LIMIT ?`,
      args: [period.key, n + 1],
    })
  ).rows.map((r) => ({ clientId: Number(r.client_id), version: Number(r.version) }));
  let next = 0;
  await time('status update (applyStatusUpdate)', async () => {
    const t = targets[next++ % targets.length];
    const r = await applyStatusUpdate(
      ctx,
      { userId: admin, scope: updateScope, revertScope: null },
      { clientId: t.clientId, periodKey: period.key },
      { statusTypeId: updated, reasonId: null, remarks: null, hasPayment: true, baseVersion: t.version },
    );
    if (!r.ok && next <= targets.length) throw new Error(`bench growth: status update refused: ${r.code}`);
  });
  const [initMs, init] = await timeMs(() => initializePeriod(ctx, shiftPeriod(period, 1)));
  log(`  period initialization: ${fmtInt(init.created)} rows in ${fmtMs(initMs)} ms`);
  return { total, paths: out, init: { ms: initMs, rows: init.created } };
}

type SizeResult = { size: GrowthSize; total: number; screens?: Awaited<ReturnType<typeof measureSize>>; exports?: ExportSet };

export async function benchGrowth(opts: {
  sizes: GrowthSize[];
  dir: string;
  today: string;
  iterations: number;
  log: (s: string) => void;
  parts?: Set<GrowthPart>;
  /** Rounds of each export, interleaved; the fastest is kept (as --export-repeat). */
  exportRepeat?: number;
}) {
  const parts = opts.parts ?? new Set(GROWTH_PARTS);
  const results: SizeResult[] = [];
  for (const size of opts.sizes) {
    opts.log(`bench growth: ${fmtInt(size.clients)} clients from ${size.file}`);
    const sub = join(opts.dir, `growth-${size.clients}`);
    mkdirSync(sub, { recursive: true });
    // Everything runs on this copy: the kept file is only read.
    const { client, db, url } = await copiedDatabase(size.file, sub, opts.log);
    let open = true;
    const close = () => {
      if (open) client.close();
      open = false;
    };
    try {
      const total = Number((await one(client, 'SELECT count(*) FROM clients'))[0]);
      const result: SizeResult = { size, total };
      if (parts.has('screens')) result.screens = await measureSize(client, db, opts.today, opts.iterations, opts.log);
      close(); // the exports open the copy in their own processes
      if (parts.has('exports')) {
        opts.log(`  exports (${fmtInt(total)} clients), each in its own process`);
        result.exports = measureExportSet({ url, dir: sub, today: opts.today, repeat: opts.exportRepeat ?? 1, log: opts.log });
      }
      results.push(result);
    } finally {
      close();
      rmSync(sub, { recursive: true, force: true }); // a 1M copy is several GB
    }
  }
  const sizeHeads = results.map((r) => `${fmtInt(r.total)} clients`);
  const growthHeads = results.slice(1).map((r, i) => `p50 ×, ${fmtInt(results[i].total)} → ${fmtInt(r.total)}`);
  const markdown: string[] = [];
  if (parts.has('screens')) {
    const screens = results.map((r) => r.screens!);
    const labels = [...screens[0].paths.keys()];
    const rows = labels.map((label) => [
      label,
      ...screens.map((r) => `${fmtMs(r.paths.get(label)!.p50)} / ${fmtMs(r.paths.get(label)!.p95)}`),
      ...screens.slice(1).map((r, i) => (r.paths.get(label)!.p50 / screens[i].paths.get(label)!.p50).toFixed(1)),
    ]);
    rows.push([
      'period initialization, next month (s; rows)',
      ...screens.map((r) => `${(r.init.ms / 1000).toFixed(1)} s; ${fmtInt(r.init.rows)}`),
      ...screens.slice(1).map((r, i) => (r.init.ms / screens[i].init.ms).toFixed(1)),
    ]);
    markdown.push(
      '### Growth curve: the same paths at each size',
      '',
      `Each size is a copy of a kept database (\`--only prepare --from-db FILE\`, 12 periods of history, seed 42), migrated, measured, deleted; ` +
        `n = ${opts.iterations} per path after one warm-up call, the core function each screen's loader calls with a real AppContext (memory cache, fixed clock). ` +
        "The last columns divide each p50 by the previous size's: 10x more clients giving 1.0 means the path does not grow with the data.",
      '',
      table(['path (ms, p50 / p95)', ...sizeHeads, ...growthHeads], rows),
    );
  }
  if (parts.has('exports')) {
    const rows: string[][] = [];
    // Grouped by export and size, so each size's CSV and XLSX sit under their own baseline.
    for (const kind of EXPORT_KINDS) {
      results.forEach((r, i) => {
        const set = r.exports![kind];
        for (const format of EXPORT_WRITERS) {
          const e = set[format];
          const prev = i > 0 ? results[i - 1].exports![kind][format] : null;
          rows.push([
            exportLabel(kind, opts.today),
            fmtInt(r.total),
            writerLabel(format),
            fmtInt(e.rows),
            (e.ms / 1000).toFixed(2),
            fmtInt(Math.round((e.rows * 1000) / e.ms)),
            format === 'baseline' ? '1.00×' : `${(e.ms / set.baseline.ms).toFixed(2)}×`,
            prev ? (e.ms / prev.ms).toFixed(1) : '—',
            e.maxRssMb.toFixed(0),
            format === 'baseline' ? '—' : (e.bytes / 1024 / 1024).toFixed(1),
          ]);
        }
      });
    }
    const repeat = opts.exportRepeat ?? 1;
    markdown.push(
      ...(markdown.length ? [''] : []),
      '### Growth curve: the exports at each size',
      '',
      `On the same migrated copy of each kept database${parts.has('screens') ? ' (after the paths above: its status updates and next month initialized)' : ''}; ` +
        `each line is its own process (bench/export-run.ts; peak RSS = that process's VmHWM, Node + libSQL included), ${repeat > 1 ? `the fastest of ${repeat} interleaved rounds` : 'one round'}. ` +
        "The CSV and XLSX lines run the service's export handler through the job worker (the admin's scope, keyset batches of 1000, the file built in staging and committed to a local directory); " +
        'the baseline streams the same SELECT through csv-stringify into /dev/null. "vs baseline" divides by the baseline of the same size; ' +
        '"s ×, previous size" divides the seconds by the same line at the previous size. Targets (issue 12): XLSX within 2× of the baseline, under 250 MB RSS.',
      '',
      table(['export', 'clients', 'writer', 'rows', 'seconds', 'rows/s', 'vs baseline', 's ×, previous size', 'peak RSS MB', 'file MB'], rows),
    );
  }
  return { markdown: markdown.join('\n') };
}
