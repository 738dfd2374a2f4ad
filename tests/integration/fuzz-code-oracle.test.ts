// Issue 19: "code-uniqueness checks that answer 'already used' for a code that exists only in the
// other company (an oracle for its codes)". The FCASH-only admin creates (or renames) a branch, an
// area and config rows with a code that exists ONLY in PCNI. Either that is allowed (the code is
// unique per company: the same answer as a fresh code) or, where the domain keeps the code unique
// across companies (branch codes and lookup codes, /work/shared/domain.md "code (unique)"), the
// refusal is word for word the one a duplicate inside FCASH gets: it names neither the other
// company nor its row, so it tells nothing a same-company duplicate would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext, type RouteAnswer, type TestAppContext } from '../support/app-context';
import { fuzzDb, importRoute } from '../support/fuzz-routes';
import type { TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let cookie = '';
let fcash = '';
let pcniWords: string[] = [];

beforeAll(async () => {
  t = await fuzzDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  cookie = (await startTestSession(ctx, 'admin.fcash@matrix.test')).cookie;
  fcash = await value("SELECT id FROM companies WHERE code = 'FCASH'");
  const [pcni] = await sqlRows(t.client, "SELECT code, name FROM companies WHERE code = 'PCNI'");
  pcniWords = [String(pcni.code), String(pcni.name)];
  // The seed gives PCNI no option or setting of its own: add one each, as a PCNI admin would.
  await t.client.execute(
    "INSERT INTO config_options (category_id, company_id, code, label) SELECT (SELECT min(id) FROM config_categories), id, 'PCNI_ONLY_OPTION', 'PCNI only' FROM companies WHERE code = 'PCNI'",
  );
  await t.client.execute(
    "INSERT INTO config_settings (key, company_id, value, value_type) SELECT 'pcni_only_setting', id, 'x', 'string' FROM companies WHERE code = 'PCNI'",
  );
});
afterAll(async () => {
  await t?.close();
});

async function value(sql: string, args: (string | number)[] = []): Promise<string> {
  const [row] = await sqlRows(t.client, sql, args);
  if (!row) throw new Error(`no row for ${sql}`);
  return String(Object.values(row)[0]);
}

/** A code of `table` that PCNI has and FCASH does not (company_id columns). */
const pcniOnlyCode = (table: string, column = 'code', extra = '') =>
  value(
    `SELECT x.${column} FROM ${table} x JOIN companies c ON c.id = x.company_id WHERE c.code = 'PCNI' ${extra}
     AND x.${column} NOT IN (SELECT y.${column} FROM ${table} y JOIN companies d ON d.id = y.company_id WHERE d.code = 'FCASH') ORDER BY x.id LIMIT 1`,
  );
const fcashCode = (table: string, column = 'code', extra = '') =>
  value(`SELECT x.${column} FROM ${table} x JOIN companies c ON c.id = x.company_id WHERE c.code = 'FCASH' ${extra} ORDER BY x.id LIMIT 1`);

async function post(file: string, path: string, params: Record<string, string>, fields: Record<string, string>): Promise<RouteAnswer> {
  const mod = await importRoute(file);
  const request = requestWithCookie(cookie, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return callRoute(mod.action!, testContext({ db: t.db, env: { BCRYPT_COST: '4' } }), request, params);
}

/** The refusal's words with the code itself masked (the same message about another code). */
function messageOf(answer: RouteAnswer, code: string): string {
  const d = (answer.data ?? {}) as { formError?: string | null; fieldErrors?: Record<string, string> };
  return JSON.stringify({ formError: d.formError ?? null, fieldErrors: d.fieldErrors ?? {} }).replaceAll(code, '<code>');
}

interface OracleCase {
  name: string;
  /** Sends the form with this code. */
  send: (code: string) => Promise<RouteAnswer>;
  otherOnly: () => Promise<string>;
  /** A code FCASH already has (the same-company duplicate), if any. */
  own: () => Promise<string>;
}

let fresh = 0;
let renamed: string | undefined;
const freshCode = (prefix: string) => `${prefix}${++fresh}`;

const CASES: OracleCase[] = [
  {
    name: 'branch, created in FCASH',
    send: (code) =>
      post('branches._index.tsx', '/branches', {}, { intent: 'create', companyId: fcash, code, name: 'Oracle Branch', category: 'main', isActive: 'on' }),
    otherOnly: () => pcniOnlyCode('branches'),
    own: () => fcashCode('branches'),
  },
  {
    name: 'area, created in FCASH',
    send: (code) => post('areas._index.tsx', '/areas', {}, { intent: 'create', companyId: fcash, code, name: 'Oracle Area', isActive: 'on' }),
    otherOnly: () => pcniOnlyCode('areas'),
    own: () => fcashCode('areas'),
  },
  {
    name: 'area, renamed in FCASH',
    send: async (code) => {
      // The same area each time (the fresh code renames it first).
      renamed ??= await value("SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = 'FCASH' AND a.code = 'R7'");
      return post('areas.$id/route.tsx', `/areas/${renamed}`, { id: renamed }, { intent: 'edit', code, name: 'Oracle Area', isActive: 'on' });
    },
    otherOnly: () => pcniOnlyCode('areas'),
    own: () => value("SELECT a.code FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = 'FCASH' AND a.code <> 'R7' ORDER BY a.id LIMIT 1"),
  },
  {
    name: 'pension type, created in FCASH',
    send: (code) =>
      post(
        'admin.config.$table.new/route.tsx',
        '/admin/config/pension-types/new',
        { table: 'pension-types' },
        { intent: 'save', code, name: 'Oracle pension type', companyId: fcash },
      ),
    otherOnly: () => pcniOnlyCode('pension_types'),
    own: () => fcashCode('pension_types'),
  },
  {
    name: 'product, created in FCASH',
    send: (code) =>
      post(
        'admin.config.$table.new/route.tsx',
        '/admin/config/products/new',
        { table: 'products' },
        { intent: 'save', code, name: 'Oracle product', companyId: fcash, pensionTypeId: '', trackingCycle: 'monthly' },
      ),
    otherOnly: () => pcniOnlyCode('products'),
    own: () => fcashCode('products'),
  },
  {
    name: 'option, created in FCASH',
    send: async (code) => {
      const category = await value('SELECT min(id) FROM config_categories');
      return post(
        'admin.config.$table.new/route.tsx',
        '/admin/config/config-options/new',
        { table: 'config-options' },
        { intent: 'save', code, label: 'Oracle option', categoryId: category, parentOptionId: '', companyId: fcash, value: '' },
      );
    },
    otherOnly: () => pcniOnlyCode('config_options'),
    own: () => fcashCode('config_options'),
  },
  {
    name: 'setting, created in FCASH',
    send: (code) =>
      post(
        'admin.config.$table.new/route.tsx',
        '/admin/config/settings/new',
        { table: 'settings' },
        { intent: 'save', key: code, companyId: fcash, valueType: 'string', value: 'oracle', description: '' },
      ),
    otherOnly: () => pcniOnlyCode('config_settings', 'key'),
    own: () => fcashCode('config_settings', 'key'),
  },
];

describe('issue 19: a code that exists only in the other company is no oracle', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const other = await c.otherOnly().catch(() => null);
    if (other === null) {
      console.log(`code oracle: ${c.name}: the seed has no code only PCNI uses; nothing to compare`);
      return;
    }
    const own = await c.own().catch(() => null);
    const answers = {
      fresh: await c.send(freshCode(c.name.startsWith('setting') ? 'oracle_' : 'ORC')),
      other: await c.send(other),
      own: own === null ? null : await c.send(own),
    };
    const line = (a: RouteAnswer | null, code: string | null) => (a ? `${a.status} ${code ? messageOf(a, code) : ''}` : 'n/a');
    console.log(
      `code oracle: ${c.name}: fresh ${line(answers.fresh, null)} · PCNI-only ${other}: ${line(answers.other, other)} · FCASH's ${own}: ${line(answers.own, own)}`,
    );

    expect(answers.other.status, `${c.name}: never a 5xx`).toBeLessThan(500);
    if (answers.other.status === answers.fresh.status) return; // allowed: codes are unique per company
    // Refused: only as a same-company duplicate is refused, and in the same words.
    expect(answers.other.status, `${c.name}: PCNI-only code ${other}`).toBe(400);
    const text = JSON.stringify(answers.other.data).replaceAll(other, '<code>'); // the code is what the admin typed
    for (const word of pcniWords) expect(text, `${c.name}: the refusal names the other company`).not.toContain(word);
    expect(answers.own, `${c.name}: a refusal must be the same-company duplicate's`).not.toBeNull();
    expect(messageOf(answers.other, other), `${c.name}: the same words as a duplicate inside FCASH`).toBe(messageOf(answers.own!, own!));
  });
});
