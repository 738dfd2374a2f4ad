// The status-tracking paths of issue 4 at bench scale: workspace list, status update, dashboard
// (cold and cached) and period initialization, each beside the raw SQL it runs and, where the issue
// names one, the naive way (N+1 list, per-row initialization).
import type { Client } from '@libsql/client';
import type { AppDatabase } from '../db/database';
import type { StaffScope } from '../app/core/access/scope.server';
import { computeDashboard, dashboardFor } from '../app/core/reports/dashboard.server';
import { applyStatusUpdate } from '../app/core/status/apply-status-update.server';
import { initializePeriod } from '../app/core/status/initialize-period.server';
import { periodOf, shiftPeriod } from '../app/core/status/periods';
import { workspaceList } from '../app/core/workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../app/core/workspace/workspace-query.server';
import type { AppContext } from '../app/platform/context';
import { appContext, flagsOf, plan, sample, scopeOf, statementsOf, type Statement } from './list-loader';
import { fmtInt, fmtMs, summarize, table, timeMs, type Summary } from './stats';

const cell = (s: Summary) => `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`;
const ratio = (a: Summary, b: Summary) => `${(a.p50 / b.p50).toFixed(2)}x`;
const runAll = (client: Client, statements: Statement[]) => Promise.all(statements.map((s) => client.execute(s)));

async function idOf(client: Client, sql: string, args: Array<string | number> = []) {
  const r = await client.execute({ sql, args });
  if (!r.rows[0]) throw new Error(`bench: nothing for ${sql}`);
  return Number(r.rows[0][0]);
}

/** Interleaved timing of several ways to do the same thing (drift hits them alike). */
async function compare(ways: Array<() => Promise<unknown>>, n: number): Promise<Summary[]> {
  for (const w of ways) await w(); // warm-up
  const times = ways.map(() => [] as number[]);
  for (let i = 0; i < n; i++) for (const [j, w] of ways.entries()) times[j].push(...(await sample(w, 1)));
  return times.map(summarize);
}

// ---- workspace list ------------------------------------------------------------------------------

/** The ORM-style list: the page's ids, then one lookup per row and per joined table. */
async function naiveWorkspacePage(client: Client, pageIds: number[], periodKey: string) {
  const rows = [];
  for (const clientId of pageIds) {
    const c = (await client.execute({ sql: 'SELECT * FROM clients WHERE id = ?', args: [clientId] })).rows[0];
    const s = (await client.execute({ sql: 'SELECT * FROM client_period_status WHERE client_id = ? AND period_key = ?', args: [clientId, periodKey] })).rows[0];
    const b = (await client.execute({ sql: 'SELECT * FROM branches WHERE id = ?', args: [c.branch_id] })).rows[0];
    const t = (await client.execute({ sql: 'SELECT * FROM status_types WHERE id = ?', args: [s.status_type_id] })).rows[0];
    const r =
      s.status_reason_id === null ? null : (await client.execute({ sql: 'SELECT * FROM status_reasons WHERE id = ?', args: [s.status_reason_id] })).rows[0];
    const p = (await client.execute({ sql: 'SELECT * FROM par_statuses WHERE id = ?', args: [c.par_status_id] })).rows[0];
    rows.push({ c, s, b, t, r, p });
  }
  return rows;
}

async function benchWorkspace(ctx: AppContext, client: Client, n: number, log: (s: string) => void) {
  const kind = workspaceKind('fcash', null)!;
  const pending = await idOf(client, "SELECT id FROM status_types WHERE code = 'PENDING'");
  const fcash = await idOf(client, "SELECT id FROM companies WHERE code = 'FCASH'");
  const cases = [
    { label: 'tele agent (4 branches), page 1', email: 'tele.fcash@demo.test', params: '' },
    { label: 'admin, all FCASH, page 1', email: 'admin@demo.test', params: '' },
    { label: 'admin, status = PENDING, page 1', email: 'admin@demo.test', params: `status=${pending}` },
    { label: 'admin, page 100', email: 'admin@demo.test', params: 'page=100' },
  ];
  const rows: Array<Array<string | number>> = [];
  for (const c of cases) {
    const scope = await scopeOf(ctx, client, c.email, 'status:read');
    const parsed = parseWorkspaceQuery(new URLSearchParams(c.params), kind, ctx.clock.now());
    if (!parsed.ok) throw new Error(parsed.message);
    const q = parsed.query;
    const statements = await statementsOf(ctx, client, (x) => workspaceList(x, scope, fcash, q));
    const core = await workspaceList(ctx, scope, fcash, q);
    const pageIds = core.rows.map((r) => r.clientId);
    const raw = () => runAll(client, statements);
    // The naive page still needs the counts: it runs the same count statements, then N+1 for the rows.
    const counts = statements.filter((s) => !/\blimit\b/i.test(s.sql)); // all but the page query
    const naive = async () => {
      await runAll(client, counts);
      return naiveWorkspacePage(client, pageIds, q.periodRef.key);
    };
    const [a, b, d] = await compare([() => workspaceList(ctx, scope, fcash, q), raw, naive], n);
    const flags = (await Promise.all(statements.map((s) => plan(client, s)))).map(flagsOf).join('; ');
    rows.push([c.label, fmtInt(core.total), core.rows.length, statements.length, cell(a), cell(b), cell(d), ratio(d, a), flags]);
    log(`  workspace ${c.label}: core p50 ${fmtMs(a.p50)} ms, raw ${fmtMs(b.p50)} ms, N+1 ${fmtMs(d.p50)} ms`);
  }
  return table(['case', 'total', 'rows', 'statements', 'workspaceList p50 / p95', 'raw SQL', 'naive N+1', 'N+1 vs core', 'plans'], rows);
}

