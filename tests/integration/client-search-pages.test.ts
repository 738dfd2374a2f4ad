// Search pages without sorting and counting every match (decision 105): a page read from the matches
// (few of them) or by walking names in order (many) is the same page as one sort over a LIKE scan, and
// a total past the cap shows as "N+" with paging still going on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { clientsInScope } from '../../app/core/clients/list-clients.server';
import { parseClientListQuery } from '../../app/core/clients/list-query.server';
import { SORT_MATCHES_MAX } from '../../app/core/clients/search-page.server';
import { testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';

const ADMIN = 'admin@demo.test';
const OFFICER = 'branch.mnla01@demo.test';

let t: TestDb;
let ctx: TestAppContext;
beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

async function listAs(email: string, params: string, opts: { searchCountCap?: number } = {}) {
  const scope = scopeFor(await loadAccess(ctx, await userIdByEmail(t.db, email)), 'clients:read')!;
  const parsed = parseClientListQuery(new URLSearchParams(params));
  if (!parsed.ok) throw new Error(parsed.message);
  return clientsInScope(ctx, scope, parsed.query, opts);
}

/** The same question by reading every row: names containing the text, in scope, live, one sort. */
async function likePage(text: string, dir: 'asc' | 'desc', offset: number, limit: number, branchCode?: string) {
  const rows = await sqlRows(
    t.client,
    `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE c.deleted_at IS NULL AND c.full_name LIKE ?1
       AND (?2 IS NULL OR b.code = ?2) ORDER BY c.full_name ${dir}, c.id LIMIT ?3 OFFSET ?4`,
    [`%${text}%`, branchCode ?? null, limit, offset] as never,
  );
  return rows.map((r) => Number(r.id));
}

describe('client search pages', () => {
  it('gives the pages of one sort over a LIKE scan, whether the text matches many clients (names walked) or few (matches sorted)', async () => {
    // the most common 3-letter piece of a name (hundreds of matches) and a rare one
    const pieces = await sqlRows(
      t.client,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
       SELECT lower(substr(full_name, i, 3)) AS p, count(DISTINCT id) AS k FROM clients, n
       WHERE deleted_at IS NULL AND length(substr(full_name, i, 3)) = 3 AND substr(full_name, i, 3) GLOB '[A-Za-z][a-z][a-z]'
       GROUP BY p ORDER BY k DESC`,
    );
    const many = String(pieces[0].p);
    const few = String(pieces.find((p) => Number(p.k) > 0 && Number(p.k) < 40)!.p);
    const matchCount = await sqlCount(t.client, 'SELECT count(*) FROM clients WHERE full_name LIKE ?', [`%${many}%`]);
    expect(matchCount).toBeGreaterThan(SORT_MATCHES_MAX / 4); // the test data holds ~2,000 clients
    for (const text of [many, few]) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const page of [1, 3]) {
          const list = await listAs(ADMIN, `q=${text}&dir=${dir}&page=${page}&pageSize=10`);
          const label = `${text} ${dir} page ${page}`;
          // the codes and pension numbers of the test data hold no letters: a name piece finds names only
          expect(
            list.rows.map((r) => r.id),
            label,
          ).toEqual(await likePage(text, dir, (page - 1) * 10, 10));
        }
      }
      const officer = await listAs(OFFICER, `q=${text}&pageSize=100`);
      expect(officer.rows.map((r) => r.id)).toEqual(await likePage(text, 'asc', 0, 100, 'MNLA01'));
      expect(officer.total).toBe((await likePage(text, 'asc', 0, 10_000, 'MNLA01')).length);
    }
  });

  it('walks names in order past SORT_MATCHES_MAX matches, with the same pages as one sort over the matching codes', async () => {
    // "000" is in every client code of the test data: more matches than SORT_MATCHES_MAX, so the page
    // walks the name index and tests each client against the matches (decision 125's +id).
    const codes = (dir: 'asc' | 'desc', offset: number) =>
      sqlRows(t.client, `SELECT id FROM clients WHERE deleted_at IS NULL AND client_code LIKE '%000%' ORDER BY full_name ${dir}, id LIMIT 10 OFFSET ?`, [
        offset,
      ]).then((rows) => rows.map((r) => Number(r.id)));
    expect(await sqlCount(t.client, "SELECT count(*) FROM clients WHERE deleted_at IS NULL AND client_code LIKE '%000%'")).toBeGreaterThan(SORT_MATCHES_MAX);
    for (const dir of ['asc', 'desc'] as const) {
      for (const page of [1, 2, 40]) {
        const list = await listAs(ADMIN, `q=000&dir=${dir}&page=${page}&pageSize=10`);
        expect(
          list.rows.map((r) => r.id),
          `${dir} page ${page}`,
        ).toEqual(await codes(dir, (page - 1) * 10));
      }
    }
  });

  it('counts a search only up to the cap: the total reads "N+", later pages still come, and a total under the cap stays exact', async () => {
    const all = await sqlCount(t.client, 'SELECT count(*) FROM clients WHERE deleted_at IS NULL');
    const capped = await listAs(ADMIN, 'q=000&pageSize=25', { searchCountCap: 100 }); // "000" is in every client code
    expect(capped).toMatchObject({ total: 100, capped: true, pages: 4 });
    expect(capped.rows).toHaveLength(25);
    // page 10 is past the cap: the count reaches the page's end, so the page is served and Next stays
    const later = await listAs(ADMIN, 'q=000&pageSize=25&page=10', { searchCountCap: 100 });
    expect(later).toMatchObject({ total: 250, capped: true, page: 10 });
    expect(later.rows.map((r) => r.id)).toEqual(
      (await sqlRows(t.client, 'SELECT id FROM clients WHERE deleted_at IS NULL ORDER BY full_name, id LIMIT 25 OFFSET 225')).map((r) => Number(r.id)),
    );
    const exact = await listAs(ADMIN, 'q=000&pageSize=25', { searchCountCap: all });
    expect(exact).toMatchObject({ total: all, capped: false });
  });

  it('takes the total of a whole-company scope from the index (matches minus soft-deleted ones) and agrees with counting the clients', async () => {
    const scope = scopeFor(await loadAccess(ctx, await userIdByEmail(t.db, ADMIN)), 'clients:read')!;
    const liveLike = (text: string, companyId?: number) =>
      sqlCount(t.client, 'SELECT count(*) FROM clients WHERE deleted_at IS NULL AND full_name LIKE ?1 AND (?2 IS NULL OR company_id = ?2)', [
        `%${text}%`,
        companyId ?? null,
      ] as never);
    const totalOf = async (s: typeof scope, text: string) => {
      const parsed = parseClientListQuery(new URLSearchParams(`q=${text}`));
      if (!parsed.ok) throw new Error(parsed.message);
      return (await clientsInScope(ctx, s, parsed.query, { searchCountCap: 100_000 })).total;
    };
    const text = 'san';
    const before = await liveLike(text);
    expect(before).toBeGreaterThan(20);
    expect(await totalOf(scope, text)).toBe(before);
    // soft-delete a third of the matches: the index still holds them, the total must not count them
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00Z' WHERE full_name LIKE ? AND id % 3 = 0", args: [`%${text}%`] });
    const after = await liveLike(text);
    expect(after).toBeLessThan(before);
    expect(await totalOf(scope, text)).toBe(after);
    // a scope of one whole company while the other company has live clients: counted client by client, same answer
    const one = { ...scope, companies: scope.companies.slice(0, 1) };
    expect(await totalOf(one, text)).toBe(await liveLike(text, one.companies[0].companyId));
  });
});
