// The workspaces (/workspace/fcash, /workspace/pcni with its PNP / Non-PNP switch) through the route's
// loader and action, on a real libSQL copy of the seeded base (today 2026-11-15, 2000 clients). Every
// list and count is compared with direct SQL written here, independently of app/core/workspace.
import type { InValue } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/database';
import { action, loader } from '../../app/routes/workspace.$company/route';
import { periodOf } from '../../app/core/status/periods';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { idByCode, sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { expectStatusTablesUnchanged, findPeriodRow, maxIdOf, reasonIdOf, rowsAfter, snapshotStatusTables, statusIdOf } from '../support/status';
import { flashOf, redirectOf } from '../support/flash';

const ADMIN = 'admin@demo.test'; // FCASH + PCNI, all
const OFFICER = 'branch.mnla01@demo.test'; // FCASH only, branch MNLA01, status:update
const TELE = 'tele.fcash@demo.test'; // FCASH MNLA01/QZN01/MKTI01/PSG01, status:update
const TELE_BRANCHES = ['MNLA01', 'QZN01', 'MKTI01', 'PSG01'];

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string; // '2026-11'
let QUARTER: string; // '2026-Q4'

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
  QUARTER = periodOf('quarterly', ctx.clock.now()).key;
});
afterEach(() => t.close());

const S = (code: string) => statusIdOf(t.client, code);

/** A signed-in user: GET the workspace loader, POST its action (repeated keys allowed). */
async function as(email: string) {
  const { cookie, userId } = await startTestSession(ctx, email);
  const company = (path: string) => /^\/workspace\/([^/?]+)/.exec(path)![1];
  return {
    userId,
    get: (path: string) => callRoute(loader, ctx, requestWithCookie(cookie, path), { company: company(path) }),
    post: (path: string, fields: Array<[string, string]> | Record<string, string>) => {
      const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
      return callRoute(
        action,
        ctx,
        requestWithCookie(cookie, path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
        }),
        { company: company(path) },
      );
    },
  };
}

async function list200(user: Awaited<ReturnType<typeof as>>, path: string) {
  const answer = await user.get(path);
  expect(answer.status, JSON.stringify(answer.data?.error ?? answer.data)).toBe(200);
  expect(answer.data.error).toBeNull();
  return answer.data;
}

// ---- the independent answer -------------------------------------------------------------------

interface Expect {
  period: string;
  company: 'FCASH' | 'PCNI';
  cycle: 'monthly' | 'quarterly';
  branches?: string[];
  where?: string;
  args?: InValue[];
}

const FROM = `FROM client_period_status s
  JOIN clients c ON c.id = s.client_id
  JOIN companies co ON co.id = c.company_id
  JOIN products p ON p.id = c.product_id
  JOIN branches b ON b.id = c.branch_id
  JOIN status_types st ON st.id = s.status_type_id`;

function whereOf(e: Expect): { sql: string; args: InValue[] } {
  const conds = ['s.period_key = ?', 'co.code = ?', 'p.tracking_cycle = ?', 'c.deleted_at IS NULL'];
  const args: InValue[] = [e.period, e.company, e.cycle];
  if (e.branches) {
    conds.push(`b.code IN (${e.branches.map(() => '?').join(', ')})`);
    args.push(...e.branches);
  }
  if (e.where) {
    conds.push(`(${e.where})`);
    args.push(...(e.args ?? []));
  }
  return { sql: conds.join(' AND '), args };
}

/** Client ids in the list's default order (name, then id). */
async function expectedIds(e: Expect, limit = 100): Promise<number[]> {
  const w = whereOf(e);
  const rows = await sqlRows(t.client, `SELECT c.id ${FROM} WHERE ${w.sql} ORDER BY c.full_name, c.id LIMIT ?`, [...w.args, limit]);
  return rows.map((r) => Number(r.id));
}

async function expectedTotal(e: Expect): Promise<number> {
  const w = whereOf(e);
  return sqlCount(t.client, `SELECT count(*) ${FROM} WHERE ${w.sql}`, w.args);
}

/** { statusTypeId: n } as a GROUP BY says, keys as strings (the loader's JSON). */
async function expectedCounts(e: Expect): Promise<Record<string, number>> {
  const w = whereOf(e);
  const rows = await sqlRows(t.client, `SELECT s.status_type_id AS id, count(*) AS n ${FROM} WHERE ${w.sql} GROUP BY s.status_type_id`, w.args);
  return Object.fromEntries(rows.map((r) => [String(r.id), Number(r.n)]));
}

