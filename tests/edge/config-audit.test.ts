import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';

// Issue 6's create → edit → audit path on the Workers build (wrangler dev + sqld + Upstash REST), by
// plain HTTP as a browser without JavaScript: an admin adds a status reason that requires remarks,
// the tele agent's status form offers it on the next load (the cached lookups in Upstash were
// invalidated), a duplicate code is a field error, an edit is audited old → new, the CSV has it.
// Run: npx vitest run --project edge tests/edge/config-audit.test.ts (after `node scripts/build.mjs worker`).

const DEMO_PASSWORD = 'demo-pass-2026';
const COOKIE = 'cu_session';

let stack: EdgeStack;
let base: string;

beforeAll(async () => {
  stack = await startEdgeStack({ clients: 300 });
  base = stack.url;
});
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string, cookie: string) => fetch(`${base}${path}`, { redirect: 'manual', headers: { cookie } });
const post = (path: string, form: Array<[string, string]>, cookie?: string) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
async function signIn(email: string): Promise<string> {
  const response = await post('/login', [
    ['email', email],
    ['password', DEMO_PASSWORD],
  ]);
  expect(response.status).toBe(302);
  await response.arrayBuffer();
  return response.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${COOKIE}=`) && !/Max-Age=0/i.test(c))!
    .split(';')[0];
}
/** React puts `<!-- -->` between adjacent text parts; the value of the option whose text starts so. */
function optionValue(html: string, select: string, text: string): string {
  const block = new RegExp(`<select[^>]*name="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  for (const m of block.matchAll(/<option value="([^"]*)"[^>]*>([\s\S]*?)<\/option>/g)) {
    if (m[2].replace(/<!-- -->/g, '').startsWith(text)) return m[1];
  }
  throw new Error(`no option "${text}" in select ${select}`);
}
const text = (html: string) =>
  html
    .replace(/<!-- -->/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>');

describe('config create → edit → audit on the Workers build', () => {
  let admin: string;
  let agent: string;
  let clientPath: string;
  let reasonPath: string;

  it('the tele agent opens a client with a status form (the reasons are now cached)', async () => {
    agent = await signIn('tele.fcash@demo.test');
    const list = await get('/workspace/fcash', agent);
    expect(list.status).toBe(200);
    const ids = [...new Set([...(await list.text()).matchAll(/href="\/clients\/(\d+)"/g)].map((m) => m[1]))];
    for (const id of ids) {
      const page = await get(`/clients/${id}`, agent);
      const html = await page.text();
      if (html.includes('name="reasonId"')) {
        clientPath = `/clients/${id}`;
        expect(text(html)).not.toContain('Needs proof of life');
        break;
      }
    }
    expect(clientPath).toBeDefined();
  });

  it('the admin adds a status reason that requires remarks: 302 to its page with the flash, shown once', async () => {
    admin = await signIn('admin@demo.test');
    const form = await get('/admin/config/status-reasons/new', admin);
    expect(form.status).toBe(200);
    const called = optionValue(await form.text(), 'statusTypeId', 'Called');
    const created = await post(
      '/admin/config/status-reasons/new',
      [
        ['intent', 'save'],
        ['code', 'NEEDS_PROOF'],
        ['name', 'Needs proof of life'],
        ['statusTypeId', called],
        ['requiresRemarks', 'on'],
        ['sortOrder', ''],
      ],
      admin,
    );
    expect(created.status).toBe(302);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/config\/status-reasons\/\d+$/);
    reasonPath = location;
    // The Worker carries the flash cookie on the redirect; the next page shows it and clears it.
    const flash = created.headers.getSetCookie().find((c) => /^(__Host-)?cu_flash=/.test(c))!;
    expect(flash).toMatch(/Max-Age=60; Path=\/; HttpOnly;.* SameSite=Lax$/);
    const page = await get(location, `${admin}; ${flash.split(';')[0]}`);
    expect(page.headers.getSetCookie().some((c) => /^(__Host-)?cu_flash=; Max-Age=0/.test(c))).toBe(true);
    expect(text(await page.text())).toContain('Status reason created.');
    expect(text(await (await get(location, admin)).text())).not.toContain('Status reason created.');
  });

  it('the same code again is a field error with the input kept, nothing created', async () => {
    const form = await get('/admin/config/status-reasons/new', admin);
    const called = optionValue(await form.text(), 'statusTypeId', 'Called');
    const again = await post(
      '/admin/config/status-reasons/new',
      [
        ['intent', 'save'],
        ['code', 'NEEDS_PROOF'],
        ['name', 'Twice'],
        ['statusTypeId', called],
        ['sortOrder', ''],
      ],
      admin,
    );
    expect(again.status).toBe(400);
    const html = text(await again.text());
    expect(html).toContain('Code NEEDS_PROOF is already used in this status type.');
    expect(html).toContain('value="Twice"');
  });

  it('the agent\'s status form offers it, marked "remarks required", on the next load', async () => {
    const html = text(await (await get(clientPath, agent)).text());
    expect(html).toContain('Needs proof of life — remarks required');
  });

  it('the admin renames it; the audit log shows create and update with old → new; the CSV has it', async () => {
    const edited = await post(
      reasonPath,
      [
        ['intent', 'save'],
        ['code', 'NEEDS_PROOF'],
        ['name', 'Needs a proof of life'],
        ['requiresRemarks', 'on'],
        ['sortOrder', ''],
      ],
      admin,
    );
    expect(edited.status).toBe(302);
    expect(edited.headers.get('location')).toBe(reasonPath);
    await edited.arrayBuffer();
    const id = reasonPath.split('/').pop();
    const audit = await get(`/admin/audit?table=status_reasons&record=${id}`, admin);
    expect(audit.status).toBe(200);
    const html = text(await audit.text());
    expect(html.match(/data-testid="audit-row"/g)).toHaveLength(2);
    expect(html).toMatch(/<del data-testid="old">Needs proof of life<\/del> → <ins data-testid="new">Needs a proof of life<\/ins>/);
    const csv = await get(`/admin/audit.csv?table=status_reasons&record=${id}`, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.find((l) => l.includes(',update,name,'))).toContain('Needs proof of life,Needs a proof of life');
    expect(text(await (await get(clientPath, agent)).text())).toContain('Needs a proof of life — remarks required');
  });
});
