// The plans of the list paths as SQLite chooses them at 200,000 clients (decisions 125-127). A plan
// follows the statistics ANALYZE wrote, not the rows: the test database (2,000 clients) is given the
// sqlite_stat1 of a fresh 200k seed (tests/support/planner-stats-200k.json) and the planner reloads
// them. Sessions 8-10 measured on a file whose statistics predated the list indexes and missed plans
// that read thousands of rows for a page of 25; these tests fail if such a plan comes back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor, type StaffScope } from '../../app/core/access/scope.server';
import { clientsInScope } from '../../app/core/clients/list-clients.server';
import { parseClientListQuery } from '../../app/core/clients/list-query.server';
import { initializePeriod } from '../../app/core/status/initialize-period.server';
import { workspaceList } from '../../app/core/workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../../app/core/workspace/workspace-query.server';
import stats from '../support/planner-stats-200k.json';
import { testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { plan, statementsOf, type Statement } from '../support/query-plans';
import { idByCode } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  await t.client.execute('ANALYZE'); // makes sure sqlite_stat1 exists
  await t.client.batch(
    [
      'DELETE FROM sqlite_stat1',
      ...stats.rows.map(([tbl, idx, stat]) => ({ sql: 'INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', args: [tbl, idx, stat] })),
    ],
    'write',
  );
  await t.client.execute('ANALYZE sqlite_schema'); // the planner reloads the statistics
});
afterEach(() => t.close());

async function scopeOf(email: string, permission: string): Promise<StaffScope> {
  return scopeFor(await loadAccess(ctx, await userIdByEmail(t.db, email)), permission)!;
}

/** The plan of the statement that reads the page's ids of FCASH's workspace, for `email` with `params`. */
async function workspaceIdPlan(email: string, params: string): Promise<string> {
  const fcash = await idByCode(t.client, 'companies', 'FCASH');
  const query = parseWorkspaceQuery(new URLSearchParams(params), workspaceKind('fcash', null)!, ctx.clock.now());
  if (!query.ok) throw new Error(query.message);
  const scope = await scopeOf(email, 'status:read');
  const statements = await statementsOf(ctx, t.client, (c) => workspaceList(c, scope, fcash, query.query));
  return planOf(statements, (sql) => /\blimit\b/i.test(sql) && /"status_reasons"/.test(sql));
}

/** The plan of the one statement among `statements` that `pick` names. */
async function planOf(statements: Statement[], pick: (sql: string) => boolean): Promise<string> {
  const chosen = statements.filter((s) => pick(s.sql));
  expect(chosen, statements.map((s) => s.sql).join('\n')).toHaveLength(1);
  return (await plan(t.client, chosen[0])).join('\n');
}

/**
 * Whether a plan sorts rows in a temporary b-tree before its page is cut: any sort but the arms' merge
 * (which orders the few rows each arm cut) and the details' final order of the page's 25 rows.
 */
function sortsBeforeThePage(text: string): boolean {
  const lines = text.split('\n');
  return lines.some(
    (line, i) => /USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(line) && i < lines.length - 1 && !/^\s*SCAN \(subquery-\d+\)$/.test(lines[i - 1]),
  );
}

const pageStatement = (sql: string) => /\blimit\b/i.test(sql) && /"full_name"/.test(sql) && !/json_group_array/.test(sql);