const ids = (rows: Array<{ clientId: number }>) => rows.map((r) => r.clientId);
const fcash = (extra: Partial<Expect> = {}): Expect => ({ period: MONTH, company: 'FCASH', cycle: 'monthly', ...extra });

// ---- list, scope and counts -------------------------------------------------------------------

describe('/workspace/fcash: the current month, in the user scope', () => {
  it('the branch officer sees only the MNLA01 FCASH rows of 2026-11, counts equal to a GROUP BY', async () => {
    expect(MONTH).toBe('2026-11');
    const officer = await as(OFFICER);
    const data = await list200(officer, '/workspace/fcash?pageSize=100');
    expect(data.period.key).toBe('2026-11');
    expect(data.kind).toEqual({ companyCode: 'FCASH', cycle: 'monthly', segment: 'fcash' });

    const mine = fcash({ branches: ['MNLA01'] });
    const total = await expectedTotal(mine);
    expect(total).toBeGreaterThan(0);
    // The scope matters: the company has many more rows this month.
    expect(await expectedTotal(fcash())).toBeGreaterThan(total * 10);
    expect(data.list.total).toBe(total);
    expect(ids(data.list.rows)).toEqual(await expectedIds(mine));
    expect(new Set(data.list.rows.map((r: any) => r.branchCode))).toEqual(new Set(['MNLA01']));
    expect(data.list.counts).toEqual(await expectedCounts(mine));
    // Only this branch's branches are offered, and FCASH's workflow (with VISITED).
    expect(data.options.branches.map((b: any) => b.code)).toEqual(['MNLA01']);
    expect(data.options.statuses.map((s: any) => s.code)).toEqual(['PENDING', 'TO_FOLLOW', 'CALLED', 'VISITED', 'UPDATED', 'DONE']);
  });

  it('the admin sees every FCASH monthly row of the month; page 2 continues page 1 in the same order', async () => {
    const admin = await as(ADMIN);
    const all = fcash();
    const total = await expectedTotal(all);
    const first = (await list200(admin, '/workspace/fcash?pageSize=100')).list;
    const second = (await list200(admin, '/workspace/fcash?pageSize=100&page=2')).list;
    expect(first.total).toBe(total);
    expect(first.pages).toBe(Math.ceil(total / 100));
    expect([...ids(first.rows), ...ids(second.rows)]).toEqual(await expectedIds(all, 200));
    expect(first.counts).toEqual(await expectedCounts(all));
    // No PCNI client and no other period among them.
    const pcni = await sqlCount(
      t.client,
      `SELECT count(*) FROM clients c JOIN companies co ON co.id = c.company_id
      WHERE co.code = 'PCNI' AND c.id IN (${ids(first.rows).join(',')})`,
    );
    expect(pcni).toBe(0);
  });

  it("the tele agent's four branches: pages 1-4 continue in name order across the branches, a soft-deleted client left out", async () => {
    // The page of a user of named branches is read one branch at a time in name order and merged
    // (decision 110): the merged pages must be the plain ORDER BY over all four branches.
    const mine = fcash({ branches: TELE_BRANCHES });
    const [gone] = await expectedIds(mine, 3);
    await t.client.execute({ sql: 'UPDATE clients SET deleted_at = 1 WHERE id = ?', args: [gone] });
    const tele = await as(TELE);
    const pages = [];
    for (const page of [1, 2, 3, 4]) pages.push(...ids((await list200(tele, `/workspace/fcash?pageSize=10&page=${page}`)).list.rows));
    expect(await expectedTotal(mine)).toBeGreaterThan(40);
    const expected = await expectedIds(mine, 40);
    expect(expected).not.toContain(gone);
    expect(pages).toEqual(expected);
    expect(new Set((await list200(tele, '/workspace/fcash?pageSize=100')).list.rows.map((r: any) => r.branchCode))).toEqual(new Set(TELE_BRANCHES));
  });

  it('a status most rows hold (PENDING): every page in name order is one sort of the matching rows, deep pages too', async () => {
    // Many matches are paged by walking names and testing each period row, few by sorting the matches
    // (decision 127): both must give the plain ORDER BY's pages, in both directions.
    const admin = await as(ADMIN);
    const pending = fcash({ where: 'st.code = ?', args: ['PENDING'] });
    const matches = await expectedTotal(pending);
    const all = await expectedTotal(fcash());
    expect(4 * 10 * all).toBeLessThan(matches * matches); // page 1 of 10 rows is walked
    const last = Math.ceil(matches / 10);
    expect(4 * last * 10 * all).toBeGreaterThan(matches * matches); // the last page is sorted
    const w = whereOf(pending);
    for (const dir of ['asc', 'desc'] as const) {
      for (const page of [1, 2, Math.ceil(last / 2), last]) {
        const got = (await list200(admin, `/workspace/fcash?status=${await S('PENDING')}&pageSize=10&page=${page}&dir=${dir}`)).list;
        const expected = await sqlRows(t.client, `SELECT c.id ${FROM} WHERE ${w.sql} ORDER BY c.full_name ${dir}, c.id LIMIT 10 OFFSET ?`, [
          ...w.args,
          (page - 1) * 10,
        ]);
        expect(ids(got.rows), `${dir} page ${page}`).toEqual(expected.map((r) => Number(r.id)));
        expect(got.total).toBe(matches);
      }
    }
  });

  it('every sort, both directions, pages 1 and 3: one ORDER BY of the month rows, ties by client id', async () => {
    // The page's ids are read before their details (decision 127 addendum): a sort that needs the
    // branch or the status joins it in the id query, and the pages must still be one sort.
    const admin = await as(ADMIN);
    const w = whereOf(fcash());
    const keys = { name: 'c.full_name', code: 'c.client_code', branch: 'b.code', status: 'st.sequence', updated: 's.last_updated_at' } as const;
    for (const [sort, key] of Object.entries(keys)) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const page of [1, 3]) {
          const got = (await list200(admin, `/workspace/fcash?sort=${sort}&dir=${dir}&pageSize=20&page=${page}`)).list;
          const expected = await sqlRows(t.client, `SELECT c.id ${FROM} WHERE ${w.sql} ORDER BY ${key} ${dir}, c.id LIMIT 20 OFFSET ?`, [
            ...w.args,
            (page - 1) * 20,
          ]);
          expect(ids(got.rows), `${sort} ${dir} page ${page}`).toEqual(expected.map((r) => Number(r.id)));
        }
      }
    }
  });

  it('sorted by branch or status, every page of a territory, a filter or a branch is one ORDER BY (the counts place the page, decision 129)', async () => {
    // The page is found in the counts per branch or per status and only those groups are read, each in
    // client order: pages must stay one sort across group boundaries, in scope, without soft-deleted rows.
    const mine = fcash({ branches: TELE_BRANCHES });
    const [gone] = await expectedIds(mine, 1);
    await t.client.execute({ sql: 'UPDATE clients SET deleted_at = 1 WHERE id = ?', args: [gone] });
    const pending = await S('PENDING');
    const qzn = await idByCode(t.client, 'branches', 'QZN01');
    const keys = { branch: 'b.code', status: 'st.sequence' } as const;
    const cases: Array<[string, Expect, string]> = [
      [TELE, mine, ''],
      [
        'area.ncr@demo.test',
        fcash({ where: "b.id IN (SELECT ab.branch_id FROM area_branches ab JOIN areas a ON a.id = ab.area_id WHERE a.code = 'NCR')" }),
        '',
      ],
      [ADMIN, fcash({ where: 's.status_type_id = ?', args: [pending] }), `status=${pending}`],
      [ADMIN, fcash({ where: 's.has_payment = 1' }), 'payment=yes'],
      [ADMIN, fcash({ branches: ['QZN01'] }), `branch=${qzn}`],
      [TELE, fcash({ branches: ['QZN01'], where: 's.status_type_id = ?', args: [pending] }), `status=${pending}&branch=${qzn}`],
    ];
    for (const [email, e, filter] of cases) {
      const user = await as(email);
      const w = whereOf(e);
      const total = await expectedTotal(e);
      expect(total, `${email} ${filter}`).toBeGreaterThan(0);
      const last = Math.ceil(total / 7);
      for (const [sort, key] of Object.entries(keys)) {
        for (const dir of ['asc', 'desc'] as const) {
          for (const page of [...new Set([1, Math.min(2, last), Math.ceil(last / 2), last])]) {
            const got = (await list200(user, `/workspace/fcash?sort=${sort}&dir=${dir}&pageSize=7&page=${page}&${filter}`)).list;
            const expected = await sqlRows(t.client, `SELECT c.id ${FROM} WHERE ${w.sql} ORDER BY ${key} ${dir}, c.id LIMIT 7 OFFSET ?`, [
              ...w.args,
              (page - 1) * 7,
            ]);
            expect(ids(got.rows), `${email} ${filter} ${sort} ${dir} page ${page}`).toEqual(expected.map((r) => Number(r.id)));
            expect(got.total).toBe(total);
            expect(ids(got.rows)).not.toContain(gone);
          }
        }
      }
    }
  });

  it('counts per status ignore the status filter, other filters apply', async () => {
    const admin = await as(ADMIN);
    const pending = await S('PENDING');
    const mnla = await idByCode(t.client, 'branches', 'MNLA01');
    const unfiltered = (await list200(admin, '/workspace/fcash')).list;
    const byStatus = (await list200(admin, `/workspace/fcash?status=${pending}`)).list;
    expect(byStatus.counts).toEqual(unfiltered.counts);
    expect(byStatus.total).toBe(await expectedTotal(fcash({ where: 'st.code = ?', args: ['PENDING'] })));
    expect(byStatus.total).toBe(unfiltered.counts[pending]);

    const gsis = await idByCode(t.client, 'pension_types', 'GSIS');
    const both = (await list200(admin, `/workspace/fcash?status=${pending}&pensionType=${gsis}&payment=no`)).list;
    const others = fcash({ where: 'c.pension_type_id = ? AND s.has_payment = 0', args: [gsis] });
    expect(both.counts).toEqual(await expectedCounts(others));
    expect(both.counts).not.toEqual(unfiltered.counts);
    expect(both.total).toBe(await expectedTotal({ ...others, where: `${others.where} AND st.code = 'PENDING'` }));

    const branchOnly = (await list200(admin, `/workspace/fcash?status=${pending}&branch=${mnla}`)).list;
    expect(branchOnly.counts).toEqual(await expectedCounts(fcash({ branches: ['MNLA01'] })));
  });
});

