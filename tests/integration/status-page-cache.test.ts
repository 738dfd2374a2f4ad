// /status is public and briefly cacheable, but the layout around it shows the signed-in user (name,
// email, permissions): issue 14 item 6. Over HTTP on the built Node app: the signed-out page may be
// shared for a few seconds and names nobody; the signed-in page is private; both vary by Cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';

let server: TestNodeHost;
beforeAll(async () => {
  server = await startTestNodeHost({});
});
afterAll(async () => {
  await server?.stop();
});

async function signIn(email: string): Promise<string> {
  const answer = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  expect(answer.status).toBe(302);
  return /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];
}

describe('/status caching', () => {
  it('signed out: public for 5 s, varies by Cookie, and names no user', async () => {
    const answer = await fetch(`${server.url}/status`);
    expect([200, 503]).toContain(answer.status);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=5');
    expect(answer.headers.get('vary')?.toLowerCase()).toContain('cookie');
    const html = await answer.text();
    expect(html).not.toContain('data-testid="current-user"');
    expect(html).not.toMatch(/@demo\.test/i);
  });

  it('signed in: the page carries the user, so it is private and never stored', async () => {
    const cookie = await signIn('admin@demo.test');
    const answer = await fetch(`${server.url}/status`, { headers: { cookie } });
    expect([200, 503]).toContain(answer.status);
    const html = await answer.text();
    expect(html).toContain('data-testid="current-user"');
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('vary')?.toLowerCase()).toContain('cookie');
  });
});
