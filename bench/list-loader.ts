// The clients list loader path: clientsInScope (real core function, real AppContext) beside the
// same SQL (captured from Drizzle's logger) run directly with client.execute.
import type { Client, ResultSet } from '@libsql/client';
import type { AppDatabase } from '../db/database';
import { loadAccess } from '../app/core/access/access.server';
import { scopeFor, type StaffScope } from '../app/core/access/scope.server';
import { clientsInScope } from '../app/core/clients/list-clients.server';
import { parseClientListQuery } from '../app/core/clients/list-query.server';
import { createMemoryCache } from '../app/platform/cache/memory-cache';
import { fixedClock } from '../app/platform/clock';
import type { AppContext } from '../app/platform/context';
import { parseAppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { createMemoryLimiter } from '../app/platform/rate-limit/memory-limiter';
import { writePort } from '../app/platform/write-queue';
import { childSpan } from '../app/platform/trace-context';
import { beforeStatements } from './list-before';
import { fmtInt, fmtMs, fmtPct, summarize, table, type Summary } from './stats';
import { plan, statementsOf, type Statement } from '../tests/support/query-plans';

export { plan, statementsOf, type Statement } from '../tests/support/query-plans';

const BENCH_TRACE = childSpan(null, false);

export function appContext(db: AppDatabase, today: string): AppContext {
  const clock = fixedClock(`${today}T17:00:00+08:00`); // the seed's "now" for a fixed --today
  return {
    db,
    write: writePort(db),
    clock,
    cache: createMemoryCache(),
    limiter: createMemoryLimiter(clock),
    logger: createLogger({ level: 'error', write: () => {} }),
    env: parseAppEnv({ NODE_ENV: 'test' }),
    requestId: BENCH_TRACE.traceId,
    trace: BENCH_TRACE,
    host: 'node',
    clientIp: '127.0.0.1',
    cspNonce: 'bench',
    state: {},
  };
}

export async function scopeOf(ctx: AppContext, client: Client, email: string, permission = 'clients:read'): Promise<StaffScope> {
  const user = await client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [email] });
  if (!user.rows[0]) throw new Error(`bench: demo user ${email} missing from the seeded database`);
  const scope = scopeFor(await loadAccess(ctx, Number(user.rows[0].id)), permission);
  if (!scope) throw new Error(`bench: ${email} has no ${permission}`);
  return scope;
}

/** The statements a core call sends, with their parameters, via Drizzle's query logger. */
/** The statements clientsInScope sends for one query string. */
async function captureStatements(ctx: AppContext, client: Client, scope: StaffScope, params: string): Promise<Statement[]> {
  const query = parseClientListQuery(new URLSearchParams(params));
  if (!query.ok) throw new Error(query.message);
  return statementsOf(ctx, client, (c) => clientsInScope(c, scope, query.query));
}

export async function sample(work: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await work();
    out.push(performance.now() - t);
  }
  return out;
}

/** What to look at in a plan: full scans and sorts through a temporary b-tree. */
export function flagsOf(lines: string[]): string {
  const scans = lines.filter((l) => /^\s*SCAN /.test(l)).map((l) => l.trim().replace(/^SCAN /, 'scan '));
  const sort = lines.some((l) => l.includes('TEMP B-TREE')) ? ['temp b-tree sort'] : [];
  return [...scans, ...sort].join(', ') || 'index searches only';
}

const fixedCases = [
  { label: '(a) branch officer MNLA01, page 1', email: 'branch.mnla01@demo.test', params: '' },
  { label: '(b) admin, all clients, page 1', email: 'admin@demo.test', params: '', before: '' },
  { label: '(c) admin, search q=Santos, page 1', email: 'admin@demo.test', params: 'q=Santos', before: 'Santos' },
  { label: '(d) admin, page 200 (offset 4,975)', email: 'admin@demo.test', params: 'page=200' },
];