describe('/workspace/fcash: each filter narrows to what SQL says', () => {
  async function check(qs: string, where: string, args: InValue[], every: (row: any) => boolean) {
    const admin = await as(ADMIN);
    const all = await expectedTotal(fcash());
    const e = fcash({ where, args });
    const total = await expectedTotal(e);
    expect(total, `${qs}: the seed must give a real narrowing`).toBeGreaterThan(0);
    expect(total).toBeLessThan(all);
    const data = await list200(admin, `/workspace/fcash?pageSize=100&${qs}`);
    expect(data.list.total, qs).toBe(total);
    expect(ids(data.list.rows), qs).toEqual(await expectedIds(e));
    // Each listed row satisfies the filter; the PAR, pension type and reason id, which the route data
    // no longer carries (it sends only the fields the table shows, decision 110), are read from the database.
    const held = await sqlRows(
      t.client,
      `SELECT c.id, s.status_reason_id AS reasonId, ps.name AS parName, pt.code AS pensionType
       FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN par_statuses ps ON ps.id = c.par_status_id
       LEFT JOIN pension_types pt ON pt.id = c.pension_type_id WHERE s.period_key = ? AND c.id IN (${ids(data.list.rows).join(',')})`,
      [MONTH],
    );
    const byId = new Map(
      held.map((r) => [Number(r.id), { reasonId: r.reasonId === null ? null : Number(r.reasonId), parName: r.parName, pensionType: r.pensionType }]),
    );
    expect(byId.size, qs).toBe(data.list.rows.length);
    expect(data.list.rows.map((r: any) => ({ ...r, ...byId.get(r.clientId) })).every(every), qs).toBe(true);
  }

  it('status', async () => {
    const id = await S('TO_FOLLOW');
    await check(`status=${id}`, 'st.code = ?', ['TO_FOLLOW'], (r) => r.statusCode === 'TO_FOLLOW');
  });

  it('reason (NO_ANSWER under CALLED, not the one under TO_FOLLOW)', async () => {
    const id = await reasonIdOf(t.client, 'CALLED', 'NO_ANSWER');
    await check(`reason=${id}`, 's.status_reason_id = ?', [id], (r) => r.reasonId === id && r.statusCode === 'CALLED');
  });

  it('branch', async () => {
    const id = await idByCode(t.client, 'branches', 'QZN01');
    await check(`branch=${id}`, 'b.code = ?', ['QZN01'], (r) => r.branchCode === 'QZN01');
  });

  it('PAR status', async () => {
    const id = await idByCode(t.client, 'par_statuses', 'tele_130');
    await check(`par=${id}`, 'c.par_status_id = ?', [id], (r) => r.parName === '30+ Days');
  });

  it('pension type', async () => {
    const id = await idByCode(t.client, 'pension_types', 'PVAO');
    await check(`pensionType=${id}`, 'c.pension_type_id = ?', [id], (r) => r.pensionType === 'PVAO');
  });

  it('payment yes and no', async () => {
    await check('payment=yes', 's.has_payment = 1', [], (r) => r.hasPayment === true);
    await check('payment=no', 's.has_payment = 0', [], (r) => r.hasPayment === false);
  });

  it('terminal yes and no', async () => {
    await check('terminal=yes', 's.is_terminal = 1', [], (r) => r.isTerminal === true);
    await check('terminal=no', 's.is_terminal = 0', [], (r) => r.isTerminal === false);
  });

  it('q: a name fragment, a code prefix in any case, a pension number prefix', async () => {
    await check('q=santos', "c.full_name LIKE '%santos%'", [], (r) => /santos/i.test(r.fullName));
    await check('q=fc000012', "c.client_code LIKE 'FC000012%'", [], (r) => r.clientCode.startsWith('FC000012'));
    const [one] = await sqlRows(t.client, `SELECT c.pension_number AS n ${FROM} WHERE s.period_key = ? AND co.code = 'FCASH' ORDER BY c.id LIMIT 1`, [MONTH]);
    const prefix = String(one.n).slice(0, 5);
    await check(`q=${encodeURIComponent(prefix)}`, 'c.pension_number LIKE ?', [`${prefix}%`], (r) => typeof r.clientCode === 'string');
  });

  it('filters combine (AND)', async () => {
    const status = await S('PENDING');
    const branch = await idByCode(t.client, 'branches', 'MKTI01');
    await check(
      `status=${status}&branch=${branch}&payment=no&terminal=no`,
      "st.code = 'PENDING' AND b.code = 'MKTI01' AND s.has_payment = 0 AND s.is_terminal = 0",
      [],
      (r) => r.statusCode === 'PENDING' && r.branchCode === 'MKTI01',
    );
  });
});

