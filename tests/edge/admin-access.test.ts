import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';

// Issue 3's sign-in flow on the Workers build (wrangler dev + sqld + Upstash REST), by plain HTTP as
// a browser without JavaScript would do it: an admin creates a tele agent, the agent signs in with
// the temporary password, must change it, sees only its branch; the admin deactivates it and the
// agent's next request is sent to sign in. One stack for the file; the steps run in order.
// Run: npx vitest run --project edge (needs `node scripts/build.mjs worker` first).

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

function get(path: string, cookie?: string) {
  return fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

function post(path: string, form: Array<[string, string]>, options: { cookie?: string; origin?: string } = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: options.origin ?? base,
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: new URLSearchParams(form),
  });
}

function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${COOKIE}=`) && !/Max-Age=0/i.test(c))
    ?.split(';')[0];
}

/** React puts `<!-- -->` between adjacent text parts; the value of the option whose text starts so. */
function optionValue(html: string, select: string, text: string): string {
  const block = new RegExp(`<select[^>]*name="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  for (const m of block.matchAll(/<option value="([^"]*)"[^>]*>([\s\S]*?)<\/option>/g)) {
    if (m[2].replace(/<!-- -->/g, '').startsWith(text)) return m[1];
  }
  throw new Error(`no option "${text}" in select ${select}`);
}

function clientBranches(html: string): string[] {
  return [...html.matchAll(/data-testid="client-branch">([^<]*)</g)].map((m) => m[1]);
}

describe('the sign-in flow of a new user on the Workers build', () => {
  const agentEmail = `edge.agent.${Math.random().toString(36).slice(2, 8)}@demo.test`;
  let admin: string;
  let userId: string;
  let temporary: string;
  let agent: string;

  it('the admin signs in', async () => {
    const response = await post('/login', [
      ['email', 'admin@demo.test'],
      ['password', DEMO_PASSWORD],
    ]);
    expect(response.status).toBe(302);
    admin = sessionCookieOf(response)!;
    expect(admin).toBeDefined();
  });

  it('a cross-site POST to create a user is refused with 403 and creates nothing', async () => {
    const response = await post(
      '/admin/users/new',
      [
        ['email', agentEmail],
        ['fullName', 'Cross Site'],
      ],
      { cookie: admin, origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    await response.arrayBuffer();
    const list = await get(`/admin/users?q=${encodeURIComponent(agentEmail)}`, admin);
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain('data-testid="user-row"'); // the search box echoes the email: count rows
  });

  it('the admin creates a tele agent (FC_TELE, FCASH, MNLA01): the temporary password is shown once', async () => {
    const form = await get('/admin/users/new', admin);
    expect(form.status).toBe(200);
    const html = await form.text();
    const fcash = optionValue(html, 'companyId', 'FCASH');
    const mnla01 = optionValue(html, 'branchIds', 'MNLA01 · ');
    const response = await post(
      '/admin/users/new',
      [
        ['email', agentEmail],
        ['fullName', 'Edgar Workers'],
        ['roleTemplate', 'FC_TELE'],
        ['companyId', fcash],
        ['branchIds', mnla01],
      ],
      { cookie: admin },
    );
    // Post/redirect/get: to the user's page, the temporary password in the flash cookie (shown once).
    expect(response.status).toBe(302);
    userId = /^\/admin\/users\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
    expect(userId).toMatch(/^\d+$/);
    const flash = response.headers
      .getSetCookie()
      .find((c) => /^(__Host-)?cu_flash=/.test(c))!
      .split(';')[0];
    const created = await (await get(`/admin/users/${userId}`, `${admin}; ${flash}`)).text();
    temporary = /data-testid="temporary-password">([A-Za-z0-9]+)</.exec(created)?.[1] ?? '';
    expect(temporary).toMatch(/^[A-Za-z0-9]{16}$/);
    const page = await get(`/admin/users/${userId}`, admin);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(temporary);
  });

  it('the agent signs in with it and is sent to change the password; nothing else opens', async () => {
    const response = await post('/login', [
      ['email', agentEmail],
      ['password', temporary],
    ]);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account/password');
    agent = sessionCookieOf(response)!;
    const clients = await get('/clients', agent);
    expect(clients.status).toBe(302);
    expect(clients.headers.get('location')).toBe('/account/password');
    await clients.arrayBuffer();
  });

  it('changes it: 302 to /clients with a new session; the old cookie is ended', async () => {
    const newPassword = 'jeepney harbor tamarind season';
    const response = await post(
      '/account/password',
      [
        ['currentPassword', temporary],
        ['newPassword', newPassword],
        ['confirmPassword', newPassword],
      ],
      { cookie: agent },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/clients');
    const fresh = sessionCookieOf(response)!;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(agent);
    const old = await get('/clients', agent);
    expect(old.status).toBe(302);
    expect(old.headers.get('location')).toMatch(/^\/login/);
    await old.arrayBuffer();
    agent = fresh;
  });

  it('sees only MNLA01 clients', async () => {
    const response = await get('/clients?pageSize=100', agent);
    expect(response.status).toBe(200);
    const branches = clientBranches(await response.text());
    expect(branches.length).toBeGreaterThan(0);
    expect(new Set(branches)).toEqual(new Set(['MNLA01']));
  });

  it("the admin deactivates the agent; the agent's next request is sent to /login", async () => {
    const response = await post(`/admin/users/${userId}`, [['intent', 'deactivate']], { cookie: admin });
    // Post/redirect/get (decision 085): back to the user's page, the message in the flash cookie.
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/admin/users/${userId}`);
    const flash = response.headers
      .getSetCookie()
      .find((c) => /^(__Host-)?cu_flash=/.test(c))!
      .split(';')[0];
    expect(await (await get(`/admin/users/${userId}`, `${admin}; ${flash}`)).text()).toContain('User deactivated; their sessions ended.');
    const next = await get('/clients', agent);
    expect(next.status).toBe(302);
    expect(next.headers.get('location')).toBe('/login?redirectTo=%2Fclients');
    await next.arrayBuffer();
    const again = await post('/login', [
      ['email', agentEmail],
      ['password', 'jeepney harbor tamarind season'],
    ]);
    expect(again.status).toBe(401);
    expect(sessionCookieOf(again)).toBeUndefined();
    await again.arrayBuffer();
  });
});
