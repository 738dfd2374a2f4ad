// Client search through the FTS5 trigram index (decision 099): any 3+ character substring of name,
// code, pension number or contact number, in scope, kept exact by the writes; checked against a LIKE scan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { action } from '../../app/routes/clients.$id/route';
import { createRandom } from '../../db/seed/prng';
import { callRoute, formInit, signedInRequest, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';

const ADMIN = 'admin@demo.test';
const OFFICER = 'branch.mnla01@demo.test'; // FCASH MNLA01 only

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const search = async (email: string, q: string, extra = '') => {
  const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients?q=${encodeURIComponent(q)}&pageSize=100${extra}`));
  expect(answer.status).toBe(200);
  return answer.data.list as { total: number; rows: Array<{ id: number }> };
};

// The LIKE scan the index replaces: the same answer, found by reading every row.
const DIGITS = (col: string) => `replace(replace(replace(replace(replace(coalesce(${col}, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')`;
const likeCount = (text: string, digits: string | null) =>
  sqlCount(
    t.client,
    `SELECT count(*) FROM clients WHERE deleted_at IS NULL AND (full_name LIKE ?1 OR client_code LIKE ?1 OR pension_number LIKE ?1
       OR (?2 IS NOT NULL AND (${DIGITS('pension_number')} LIKE ?2 OR ${DIGITS('contact_number')} LIKE ?2 OR ${DIGITS('contact_number_alt')} LIKE ?2)))`,
    [`%${text}%`, digits === null ? null : `%${digits}%`] as never,
  );

type Field = 'full_name' | 'client_code' | 'pension_number' | 'contact_number';
const FIELDS: Field[] = ['full_name', 'client_code', 'pension_number', 'contact_number'];

describe('client search: any 3-character substring', () => {
  it('finds each sampled client by a random 3-character piece of its name, code, pension number or phone, and agrees with a LIKE scan', async () => {
    const random = createRandom(20261207);
    const sample = await sqlRows(
      t.client,
      'SELECT c.id, c.full_name, c.client_code, c.pension_number, c.contact_number, c.branch_id FROM clients c WHERE c.deleted_at IS NULL AND c.contact_number IS NOT NULL ORDER BY c.id',
    );
    for (let i = 0; i < 24; i++) {
      const client = sample[random.int(0, sample.length - 1)];
      const field = FIELDS[i % FIELDS.length];
      const value = String(client[field]);
      const start = random.int(0, value.length - 3);
      const piece = value.slice(start, start + 3);
      if (!/^[\x20-\x7e]{3}$/.test(piece)) continue; // LIKE folds ASCII only; the index folds more
      const digitsOnly = /^[\d\s\-.()]+$/.test(piece) ? piece.replace(/[\s\-.()]/g, '') : null;

      const inBranch = await search(ADMIN, piece, `&branch=${client.branch_id}&company=`);
      const label = `${field} ${JSON.stringify(value)} → ${JSON.stringify(piece)}`;
      if (inBranch.total <= 100)
        expect(
          inBranch.rows.map((r) => r.id),
          label,
        ).toContain(client.id);
      // digits-only pieces under 3 digits ("9 1" → "91") skip the number index; LIKE agrees with the text columns then
      const digits = digitsOnly && digitsOnly.length >= 3 ? digitsOnly : null;
      expect((await search(ADMIN, piece)).total, label).toBe(await likeCount(piece, digits));
    }
  });

  it('finds a landline or mobile number however it is typed, and any case of a name', async () => {
    const [client] = await sqlRows(t.client, "SELECT id, full_name FROM clients WHERE deleted_at IS NULL AND contact_number LIKE '09%' ORDER BY id LIMIT 1");
    await t.client.execute({
      sql: "UPDATE clients SET contact_number = '(02) 8765 4321', contact_number_alt = '09998887777' WHERE id = ?",
      args: [client.id as number],
    });
    for (const typed of ['8765 4321', '87654321', '(02) 8765', '0999 888 7777', '+63 999 888 7777', '888-7777']) {
      expect(
        (await search(ADMIN, typed)).rows.map((r) => r.id),
        typed,
      ).toContain(client.id);
    }
    const name = String(client.full_name);
    expect((await search(ADMIN, name.toUpperCase())).rows.map((r) => r.id)).toContain(client.id);
    expect((await search(ADMIN, name.toLowerCase())).rows.map((r) => r.id)).toContain(client.id);
  });

  it("finds nothing outside the user's territory, even by a unique piece of the code", async () => {
    const [inside] = await sqlRows(t.client, "SELECT c.id, c.client_code FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' LIMIT 1");
    const [outside] = await sqlRows(t.client, "SELECT c.id, c.client_code FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'QZN01' LIMIT 1");
    expect((await search(OFFICER, String(inside.client_code).slice(2))).rows.map((r) => r.id)).toEqual([inside.id]);
    expect((await search(OFFICER, String(outside.client_code).slice(2))).total).toBe(0);
    expect((await search(ADMIN, String(outside.client_code).slice(2))).rows.map((r) => r.id)).toEqual([outside.id]);
  });

  it('takes any text literally: quotes, FTS5 operators, NUL and emoji find nothing instead of failing', async () => {
    for (const q of ['"', 'a"b OR c', 'NEAR(a b)', '{name} : x', 'col:*', '^x', 'ab\0cd', '💩💩💩', "' OR 1=1 --"]) {
      expect((await search(ADMIN, q)).total, JSON.stringify(q)).toBe(0);
    }
  });

  it('leaves out soft-deleted clients', async () => {
    const [client] = await sqlRows(t.client, 'SELECT id, client_code FROM clients WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    await t.client.execute({ sql: "UPDATE clients SET deleted_at = '2026-11-01T00:00:00.000Z' WHERE id = ?", args: [client.id as number] });
    expect((await search(ADMIN, String(client.client_code))).total).toBe(0);
  });
});

describe('client search: one or two characters', () => {
  it('match the start of a name word or of the code, in any case', async () => {
    const [row] = await sqlRows(t.client, 'SELECT last_name FROM clients WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    const two = String(row.last_name).slice(0, 2).toLowerCase();
    const expected = await sqlCount(
      t.client,
      "SELECT count(*) FROM clients WHERE deleted_at IS NULL AND (full_name LIKE ?1 || '%' OR full_name LIKE '% ' || ?1 || '%' OR client_code LIKE ?1 || '%')",
      [two],
    );
    expect(expected).toBeGreaterThan(0);
    expect((await search(ADMIN, two)).total).toBe(expected);
    expect((await search(ADMIN, 'F')).total).toBe(
      await sqlCount(
        t.client,
        "SELECT count(*) FROM clients WHERE deleted_at IS NULL AND (full_name LIKE 'F%' OR full_name LIKE '% F%' OR client_code LIKE 'F%')",
      ),
    );
  });
});

describe('client search: kept exact by the writes', () => {
  it('finds a client by its new number right after a contact edit, and no longer by the old one', async () => {
    const [client] = await sqlRows(
      t.client,
      "SELECT c.id, c.contact_number FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' AND c.contact_number IS NOT NULL ORDER BY c.id LIMIT 1",
    );
    const old = String(client.contact_number);
    const request = await signedInRequest(
      ctx,
      OFFICER,
      `/clients/${client.id}`,
      formInit({ intent: 'contact', contactNumber: '0966 135 7924', contactNumberAlt: '' }, { origin: 'http://localhost' }),
    );
    const answer = await callRoute(action, ctx, request, { id: String(client.id) });
    expect(answer.status).toBeLessThan(400);
    expect((await search(OFFICER, '1357924')).rows.map((r) => r.id)).toEqual([client.id]);
    expect((await search(OFFICER, old)).rows.map((r) => r.id)).not.toContain(client.id);
  });
});