describe('/workspace/fcash: periods', () => {
  it('period=2026-10 shows October', async () => {
    const admin = await as(ADMIN);
    const data = await list200(admin, '/workspace/fcash?period=2026-10&pageSize=100');
    expect(data.period.key).toBe('2026-10');
    const october = fcash({ period: '2026-10' });
    expect(data.list.total).toBe(await expectedTotal(october));
    expect(data.list.total).not.toBe(await expectedTotal(fcash()));
    expect(ids(data.list.rows)).toEqual(await expectedIds(october));
    expect(data.list.counts).toEqual(await expectedCounts(october));
    // The picker offers the selectable years' months, newest first.
    expect(data.options.periods[0].key).toBe('2027-12');
    expect(data.options.periods.at(-1).key).toBe('2025-01');
    expect(data.options.periods).toHaveLength(36);
  });

  it('a period with no rows yet (not initialized) answers an empty list from the counts alone: the page query is not run', async () => {
    const admin = await as(ADMIN);
    expect(await expectedTotal(fcash({ period: '2026-12' }))).toBe(0);
    const queries: string[] = [];
    ctx.db = drizzle(t.client, { schema, logger: { logQuery: (sql) => queries.push(sql) } });
    const data = await list200(admin, '/workspace/fcash?period=2026-12&page=3');
    expect(data.period.key).toBe('2026-12');
    expect(data.list).toMatchObject({ rows: [], total: 0, page: 1, pages: 1, counts: {} });
    expect(queries.filter((q) => q.includes('from "client_status_counts"'))).toHaveLength(1);
    expect(queries.filter((q) => q.includes('from "client_period_status"'))).toHaveLength(0);
    // The month with rows still reads its page after the counts.
    queries.length = 0;
    const november = await list200(admin, '/workspace/fcash?pageSize=100');
    expect(ids(november.list.rows)).toEqual(await expectedIds(fcash()));
    expect(queries.filter((q) => q.includes('from "client_period_status"'))).toHaveLength(1);
  });

  it.each([
    ['2024-12', /outside the years you can pick \(2025, 2026, 2027\)/],
    ['2028-01', /outside the years you can pick/],
    ['2026-Q4', /is not a month/],
    ['garbage', /period.*must look like 2026-11 or 2026-Q4/],
    ['2026-13', /period.*must look like/],
  ])('period=%s → 400 with a clear message, no list', async (period, message) => {
    const admin = await as(ADMIN);
    const answer = await admin.get(`/workspace/fcash?period=${encodeURIComponent(period)}`);
    expect(answer.status).toBe(400);
    expect(answer.data.error).toMatch(message);
    expect(answer.data.list).toBeNull();
  });

  it('a garbage filter value → 400 naming the filter', async () => {
    const admin = await as(ADMIN);
    const answer = await admin.get('/workspace/fcash?status=abc');
    expect(answer.status).toBe(400);
    expect(answer.data.error).toMatch(/status.*positive whole number/);
  });
});