/** Search cases on one client from the middle of the data: a 3-character piece of its surname, its code, pension number, phone. */
async function searchCases(client: Client) {
  const total = Number((await client.execute('SELECT count(*) FROM clients')).rows[0][0]);
  const row = (
    await client.execute({
      sql: 'SELECT last_name, client_code, pension_number, contact_number FROM clients WHERE contact_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?',
      args: [Math.floor(total / 2)],
    })
  ).rows[0];
  const piece = String(row.last_name).slice(1, 4);
  const phone = String(row.contact_number).slice(-7);
  return [
    { text: piece, label: `(e) admin, search a 3-character piece of a surname, q=${piece}` },
    { text: String(row.client_code), label: `(f) admin, search a client code, q=${row.client_code}` },
    { text: String(row.pension_number), label: `(g) admin, search a pension number, q=${row.pension_number}` },
    { text: phone, label: `(h) admin, search the last 7 digits of a phone, q=${phone}` },
  ].map((c) => ({ label: c.label, email: 'admin@demo.test', params: `q=${encodeURIComponent(c.text)}`, before: c.text }));
}

export async function benchListLoader(opts: {
  client: Client;
  db: AppDatabase;
  today: string;
  iterations: number;
  budgetMs: number;
  log: (s: string) => void;
}) {
  const { client, db, today, log } = opts;
  const ctx = appContext(db, today);
  const rows: Array<Array<string | number>> = [];
  const plans: string[] = [];
  const cases: Array<{ label: string; email: string; params: string; before?: string }> = [...fixedCases, ...(await searchCases(client))];
  for (const c of cases) {
    const scope = await scopeOf(ctx, client, c.email);
    const query = parseClientListQuery(new URLSearchParams(c.params));
    if (!query.ok) throw new Error(query.message);
    const statements = await captureStatements(ctx, client, scope, c.params);
    const viaCore = () => clientsInScope(ctx, scope, query.query);
    // Same shape as clientsInScope: a search's match count first (decisions 105, 108), then rows and count at once,
    // then any follow-up (the details; the last page, when past the end). A whole-company scope's search total comes
    // with the match count (its matches minus the soft-deleted ones): then no count statement follows.
    const lead = /^with m as materialized \(select rowid as id from clients_search/.test(statements[0].sql) ? 1 : 0;
    const viaRaw = async () => {
      let first: ResultSet | undefined;
      for (const s of statements.slice(0, lead)) first = await client.execute(s);
      const isCount = (st: Statement | undefined) => Boolean(st?.sql.startsWith('select count(*) as n from (select 1'));
      if (lead && !isCount(statements[lead]) && !isCount(statements[lead + 1])) {
        let page = await client.execute(statements[lead]);
        for (const s of statements.slice(lead + 1)) page = await client.execute(s);
        const row = first!.rows[0];
        return { page, total: { rows: [[Number(row.n) - Number(row.gone)]] } };
      }
      const pair = statements.slice(lead, lead + 2); // a search's capped total may be issued first
      let [page, total] = await Promise.all((isCount(pair[0]) ? [pair[1], pair[0]] : pair).map((s) => client.execute(s)));
      for (const s of statements.slice(lead + 2)) page = await client.execute(s);
      return { page, total };
    };

    // Same answer both ways (a wrong baseline would make the comparison meaningless).
    const [core, raw] = [await viaCore(), await viaRaw()];
    const rawTotal = Number(raw.total.rows[0][0]);
    if (core.rows.length !== raw.page.rows.length || (core.total !== rawTotal && !(core.capped && rawTotal > core.total))) {
      throw new Error(`bench: raw SQL disagrees with clientsInScope for ${c.label}`);
    }
    let warm = summarize([...(await sample(viaCore, 1)), ...(await sample(viaRaw, 1))]);
    if (warm.mean < 200) warm = summarize([...(await sample(viaCore, 5)), ...(await sample(viaRaw, 5))]);
    const n = Math.max(5, Math.min(opts.iterations, Math.floor(opts.budgetMs / (2 * warm.mean))));
    const coreMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < n; i++) {
      // interleaved, so drift hits both sides alike
      coreMs.push(...(await sample(viaCore, 1)));
      rawMs.push(...(await sample(viaRaw, 1)));
    }
    // The SQL before decision 099 (LIKE scan, OR'd companies), timed like the raw SQL above.
    const [a, b] = [summarize(coreMs), summarize(rawMs)];
    let beforeCell = '';
    if (c.before !== undefined) {
      const old = await beforeStatements(ctx, client, scope, c.before || undefined);
      const runOld = () => Promise.all(old.map((s) => client.execute(s)));
      const oldMs = summarize(await sample(runOld, Math.max(5, Math.min(20, Math.floor(opts.budgetMs / 4 / (2 * warm.mean + 1))))));
      beforeCell = `${fmtMs(oldMs.p50)} (${(oldMs.p50 / b.p50).toFixed(1)}x the new raw SQL)`;
    }
    const perStatement: Summary[] = [];
    for (const s of statements) perStatement.push(summarize(await sample(() => client.execute(s), Math.min(n, 10))));
    const cell = (s: Summary) => `${fmtMs(s.p50)} / ${fmtMs(s.p95)} / ${fmtMs(s.mean)}`;
    const planLines = await Promise.all(statements.map((s) => plan(client, s)));
    const flags = planLines.map((lines) => flagsOf(lines)).join('; ');
    rows.push([
      c.label,
      fmtInt(core.total),
      core.rows.length,
      n,
      cell(a),
      cell(b),
      fmtPct(a.p50 / b.p50 - 1),
      fmtPct(a.mean / b.mean - 1),
      fmtMs(perStatement[0].p50),
      fmtMs(perStatement[1].p50),
      beforeCell,
      flags,
    ]);
    log(`  ${c.label}: clientsInScope p50 ${fmtMs(a.p50)} ms, raw p50 ${fmtMs(b.p50)} ms (n=${n})`);

    plans.push(`#### ${c.label}`, '');
    for (const [i, name] of ['rows', 'count', 'rows (last page, after a page past the end)'].slice(0, statements.length).entries()) {
      const args = (statements[i].args as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      plans.push(`${name} query (args: ${args}):`, '', '```', statements[i].sql, '', ...planLines[i], '```', '');
    }
  }
  const markdown = [
    '### Clients list loader path',
    '',
    'clientsInScope with a real AppContext (db from openDatabase on the seeded file, memory cache and limiter, fixed clock at ' +
      `${today} 17:00 Manila) beside the same two statements (captured from Drizzle's query logger, same parameters) run with ` +
      'client.execute, both issued together as clientsInScope does. Times in ms, p50 / p95 / mean; runs interleaved after a warm-up (5 runs per side, 1 when a run takes over 200 ms); ' +
      `${opts.iterations} runs targeted, fewer (down to 5) when runs are slow, so each case takes about ${Math.round(opts.budgetMs / 1000)} s. ` +
      'n is the number of timed runs per side. "rows SQL" and "count SQL" time each raw statement alone (up to 10 runs). ' +
      '"before p50": the SQL before decision 099 on the same file (search as a LIKE scan over name, code, pension and phones; scope as company_id = ? or company_id = ?, one sort), rows and count together.',
    '',
    table(
      [
        'case',
        'total',
        'rows',
        'n',
        'clientsInScope',
        'raw SQL',
        'overhead p50',
        'overhead mean',
        'rows SQL p50',
        'count SQL p50',
        'before p50',
        'plan (rows; count)',
      ],
      rows,
    ),
    '',
    '#### Query plans (EXPLAIN QUERY PLAN)',
    '',
    ...plans,
  ].join('\n');
  return { markdown };
}
