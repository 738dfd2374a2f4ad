// The sorted pages of decision 129 on a seeded file: p50 of 20 runs of workspaceList / clientsInScope (real
// AppContext) and of each statement it sends, run alone. `npx tsx bench/sort-pages.ts FILE [label filter]`;
// PLAN=1 prints the plan of the slowest statement. The demo users and the 2026-11 month of a bench seed.
import { openDatabase } from '../db/client';
import { appContext, scopeOf, statementsOf, plan } from './list-loader';
import { workspaceList } from '../app/core/workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../app/core/workspace/workspace-query.server';
import { clientsInScope } from '../app/core/clients/list-clients.server';
import { parseClientListQuery } from '../app/core/clients/list-query.server';

const file = process.argv[2];
const only = process.argv[3] ?? '';
const { db, client } = await openDatabase(`file:${file}`);
const ctx = appContext(db, '2026-11-20');
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn: () => Promise<unknown>, n = 20) {
  for (let i = 0; i < 2; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return p50(xs);
}
const cases: Array<[string, 'ws' | 'cl', string, string, string]> = [
  ['ws admin branch p1', 'ws', 'admin@demo.test', 'status:read', 'period=2026-11&sort=branch'],
  ['ws admin branch desc p1', 'ws', 'admin@demo.test', 'status:read', 'period=2026-11&sort=branch&dir=desc'],
  ['ws admin branch p40', 'ws', 'admin@demo.test', 'status:read', 'period=2026-11&sort=branch&page=40'],
  ['ws admin branch PENDING p1', 'ws', 'admin@demo.test', 'status:read', 'period=2026-11&sort=branch&status=1'],
  ['ws tele status p1', 'ws', 'tele.fcash@demo.test', 'status:read', 'period=2026-11&sort=status'],
  ['ws tele status desc p1', 'ws', 'tele.fcash@demo.test', 'status:read', 'period=2026-11&sort=status&dir=desc'],
  ['ws tele status p40', 'ws', 'tele.fcash@demo.test', 'status:read', 'period=2026-11&sort=status&page=40'],
  ['ws tele branch p1', 'ws', 'tele.fcash@demo.test', 'status:read', 'period=2026-11&sort=branch'],
  ['ws area status p1', 'ws', 'area.ncr@demo.test', 'status:read', 'period=2026-11&sort=status'],
  ['ws admin name p1', 'ws', 'admin@demo.test', 'status:read', 'period=2026-11'],
  ['cl admin pastDue p1', 'cl', 'admin@demo.test', 'clients:read', 'sort=pastDue'],
  ['cl admin pastDue desc p1', 'cl', 'admin@demo.test', 'clients:read', 'sort=pastDue&dir=desc'],
  ['cl admin pastDue p40', 'cl', 'admin@demo.test', 'clients:read', 'sort=pastDue&page=40'],
  ['cl tele pastDue p1', 'cl', 'tele.fcash@demo.test', 'clients:read', 'sort=pastDue'],
  ['cl area pastDue p1', 'cl', 'area.ncr@demo.test', 'clients:read', 'sort=pastDue'],
  ['cl admin name p1', 'cl', 'admin@demo.test', 'clients:read', ''],
  ['cl area name p1', 'cl', 'area.ncr@demo.test', 'clients:read', ''],
  ['cl area pastDue desc p1', 'cl', 'area.ncr@demo.test', 'clients:read', 'sort=pastDue&dir=desc'],
  ['cl admin pastDue desc deep', 'cl', 'admin@demo.test', 'clients:read', 'sort=pastDue&dir=desc&page=2000'],
];
const fcash = 1;
for (const [label, kind, email, perm, params] of cases) {
  if (only && !label.includes(only)) continue;
  const scope = await scopeOf(ctx, client, email, perm);
  let fn: (c: typeof ctx) => Promise<unknown>;
  if (kind === 'ws') {
    const parsed = parseWorkspaceQuery(new URLSearchParams(params), workspaceKind('fcash', null)!, ctx.clock.now());
    if (!parsed.ok) throw new Error(parsed.message);
    fn = (c) => workspaceList(c, scope, fcash, parsed.query);
  } else {
    const parsed = parseClientListQuery(new URLSearchParams(params));
    if (!parsed.ok) throw new Error(parsed.message);
    fn = (c) => clientsInScope(c, scope, parsed.query);
  }
  const whole = await time(() => fn(ctx));
  const stmts = await statementsOf(ctx, client, fn);
  const each: string[] = [];
  let worst = { ms: -1, i: 0 };
  for (const [i, s] of stmts.entries()) {
    const ms = await time(() => client.execute(s));
    each.push(ms.toFixed(2));
    if (ms > worst.ms) worst = { ms, i };
  }
  console.log(`${label.padEnd(28)} whole ${whole.toFixed(2).padStart(7)} ms | statements ${each.join(' / ')}`);
  if (process.env.PLAN) console.log((await plan(client, stmts[worst.i])).map((l) => '    ' + l).join('\n'));
  if (process.env.SQL) console.log(stmts[worst.i].sql, JSON.stringify(stmts[worst.i].args));
}