describe('/workspace/pcni and unknown workspaces', () => {
  it('segment=pnp: the quarterly PCNI rows of 2026-Q4, no VISITED among the statuses', async () => {
    expect(QUARTER).toBe('2026-Q4');
    const admin = await as(ADMIN);
    const data = await list200(admin, '/workspace/pcni?segment=pnp&pageSize=100');
    expect(data.kind).toEqual({ companyCode: 'PCNI', cycle: 'quarterly', segment: 'pnp' });
    expect(data.period.key).toBe('2026-Q4');
    const pnp: Expect = { period: QUARTER, company: 'PCNI', cycle: 'quarterly' };
    expect(data.list.total).toBeGreaterThan(0);
    expect(data.list.total).toBe(await expectedTotal(pnp));
    expect(ids(data.list.rows)).toEqual(await expectedIds(pnp));
    expect(data.list.counts).toEqual(await expectedCounts(pnp));
    expect(data.options.statuses.map((s: any) => s.code)).toEqual(['PENDING', 'TO_FOLLOW', 'CALLED', 'UPDATED', 'DONE']);
    expect(data.options.periods.every((p: any) => /^\d{4}-Q[1-4]$/.test(p.key))).toBe(true);
    // A month key on the quarterly list is refused like a quarter key on a monthly one.
    const month = await admin.get('/workspace/pcni?segment=pnp&period=2026-11');
    expect(month.status).toBe(400);
    expect(month.data.error).toMatch(/is not a quarter/);
    expect((await admin.get('/workspace/pcni?segment=pnp&period=2026-Q3')).data.list.total).toBe(await expectedTotal({ ...pnp, period: '2026-Q3' }));
  });

  it('without segment (Non-PNP): the monthly PCNI rows of 2026-11', async () => {
    const admin = await as(ADMIN);
    const data = await list200(admin, '/workspace/pcni?pageSize=100');
    expect(data.kind.segment).toBe('non-pnp');
    expect(data.period.key).toBe('2026-11');
    const nonPnp: Expect = { period: MONTH, company: 'PCNI', cycle: 'monthly' };
    expect(data.list.total).toBeGreaterThan(0);
    expect(data.list.total).toBe(await expectedTotal(nonPnp));
    expect(ids(data.list.rows)).toEqual(await expectedIds(nonPnp));
    expect(data.list.counts).toEqual(await expectedCounts(nonPnp));
    expect(data.options.statuses.map((s: any) => s.code)).not.toContain('VISITED');
  });

  it('/workspace/other → 404', async () => {
    const admin = await as(ADMIN);
    expect((await admin.get('/workspace/other')).status).toBe(404);
    expect((await admin.get('/workspace/FCASH')).status).toBe(404);
  });

  it('an FCASH-only user opening /workspace/pcni → 404 (either segment)', async () => {
    const officer = await as(OFFICER);
    expect((await officer.get('/workspace/pcni')).status).toBe(404);
    expect((await officer.get('/workspace/pcni?segment=pnp')).status).toBe(404);
    expect((await officer.get('/workspace/fcash')).status).toBe(200);
  });
});

