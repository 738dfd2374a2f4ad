import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';

// The Workers build under wrangler dev (workerd) against the real sqld and the Upstash REST
// endpoint over redis-server: one stack for the file. Run: npx vitest run --project edge
// (needs `node scripts/build.mjs worker` first). Rate limits at the edge: rate-limits.test.ts.

const PASSWORD = 'demo-pass-2026';
const COOKIE = 'cu_session'; // NODE_ENV=test: the non-__Host- name, without Secure over http

let stack: EdgeStack;
let base: string;

beforeAll(async () => {
  stack = await startEdgeStack({ clients: 1500 });
  base = stack.url;
});

afterAll(async () => {
  await stack?.stop();
});

function get(path: string, cookie?: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { redirect: 'manual', headers: { ...headers, ...(cookie ? { cookie } : {}) } });
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

/** Reads a body we do not need to the end: a cancelled one shows up as a connection reset in the workerd log. */
async function drain(response: Response): Promise<void> {
  await response.arrayBuffer();
}

/** The session cookie's `name=value`, or undefined when the response sets none. */
function sessionCookieOf(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  return line?.split(';')[0];
}

async function login(email: string): Promise<string> {
  const response = await post('/login', { email, password: PASSWORD });
  const cookie = sessionCookieOf(response);
  if (response.status !== 302 || !cookie) throw new Error(`login as ${email}: ${response.status} ${await response.text()}`);
  return cookie;
}

function rows(html: string): Array<{ id: number; branch: string }> {
  return [...html.matchAll(/data-testid="client-row"[\s\S]*?href="\/clients\/(\d+)"[\s\S]*?data-testid="client-branch">([^<]*)</g)].map((m) => ({
    id: Number(m[1]),
    branch: m[2],
  }));
}

describe('the Workers build under wrangler dev', () => {
  it('reports its health on /status.json: worker host, sqld, Upstash, a migration', async () => {
    const response = await get('/status.json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { migration: string | null };
    expect(body).toMatchObject({ ok: true, host: 'worker', database: { ok: true }, cache: { ok: true, kind: 'upstash' } });
    expect(body.migration).toMatch(/^\d{4}_\w+/);
  });

  it('renders the /status page', async () => {
    const response = await get('/status');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('All systems operational');
  });

  it('answers with its own trace id (not the client-sent x-request-id) and a CSP with frame-ancestors none', async () => {
    const response = await get('/login', undefined, {
      'x-request-id': 'edge-test-0001',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(response.status).toBe(200);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736'); // TRUST_TRACEPARENT is off by default
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${id}-[0-9a-f]{16}-01$`));
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await drain(response);
  });

  describe('a branch officer of MNLA01', () => {
    let cookie: string;

    it('signs in: the session cookie is set and /clients is next', async () => {
      const response = await post('/login', { email: 'branch.mnla01@demo.test', password: PASSWORD });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/clients');
      const setCookie = response.headers.getSetCookie().join('\n');
      expect(setCookie).toMatch(new RegExp(`^${COOKIE}=[^;]+;.*HttpOnly`, 'm'));
      expect(setCookie).toMatch(/SameSite=Lax/i);
      cookie = sessionCookieOf(response)!;
    });

    it('sees only MNLA01 clients', async () => {
      const response = await get('/clients', cookie);
      expect(response.status).toBe(200);
      const found = rows(await response.text());
      expect(found.length).toBeGreaterThan(0);
      expect(new Set(found.map((r) => r.branch))).toEqual(new Set(['MNLA01']));
    });

    it('gets 404 for a client of another branch, which the admin can open', async () => {
      const admin = await login('admin@demo.test');
      const list = await get('/clients?pageSize=100', admin);
      const found = rows(await list.text());
      expect(new Set(found.map((r) => r.branch)).size).toBeGreaterThan(1); // the admin sees several branches
      const other = found.find((r) => r.branch !== 'MNLA01')!;
      const asAdmin = await get(`/clients/${other.id}`, admin);
      expect(asAdmin.status).toBe(200);
      await drain(asAdmin);
      const asOfficer = await get(`/clients/${other.id}`, cookie);
      expect(asOfficer.status).toBe(404);
      await drain(asOfficer);
    });

    it('finds a client by its code in any case or a piece of its phone through the FTS5 index on sqld, only in its territory', async () => {
      const db = createClient({ url: stack.sqldUrl });
      const pick = async (branch: string) =>
        (
          await db.execute({
            sql: 'SELECT c.id, c.client_code, c.contact_number FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? AND c.contact_number IS NOT NULL ORDER BY c.id LIMIT 1',
            args: [branch],
          })
        ).rows[0];
      const [mine, theirs] = [await pick('MNLA01'), await pick('QZN01')];
      db.close();
      const found = async (q: string, who: string) => rows(await (await get(`/clients?pageSize=100&q=${encodeURIComponent(q)}`, who)).text()).map((r) => r.id);
      expect(await found(String(mine.client_code).toLowerCase(), cookie)).toEqual([mine.id]);
      expect(await found(String(mine.contact_number).slice(-7), cookie)).toContain(mine.id);
      expect(await found(String(theirs.client_code), cookie)).toEqual([]);
      const admin = await login('admin@demo.test');
      expect(await found(String(theirs.client_code), admin)).toEqual([theirs.id]);
    });
  });

  it('answers a wrong password with the generic error, 401 and no cookie', async () => {
    const response = await post('/login', { email: 'tele.fcash@demo.test', password: 'not-the-password' });
    expect(response.status).toBe(401);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await response.text()).toContain('That email and password did not work');
  });

  it('refuses a POST from a foreign Origin with 403', async () => {
    const response = await post('/login', { email: 'admin@demo.test', password: PASSWORD }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(sessionCookieOf(response)).toBeUndefined();
    await drain(response);
  });
});
