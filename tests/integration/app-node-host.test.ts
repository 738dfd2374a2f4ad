// The Node host around the Remix build: cross-site write refusal, request ids, CSP with a nonce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import type { TestDb } from '../support/db';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';
import { sqlCount } from '../support/sql';

let t: TestDb;
let server: TestNodeHost;

beforeAll(async () => {
  server = await startTestNodeHost({ rateLimits: 'read=3/60,public=100/60' }); // a low read limit reaches 429 quickly over HTTP
  t = server.db;
});
afterAll(async () => {
  await server?.stop();
});

const loginForm = (password: string) => new URLSearchParams({ email: 'admin@demo.test', password }).toString();
const post = (origin: string, password = DEMO_PASSWORD) =>
  fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: loginForm(password),
  });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Node host: cross-site writes', () => {
  it('refuses a POST /login from another origin with 403 before the app runs: no audit row, no session', async () => {
    const activity = await sqlCount(t.client, 'SELECT count(*) FROM activity_logs');
    const sessions = await sqlCount(t.client, 'SELECT count(*) FROM user_sessions');
    const refused = await post('http://evil.test');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Cross-site request refused.');
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await sqlCount(t.client, 'SELECT count(*) FROM activity_logs')).toBe(activity);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions')).toBe(sessions);
  });

  it('lets the same POST through from its own origin', async () => {
    const signedIn = await post(server.url);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/clients');
    expect(signedIn.headers.get('set-cookie')).toMatch(/^cu_session=[A-Za-z0-9_-]{43}; .*HttpOnly/);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.login'")).toBeGreaterThanOrEqual(1);
  });
});

describe('Node host: the 429 page', () => {
  it('answers the read after the limit with a 429 page that keeps Retry-After', async () => {
    const signedIn = await post(server.url);
    const cookie = /^(cu_session=[^;]+);/.exec(signedIn.headers.get('set-cookie') ?? '')![1];
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/clients`, { headers: { cookie } })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await fetch(`${server.url}/clients`, { headers: { cookie } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many requests');
  });
});

describe('Node host: request ids', () => {
  it('gives every response a fresh x-request-id', async () => {
    const a = (await fetch(`${server.url}/status.json`)).headers.get('x-request-id');
    const b = (await fetch(`${server.url}/status.json`)).headers.get('x-request-id');
    expect(a).toMatch(uuid);
    expect(b).toMatch(uuid);
    expect(a).not.toBe(b);
  });

  it('reuses a well-formed x-request-id from upstream and replaces a malformed one', async () => {
    const kept = await fetch(`${server.url}/status.json`, { headers: { 'x-request-id': 'lb-7f3a9c21.req:42' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a9c21.req:42');
    for (const bad of ['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(65)]) {
      const replaced = await fetch(`${server.url}/status.json`, { headers: { 'x-request-id': bad } });
      expect(replaced.headers.get('x-request-id'), bad).toMatch(uuid);
    }
  });
});

describe('Node host: security headers', () => {
  it('sends a CSP whose nonce is on every script tag of the page, and denies framing', async () => {
    const response = await fetch(`${server.url}/status`); // /login carries no script (below)
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the sign-in page without JavaScript: no script, no module preload, the form posts by itself', async () => {
    const response = await fetch(`${server.url}/login`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/<script\b/);
    expect(html).not.toMatch(/modulepreload/);
    expect(html).toMatch(/<form method="post" action="\/login"/);
    expect(html).toMatch(/<link rel="stylesheet"/);
  });

  it('uses a new nonce for every response', async () => {
    const nonceOf = async () => /'nonce-([^']+)'/.exec((await fetch(`${server.url}/login`)).headers.get('content-security-policy')!)?.[1];
    expect(await nonceOf()).not.toBe(await nonceOf());
  });
});