// ---- quick update (one row) ---------------------------------------------------------------------

describe('quick update from a row (intent=status)', () => {
  async function quickForm(row: { clientId: number; version: number }, extra: Record<string, string> = {}) {
    return {
      intent: 'status',
      clientId: String(row.clientId),
      periodKey: MONTH,
      baseVersion: String(row.version),
      statusTypeId: String(await S('CALLED')),
      reasonId: String(await reasonIdOf(t.client, 'CALLED', 'NO_ANSWER')),
      remarks: '',
      hasPayment: 'no',
      ...extra,
    };
  }

  it('redirects back to the workspace URL with the flash, and writes exactly one event', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const officer = await as(OFFICER);
    const lastEvent = await maxIdOf(t.client, 'status_events');
    const lastLog = await maxIdOf(t.client, 'activity_logs');
    const here = `/workspace/fcash?status=${await S('PENDING')}&sort=code`;

    const answer = await officer.post(here, await quickForm(row, { returnTo: here }));
    expect(answer.status).toBe(302);
    const to = new URL(answer.headers.get('location')!, 'http://x.invalid');
    expect(to.pathname).toBe('/workspace/fcash');
    expect(Object.fromEntries(to.searchParams)).toEqual({ status: String(await S('PENDING')), sort: 'code' });
    expect(flashOf(answer)).toMatchObject({ type: 'success', message: 'Status saved.' });

    const events = await rowsAfter(t.client, 'status_events', lastEvent);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      client_id: row.clientId,
      period_status_id: row.id,
      event_sequence: row.maxSequence + 1,
      to_status_type_id: await S('CALLED'),
      status_reason_id: await reasonIdOf(t.client, 'CALLED', 'NO_ANSWER'),
      created_by: officer.userId,
    });
    expect(await rowsAfter(t.client, 'activity_logs', lastLog)).toHaveLength(1);
    const [state] = await sqlRows(t.client, 'SELECT version, status_type_id FROM client_period_status WHERE id = ?', [row.id]);
    expect(state).toEqual({ version: row.version + 1, status_type_id: await S('CALLED') });

    // The list the redirect lands on: the row left the PENDING filter, the counts moved by one.
    const after = await list200(officer, to.pathname + to.search);
    expect(ids(after.list.rows)).not.toContain(row.clientId);
    expect(after.list.counts).toEqual(await expectedCounts(fcash({ branches: ['MNLA01'] })));
  });

  it.each([['//evil.test'], ['https://evil.test/x'], ['/\\evil.test'], ['']])('returnTo=%j falls back to the workspace', async (returnTo) => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const officer = await as(OFFICER);
    const answer = await officer.post('/workspace/fcash?branch=1', await quickForm(row, { returnTo }));
    expect(answer.status).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: '/workspace/fcash?branch=1', flash: 'Status saved.' });
  });

  it('a row outside the scope → 404, nothing written; a stale version → 409 with the newer state', async () => {
    const officer = await as(OFFICER);
    const outside = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'QZN01', status: 'PENDING' });
    const mine = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const before = await snapshotStatusTables(t.client);
    expect((await officer.post('/workspace/fcash', await quickForm(outside, { returnTo: '/workspace/fcash' }))).status).toBe(404);
    const stale = await officer.post('/workspace/fcash', await quickForm({ ...mine, version: mine.version + 5 }, { returnTo: '/workspace/fcash' }));
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ ok: false, intent: 'status', formError: expect.stringMatching(/^Someone else updated/) });
    expect(stale.data.current).toMatchObject({ version: mine.version, statusTypeId: await S('PENDING') });
    await expectStatusTablesUnchanged(t.client, before);
  });
});