// ---- status update -------------------------------------------------------------------------------

async function benchStatusUpdate(ctx: AppContext, client: Client, n: number, log: (s: string) => void) {
  const admin = await idOf(client, "SELECT id FROM users WHERE email = 'admin@demo.test'");
  const scope: StaffScope = await scopeOf(ctx, client, 'admin@demo.test', 'status:update');
  const updated = await idOf(client, "SELECT id FROM status_types WHERE code = 'UPDATED'");
  const periodKey = periodOf('monthly', ctx.clock.now()).key;
  const pendingRows = await client.execute({
    sql: `SELECT s.id, s.client_id, s.version FROM client_period_status s JOIN status_types t ON t.id = s.status_type_id
          WHERE s.period_key = ? AND t.code = 'PENDING' ORDER BY s.id LIMIT ?`,
    args: [periodKey, 2 * n],
  });
  const targets = pendingRows.rows.map((r) => ({ id: Number(r.id), clientId: Number(r.client_id), version: Number(r.version) }));
  if (targets.length < 2 * n) throw new Error(`bench: only ${targets.length} PENDING rows in ${periodKey}`);
  const coreMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const viaCore = targets[2 * i];
    const [ms, result] = await timeMs(() =>
      applyStatusUpdate(
        ctx,
        { userId: admin, scope, revertScope: null },
        { clientId: viaCore.clientId, periodKey },
        { statusTypeId: updated, reasonId: null, remarks: null, hasPayment: true, baseVersion: viaCore.version },
      ),
    );
    if (!result.ok) throw new Error(`bench: status update refused: ${result.code}`);
    coreMs.push(ms);
    // The same writes as raw SQL in one write transaction: read, versioned update, next event, activity row.
    const viaRaw = targets[2 * i + 1];
    const now = ctx.clock.now().getTime();
    const t = performance.now();
    await client.batch(
      [
        {
          sql: 'SELECT s.id, s.status_type_id, s.version FROM client_period_status s JOIN clients c ON c.id = s.client_id WHERE s.client_id = ? AND s.period_key = ?',
          args: [viaRaw.clientId, periodKey],
        },
        {
          sql: `UPDATE client_period_status SET status_type_id = ?, status_reason_id = NULL, remarks = NULL, has_payment = 1, is_terminal = 0,
              update_count = update_count + 1, version = version + 1, last_updated_by = ?, last_updated_at = ? WHERE id = ? AND version = ?`,
          args: [updated, admin, now, viaRaw.id, viaRaw.version],
        },
        {
          sql: `INSERT INTO status_events (period_status_id, client_id, event_sequence, from_status_type_id, to_status_type_id, has_payment, is_revert, created_by, created_at)
              SELECT ?, ?, coalesce(max(event_sequence), 0) + 1, (SELECT id FROM status_types WHERE code = 'PENDING'), ?, 1, 0, ?, ? FROM status_events WHERE period_status_id = ?`,
          args: [viaRaw.id, viaRaw.clientId, updated, admin, now, viaRaw.id],
        },
        {
          sql: `INSERT INTO activity_logs (user_id, action, resource_type, resource_id, ip, request_id, created_at, details) VALUES (?, 'status.update', 'client', ?, '127.0.0.1', 'bench', ?, '{}')`,
          args: [admin, String(viaRaw.clientId), now],
        },
      ],
      'write',
    );
    rawMs.push(performance.now() - t);
  }
  const [a, b] = [summarize(coreMs), summarize(rawMs)];
  log(`  status update: core p50 ${fmtMs(a.p50)} ms, raw ${fmtMs(b.p50)} ms`);
  return table(
    ['path', 'n', 'p50 / p95 ms', 'mean ms', 'vs raw (p50)'],
    [
      ['applyStatusUpdate (rules, row, event, activity, dashboard generation; one transaction)', n, cell(a), fmtMs(a.mean), ratio(a, b)],
      ['raw SQL: the same 4 statements in one client.batch write transaction, no rules', n, cell(b), fmtMs(b.mean), '1.00x'],
    ],
  );
}

