// The clients and status exports read their rows in keyset batches, each batch walking its table in id
// order from the last row read (decision 115: one pass, not a sort of the whole scope per batch). Read
// in batches of 7, every export must equal the SQL written here for the same scope and filters: the
// same rows, in id order, none twice, none lost at a batch edge; soft-deleted clients left out.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor, type StaffScope } from '../../app/core/access/scope.server';
import { EXPORT_READ_PERMISSION, type ExportKind } from '../../app/core/exports/export-kinds';
import { exportSource } from '../../app/core/exports/export-rows.server';
import { intersectScopes } from '../../app/core/exports/export-scope';
import type { ExportFilters } from '../../app/core/exports/export-request-form.server';
import { testContext, userIdByEmail } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.close();
});

async function scopeOf(email: string, kind: ExportKind): Promise<StaffScope> {
  const ctx = testContext({ db: t.db });
  const access = await loadAccess(ctx, await userIdByEmail(t.db, email));
  return intersectScopes(scopeFor(access, EXPORT_READ_PERMISSION[kind]), scopeFor(access, 'reports:export'))!;
}

/** Every row of the export, read `size` rows at a time; the column at `codeAt` is the client code. */
async function exportedCodes(kind: ExportKind, scope: StaffScope, filters: ExportFilters, codeAt: number, size = 7): Promise<string[]> {
  const source = await exportSource(testContext({ db: t.db }), kind, scope, filters);
  const codes: string[] = [];
  let after: number | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const batch = await source.batch(after, size);
    codes.push(...batch.rows.map((r) => String(r[codeAt])));
    if (batch.rows.length < size) break;
    after = batch.last;
  }
  expect(await source.count()).toBe(codes.length);
  return codes;
}

const codesOf = (rows: Array<{ code: string }>) => rows.map((r) => r.code);

describe('exports read in batches: one pass in id order, exactly the rows of the SQL', () => {
  it('clients: all companies as admin, a search, a branch, an area manager; a soft-deleted client is left out', async () => {
    const [gone] = await t.db.all<{ id: number; code: string }>(
      sql`select id, client_code as code from clients where company_id = 1 order by id limit 1 offset 40`,
    );
    await t.db.run(sql`update clients set deleted_at = 1 where id = ${gone.id}`);
    const admin = await scopeOf('admin@demo.test', 'clients');

    const all = await exportedCodes('clients', admin, {}, 0);
    expect(all).toEqual(codesOf(await t.db.all(sql`select client_code as code from clients where deleted_at is null order by id`)));
    expect(all).not.toContain(gone.code);
    expect(new Set(all).size).toBe(all.length);

    const santos = await exportedCodes('clients', admin, { q: 'san' }, 0);
    expect(santos.length).toBeGreaterThan(7);
    expect(santos).toEqual(
      codesOf(
        await t.db.all(sql`select client_code as code from clients where deleted_at is null
          and (full_name like '%san%' or client_code like '%san%' or pension_number like '%san%') order by id`),
      ),
    );

    const [branch] = await t.db.all<{ id: number }>(sql`select branch_id as id from clients group by branch_id order by count(*) desc limit 1`);
    expect(await exportedCodes('clients', admin, { branch: branch.id }, 0)).toEqual(
      codesOf(await t.db.all(sql`select client_code as code from clients where deleted_at is null and branch_id = ${branch.id} order by id`)),
    );

    const area = await scopeOf('area.ncr@demo.test', 'clients');
    expect(await exportedCodes('clients', area, {}, 0)).toEqual(
      codesOf(
        await t.db.all(sql`select c.client_code as code from clients c join area_branches ab on ab.branch_id = c.branch_id join areas a on a.id = ab.area_id
          where a.code = 'NCR' and a.company_id = c.company_id and c.deleted_at is null order by c.id`),
      ),
    );
  });

  it('status: the current month and an older one, a status filter, an area manager (in client id order)', async () => {
    const admin = await scopeOf('admin@demo.test', 'client_status');
    const expected = (period: string, extra = sql``) =>
      t.db.all<{ code: string }>(sql`select c.client_code as code from client_period_status s join clients c on c.id = s.client_id
        where s.period_key = ${period} and c.company_id = 1 and c.deleted_at is null ${extra} order by c.id`);

    for (const period of ['2026-11', '2026-06']) {
      const codes = await exportedCodes('client_status', admin, { company: 'fcash', period }, 1);
      expect(codes.length).toBeGreaterThan(100);
      expect(codes).toEqual(codesOf(await expected(period)));
    }

    const [status] = await t.db.all<{ id: number }>(sql`select status_type_id as id from client_period_status
      where period_key = '2026-11' and status_type_id <> (select id from status_types where code = 'PENDING') group by status_type_id order by count(*) desc limit 1`);
    expect(await exportedCodes('client_status', admin, { company: 'fcash', period: '2026-11', status: status.id }, 1)).toEqual(
      codesOf(await expected('2026-11', sql`and s.status_type_id = ${status.id}`)),
    );

    const area = await scopeOf('area.ncr@demo.test', 'client_status');
    expect(await exportedCodes('client_status', area, { company: 'fcash', period: '2026-11' }, 1)).toEqual(
      codesOf(
        await expected(
          '2026-11',
          sql`and c.branch_id in (select ab.branch_id from area_branches ab join areas a on a.id = ab.area_id where a.code = 'NCR' and a.company_id = 1)`,
        ),
      ),
    );
  });
});