describe('plans at 200,000 clients (the statistics of a fresh 200k seed)', () => {
  it('the statistics are the 200k ones: the planner believes the clients table holds 200,000 rows', async () => {
    const [row] = (await t.client.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'clients' AND idx = 'clients_branch_idx'")).rows;
    expect(String(row.stat).split(' ')[0]).toBe('200000');
  });

  it("a tele agent's clients page reads each branch's name index in order, not every client of the branches sorted", async () => {
    const query = parseClientListQuery(new URLSearchParams(''));
    if (!query.ok) throw new Error(query.message);
    const scope = await scopeOf('tele.fcash@demo.test', 'clients:read');
    const text = await planOf(await statementsOf(ctx, t.client, (c) => clientsInScope(c, scope, query.query)), pageStatement);
    expect(text).toContain('SEARCH clients USING INDEX clients_live_branch_name_idx (branch_id=?)');
    expect(text).not.toMatch(/clients_branch_idx/);
  });

  it("an admin's search of many matches walks the name index and tests the matches, not sorts them all", async () => {
    const query = parseClientListQuery(new URLSearchParams('q=000')); // in every client code: past SORT_MATCHES_MAX
    if (!query.ok) throw new Error(query.message);
    const scope = await scopeOf('admin@demo.test', 'clients:read');
    const statements = await statementsOf(ctx, t.client, (c) => clientsInScope(c, scope, query.query));
    const text = await planOf(statements, (sql) => pageStatement(sql) && /union all/i.test(sql));
    expect(text.match(/SEARCH clients USING INDEX clients_company_full_name_idx \(company_id=\?\)/g)).toHaveLength(2); // one arm per company
    expect(text).not.toMatch(/SEARCH clients USING INTEGER PRIMARY KEY/);
  });

  it("an admin's workspace filtered to PENDING walks names and probes each period row, not the status index", async () => {
    const fcash = await idByCode(t.client, 'companies', 'FCASH');
    const kind = workspaceKind('fcash', null)!;
    const pending = Number((await t.client.execute("SELECT id FROM status_types WHERE code = 'PENDING'")).rows[0].id);
    const query = parseWorkspaceQuery(new URLSearchParams(`status=${pending}&pageSize=10`), kind, ctx.clock.now());
    if (!query.ok) throw new Error(query.message);
    const scope = await scopeOf('admin@demo.test', 'status:read');
    const statements = await statementsOf(ctx, t.client, (c) => workspaceList(c, scope, fcash, query.query));
    const text = await planOf(statements, (sql) => /\blimit\b/i.test(sql) && /from "client_period_status"/.test(sql) && /"status_reasons"/.test(sql));
    expect(text).toContain('SEARCH clients USING INDEX clients_company_full_name_idx (company_id=?)');
    expect(text).not.toMatch(/client_period_status_period_status_idx/);
  });

  it("an admin's workspace sorted by last update or by status reads an index in order, not the month's rows sorted", async () => {
    for (const [params, index] of [
      ['sort=updated', 'client_period_status_period_updated_idx'],
      ['sort=updated&dir=desc', 'client_period_status_period_updated_idx'],
      ['sort=status', 'client_period_status_period_status_idx'],
      ['sort=status&dir=desc&page=3', 'client_period_status_period_status_idx'],
    ] as const) {
      const text = await workspaceIdPlan('admin@demo.test', params);
      expect(text, params).toContain(`client_period_status USING COVERING INDEX ${index} (period_key=?`);
      // The id subquery (depth 1) reads in order: no sort of the month's rows before the page is cut.
      const idSteps = text.split('\n').filter((line) => /^ {2}\S/.test(line));
      expect(idSteps, params).not.toContain('  USE TEMP B-TREE FOR ORDER BY');
      if (params === 'sort=updated') expect(idSteps, params).not.toContain('  USE TEMP B-TREE FOR RIGHT PART OF ORDER BY'); // ties by client id from the index
    }
  });

  it("the workspace sorted by branch reads the page's branch in client order from the counts' place, not the month's rows sorted", async () => {
    // Decision 129: the counts per branch say which branch the page falls in; that branch is read in id order.
    for (const [email, params] of [
      ['admin@demo.test', 'sort=branch'],
      ['admin@demo.test', 'sort=branch&dir=desc&page=3'],
      ['tele.fcash@demo.test', 'sort=branch'],
    ] as const) {
      const text = await workspaceIdPlan(email, params);
      expect(text, `${email} ${params}`).toContain('SEARCH clients USING INDEX clients_live_branch_company_idx (branch_id=? AND company_id=?)');
      expect(sortsBeforeThePage(text), `${email} ${params}`).toBe(false);
    }
  });

  it("a tele agent's or an area manager's workspace sorted by status walks each branch in client order and probes the status index", async () => {
    for (const [email, params] of [
      ['tele.fcash@demo.test', 'sort=status'],
      ['tele.fcash@demo.test', 'sort=status&dir=desc&page=3'],
      ['area.ncr@demo.test', 'sort=status'],
    ] as const) {
      const text = await workspaceIdPlan(email, params);
      expect(text, `${email} ${params}`).toContain('SEARCH clients USING INDEX clients_live_branch_company_idx (branch_id=? AND company_id=?)');
      expect(text, `${email} ${params}`).toContain(
        'SEARCH client_period_status USING COVERING INDEX client_period_status_period_status_idx (period_key=? AND status_type_id=? AND client_id=?)',
      );
      expect(sortsBeforeThePage(text), `${email} ${params}`).toBe(false);
    }
  });

  it('the clients list sorted by past due reads each arm in past-due order, not every client in scope sorted', async () => {
    for (const [email, params, arm] of [
      ['admin@demo.test', 'sort=pastDue', 'clients_live_company_past_due_idx (company_id=?)'],
      ['admin@demo.test', 'sort=pastDue&dir=desc', 'clients_live_company_past_due_idx (company_id=? AND past_due_centavos>?)'],
      ['admin@demo.test', 'sort=pastDue&dir=desc', 'clients_live_company_past_due_idx (company_id=? AND past_due_centavos=?)'],
      ['tele.fcash@demo.test', 'sort=pastDue&dir=desc', 'clients_live_branch_past_due_idx (branch_id=?)'],
    ] as const) {
      const query = parseClientListQuery(new URLSearchParams(params));
      if (!query.ok) throw new Error(query.message);
      const scope = await scopeOf(email, 'clients:read');
      const text = await planOf(await statementsOf(ctx, t.client, (c) => clientsInScope(c, scope, query.query)), (sql) => /\blimit\b/i.test(sql));
      const arms = email === 'admin@demo.test' ? 2 : 4; // one per company, or one per branch of the tele agent
      expect(text.split(`SEARCH clients USING INDEX ${arm}`).length - 1, `${email} ${params}\n${text}`).toBe(arms);
      expect(text, `${email} ${params}`).not.toMatch(/SCAN clients|clients_branch_idx/);
    }
  });

  it('period initialization probes the terminal rows through their partial index, not every period row of each client', async () => {
    const statements = await statementsOf(ctx, t.client, (c) => initializePeriod(c, { type: 'monthly', year: 2026, number: 12 }));
    const insert = await planOf(statements, (sql) => /^\s*insert into client_period_status/i.test(sql));
    expect(insert).toContain('client_period_status_terminal_idx');
  });
});