// ---- dashboard -------------------------------------------------------------------------------------

async function benchDashboard(ctx: AppContext, client: Client, n: number, log: (s: string) => void) {
  const fcash = await idOf(client, "SELECT id FROM companies WHERE code = 'FCASH'");
  const period = periodOf('monthly', ctx.clock.now());
  const rows: Array<Array<string | number>> = [];
  for (const c of [
    { label: 'admin, FCASH this month', email: 'admin@demo.test' },
    { label: 'area manager NCR, FCASH this month', email: 'area.ncr@demo.test' },
  ]) {
    const scope = await scopeOf(ctx, client, c.email, 'reports:read');
    await computeDashboard(ctx, scope, fcash, 'monthly', period); // lookups cached, as on every request but the first
    const statements = await statementsOf(ctx, client, (x) => computeDashboard(x, scope, fcash, 'monthly', period));
    await dashboardFor(ctx, scope, fcash, 'monthly', period); // fills the cache
    const [cold, cachedRun, raw] = await compare(
      [
        () => computeDashboard(ctx, scope, fcash, 'monthly', period),
        () => dashboardFor(ctx, scope, fcash, 'monthly', period),
        () => runAll(client, statements),
      ],
      n,
    );
    const flags = (await Promise.all(statements.map((s) => plan(client, s)))).map(flagsOf).join('; ');
    rows.push([c.label, statements.length, cell(cold), cell(cachedRun), cell(raw), `${(cold.p50 / cachedRun.p50).toFixed(0)}x`, flags]);
    log(`  dashboard ${c.label}: cold p50 ${fmtMs(cold.p50)} ms, cached ${fmtMs(cachedRun.p50)} ms, raw ${fmtMs(raw.p50)} ms`);
  }
  return table(['case', 'statements', 'cold (computeDashboard) p50 / p95', 'cached (dashboardFor, memory cache)', 'raw SQL', 'cold vs cached', 'plans'], rows);
}

// ---- period initialization -----------------------------------------------------------------------

const ELIGIBLE = `SELECT c.id, c.company_id, c.branch_id FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id
  WHERE c.is_active = 1 AND c.deleted_at IS NULL AND ps.is_trackable = 1 AND p.tracking_cycle = 'monthly'
  AND NOT EXISTS (SELECT 1 FROM client_period_status t WHERE t.client_id = c.id AND t.is_terminal = 1)`;