// ---- bulk -----------------------------------------------------------------------------------------

describe('bulk update (intent=bulk)', () => {
  /** Rows of the tele agent's branches whose status can move forward to CALLED. */
  async function teleRows(n: number) {
    const rows = await sqlRows(
      t.client,
      `SELECT s.id, s.client_id, s.version,
        (SELECT coalesce(max(e.event_sequence), 0) FROM status_events e WHERE e.period_status_id = s.id) AS max_seq
      ${FROM} WHERE s.period_key = ? AND co.code = 'FCASH' AND b.code IN (${TELE_BRANCHES.map(() => '?').join(',')})
        AND st.code IN ('PENDING', 'TO_FOLLOW', 'CALLED') ORDER BY s.id LIMIT ?`,
      [MONTH, ...TELE_BRANCHES, n],
    );
    expect(rows).toHaveLength(n);
    return rows.map((r) => ({ id: Number(r.id), clientId: Number(r.client_id), version: Number(r.version), maxSequence: Number(r.max_seq) }));
  }

  async function bulkFields(items: Array<{ clientId: number; version: number }>, over: Record<string, string | null> = {}) {
    const base: Record<string, string | null> = {
      intent: 'bulk',
      periodKey: MONTH,
      statusTypeId: String(await S('CALLED')),
      reasonId: String(await reasonIdOf(t.client, 'CALLED', 'CALLBACK_REQUESTED')),
      remarks: 'bulk call round',
      hasPayment: 'no',
      ...over,
    };
    const fields: Array<[string, string]> = Object.entries(base).filter(([, v]) => v !== null) as Array<[string, string]>;
    for (const it of items) fields.push(['clientIds', String(it.clientId)], [`v${it.clientId}`, String(it.version)]);
    return fields;
  }

  it('20 clients: one result each, in order; out of scope → "Not found…", a stale version refuses only that row', async () => {
    const tele = await as(TELE);
    const good = await teleRows(18);
    const stale = good.pop()!; // 17 good, 1 stale
    const outside = await findPeriodRow(t.client, {
      periodKey: MONTH,
      company: 'FCASH',
      status: 'PENDING',
      extra: `b.code NOT IN (${TELE_BRANCHES.map(() => '?').join(',')})`,
      args: TELE_BRANCHES,
    });
    const extra = (await teleRows(19)).at(-1)!; // one more good row so that 18 should save
    const items = [...good.slice(0, 9), { ...stale, version: stale.version + 1 }, outside, ...good.slice(9), extra];
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.clientId)).size).toBe(20);
    const lastEvent = await maxIdOf(t.client, 'status_events');
    const before = await sqlRows(t.client, 'SELECT id, version, status_type_id FROM client_period_status WHERE id IN (?, ?)', [stale.id, outside.id]);

    const answer = await tele.post('/workspace/fcash', await bulkFields(items));
    // Post/redirect/get: back to the list, each client's outcome in the flash (one line per client, in order).
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/workspace/fcash');
    const flash = flashOf(answer)!;
    expect(flash).toMatchObject({ type: 'error', message: '18 of 20 saved.' });
    const results = flash.details!.map(([label, message, href]) => {
      const clientId = Number(label.replace('Client ', ''));
      expect(href).toBe(`/clients/${clientId}`);
      return { clientId, ok: message.startsWith('Saved'), message };
    });
    expect(results.map((r) => r.clientId)).toEqual(items.map((i) => i.clientId));
    for (const [i, r] of results.entries()) {
      const item = items[i];
      if (item.clientId === outside.clientId)
        expect(r).toEqual({ clientId: item.clientId, ok: false, message: 'Not found in your territory for this period.' });
      else if (item.clientId === stale.clientId)
        expect(r).toEqual({ clientId: item.clientId, ok: false, message: expect.stringMatching(/^Someone else updated this client meanwhile/) });
      else expect(r).toEqual({ clientId: item.clientId, ok: true, message: `Saved (update ${(item as any).maxSequence + 1})` });
    }

    // 18 events, one per saved client; the refused two rows are untouched.
    const events = await rowsAfter(t.client, 'status_events', lastEvent);
    expect(events).toHaveLength(18);
    expect(events.map((e) => Number(e.client_id)).sort()).toEqual(
      items
        .filter((i) => i.clientId !== outside.clientId && i.clientId !== stale.clientId)
        .map((i) => i.clientId)
        .sort(),
    );
    const called = await S('CALLED');
    expect(new Set(events.map((e) => Number(e.to_status_type_id)))).toEqual(new Set([called]));
    expect(await sqlRows(t.client, 'SELECT id, version, status_type_id FROM client_period_status WHERE id IN (?, ?)', [stale.id, outside.id])).toEqual(before);
  });

  it('more than 100 ids → 400, nothing written', async () => {
    const tele = await as(TELE);
    const rows = await teleRows(5);
    const many = Array.from({ length: 101 }, (_, i) => (i < 5 ? rows[i] : { clientId: 100_000 + i, version: 1 }));
    const before = await snapshotStatusTables(t.client);
    const answer = await tele.post('/workspace/fcash', await bulkFields(many));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'bulk', formError: expect.stringMatching(/at most 100/) });
    await expectStatusTablesUnchanged(t.client, before);
  });

  it('missing hasPayment → 400, nothing written', async () => {
    const tele = await as(TELE);
    const rows = await teleRows(3);
    const before = await snapshotStatusTables(t.client);
    const answer = await tele.post('/workspace/fcash', await bulkFields(rows, { hasPayment: null }));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toMatch(/payment/i);
    await expectStatusTablesUnchanged(t.client, before);
  });

  it('a version that is not a number (or missing) → 400 "damaged form", not a stale-row refusal; nothing written', async () => {
    const tele = await as(TELE);
    const rows = await teleRows(2);
    const before = await snapshotStatusTables(t.client);
    for (const bad of ['abc', '', '-1', '1e3', null]) {
      const fields = (await bulkFields(rows)).filter(([name]) => name !== `v${rows[1].clientId}`);
      if (bad !== null) fields.push([`v${rows[1].clientId}`, bad]);
      const answer = await tele.post('/workspace/fcash', fields);
      expect(answer.status, String(bad)).toBe(400);
      expect(answer.data).toMatchObject({ ok: false, intent: 'bulk', formError: expect.stringMatching(/out of date or damaged/) });
    }
    await expectStatusTablesUnchanged(t.client, before);
  });

  it('no client selected → 400, nothing written', async () => {
    const tele = await as(TELE);
    const before = await snapshotStatusTables(t.client);
    const answer = await tele.post('/workspace/fcash', await bulkFields([]));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toMatch(/at least one/);
    await expectStatusTablesUnchanged(t.client, before);
  });
});

describe('update forms follow the status:update scope', () => {
  // Read PCNI, update only FCASH MNLA01: no forms on the PCNI workspace (every save would be a 404).
  it('no update forms on a workspace whose company the user cannot update', async () => {
    await createTestUser(t.client, {
      email: 'pcni.reader@e2e.test',
      grants: [
        ['status:read', 'PCNI', 'all'],
        ['status:read', 'FCASH', 'branch'],
        ['status:update', 'FCASH', 'branch'],
      ],
      branches: ['MNLA01'],
    });
    const user = await as('pcni.reader@e2e.test');
    const data = await list200(user, '/workspace/pcni?segment=pnp');
    expect(data.list.total).toBeGreaterThan(0);
    expect(data.canUpdate).toBe(false);
  });
});