async function benchInitialization(ctx: AppContext, client: Client, maxSample: number, log: (s: string) => void) {
  const next = shiftPeriod(periodOf('monthly', ctx.clock.now()), 1);
  const later = shiftPeriod(next, 2); // the naive runs write here, so the real run starts clean
  const pending = await idOf(client, "SELECT id FROM status_types WHERE code = 'PENDING'");
  const eligible = (await client.execute(ELIGIBLE)).rows;
  const sampleSize = Math.min(maxSample, Math.floor(eligible.length / 2));
  const insertOne = (r: (typeof eligible)[number]) => ({
    sql: `INSERT INTO client_period_status (client_id, company_id, branch_id, period_type, period_year, period_number, period_key, status_type_id,
          has_payment, is_terminal, update_count, version, created_at) VALUES (?, ?, ?, 'monthly', ?, ?, ?, ?, 0, 0, 0, 1, ?) ON CONFLICT DO NOTHING`,
    args: [r.id, r.company_id, r.branch_id, later.year, later.number, later.key, pending, Date.now()],
  });
  // Naive 1: read the eligible ids, insert row by row in one transaction (a sample, extrapolated).
  const tx = await client.transaction('write');
  const [txMs] = await timeMs(async () => {
    for (const r of eligible.slice(0, sampleSize)) await tx.execute(insertOne(r));
  });
  await tx.commit();
  // Naive 2: the same, each insert its own transaction (autocommit), on a smaller sample.
  const autoSample = Math.min(1000, eligible.length - sampleSize);
  const [autoMs] = await timeMs(async () => {
    for (const r of eligible.slice(sampleSize, sampleSize + autoSample)) await client.execute(insertOne(r));
  });

  const [firstMs, first] = await timeMs(() => initializePeriod(ctx, next));
  const captured = await statementsOf(ctx, client, (x) => initializePeriod(x, next));
  const inserts = captured.filter((s) => /^\s*insert/i.test(s.sql)).length;
  const [secondMs, second] = await timeMs(() => initializePeriod(ctx, next));
  if (second.created !== 0) throw new Error('bench: second initialization created rows');
  const perRow = (ms: number, size: number) => (ms / size) * first.created;
  log(`  period init ${next.key}: ${fmtInt(first.created)} rows in ${fmtMs(firstMs)} ms, second run ${fmtMs(secondMs)} ms`);
  return table(
    ['method', 'rows', 'time s', 'rows/s', 'vs set-based'],
    [
      [
        `initializePeriod ${next.key} (one INSERT … SELECT; ${inserts} insert statement per run)`,
        fmtInt(first.created),
        (firstMs / 1000).toFixed(1),
        fmtInt((first.created * 1000) / firstMs),
        '1.00x',
      ],
      ['initializePeriod again (idempotent: created 0)', '0', (secondMs / 1000).toFixed(1), '-', '-'],
      [
        `naive: SELECT eligible, then INSERT per row in 1 transaction (${fmtInt(sampleSize)}-row sample)`,
        `${fmtInt(sampleSize)} (${fmtInt(first.created)} extrap.)`,
        `${(txMs / 1000).toFixed(1)} (${(perRow(txMs, sampleSize) / 1000).toFixed(0)} extrap.)`,
        fmtInt((sampleSize * 1000) / txMs),
        `${(perRow(txMs, sampleSize) / firstMs).toFixed(1)}x slower`,
      ],
      [
        `naive: INSERT per row, autocommit (${fmtInt(autoSample)}-row sample)`,
        `${fmtInt(autoSample)} (${fmtInt(first.created)} extrap.)`,
        `${(autoMs / 1000).toFixed(1)} (${(perRow(autoMs, autoSample) / 1000).toFixed(0)} extrap.)`,
        fmtInt((autoSample * 1000) / autoMs),
        `${(perRow(autoMs, autoSample) / firstMs).toFixed(1)}x slower`,
      ],
    ],
  );
}

export async function benchStatusScreens(opts: {
  client: Client;
  db: AppDatabase;
  today: string;
  periods: number;
  iterations: number;
  log: (s: string) => void;
}) {
  const { client, db, today, log } = opts;
  const ctx = appContext(db, today);
  const counts = (
    await client.execute('SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM client_period_status), (SELECT count(*) FROM status_events)')
  ).rows[0];
  const n = opts.iterations;
  const workspace = await benchWorkspace(ctx, client, n, log);
  const dashboard = await benchDashboard(ctx, client, Math.max(5, Math.floor(n / 4)), log);
  const update = await benchStatusUpdate(ctx, client, n, log);
  const init = await benchInitialization(ctx, client, 5000, log);
  return {
    markdown: [
      '### Status tracking: workspace, status update, dashboard, period initialization',
      '',
      `Dataset: ${fmtInt(Number(counts[0]))} clients with ${opts.periods} periods of history each (${fmtInt(Number(counts[1]))} period rows, ${fmtInt(Number(counts[2]))} status events), today ${today}. ` +
        "Real core functions with a real AppContext (memory cache, fixed clock) beside the statements they send (captured from Drizzle's logger, same parameters) run with client.execute. " +
        `Times in ms, p50 / p95, interleaved runs (n = ${n}; dashboard n = ${Math.max(5, Math.floor(n / 4))}).`,
      '',
      '#### Workspace list (FCASH, this month, 25 rows a page, counts per status)',
      '',
      "The naive way loads the page ids and then each row's client, period row, branch, status, reason and PAR status one query at a time (N+1), plus the same count statements.",
      '',
      workspace,
      '',
      '#### Status update (PENDING → UPDATED, distinct rows, file database)',
      '',
      update,
      '',
      '#### Dashboard (cold = computed; cached = dashboardFor from the memory cache under the current generation)',
      '',
      dashboard,
      '',
      '#### Period initialization (next month, every eligible monthly client)',
      '',
      init,
    ].join('\n'),
  };
}
