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
const traceId = /^[0-9a-f]{32}$/;
const UPSTREAM_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM = `00-${UPSTREAM_TRACE}-00f067aa0ba902b7-01`;

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

describe('Node host: request ids are trace ids (decision 094)', () => {
  it('gives every response a fresh trace id as x-request-id, with its server span as traceparent', async () => {
    const a = await fetch(`${server.url}/status.json`);
    const b = await fetch(`${server.url}/status.json`);
    for (const r of [a, b]) {
      expect(r.headers.get('x-request-id')).toMatch(traceId);
      expect(r.headers.get('traceparent')).toBe(
        `00-${r.headers.get('x-request-id')}-${/^00-[0-9a-f]{32}-([0-9a-f]{16})-01$/.exec(r.headers.get('traceparent')!)?.[1]}-01`,
      );
    }
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('no longer takes a client-supplied x-request-id, nor (untrusted by default) a traceparent', async () => {
    const answer = await fetch(`${server.url}/status.json`, { headers: { 'x-request-id': 'lb-7f3a9c21.req:42', traceparent: UPSTREAM } });
    expect(answer.headers.get('x-request-id')).toMatch(traceId);
    expect(answer.headers.get('x-request-id')).not.toBe(UPSTREAM_TRACE);
  });

  it('files a sign-in under the trace id, never under the x-request-id the client sent', async () => {
    const signedIn = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'forged-request-id-1' },
      body: loginForm(DEMO_PASSWORD),
    });
    expect(signedIn.status).toBe(302);
    const id = signedIn.headers.get('x-request-id')!;
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE request_id = 'forged-request-id-1'")).toBe(0);
    expect(await sqlCount(t.client, `SELECT count(*) FROM activity_logs WHERE action = 'auth.login' AND request_id = '${id}'`)).toBe(1);
  });
});

describe('Node host behind a trusted proxy (TRUST_TRACEPARENT=true)', () => {
  let trusted: TestNodeHost;
  beforeAll(async () => {
    trusted = await startTestNodeHost({ rateLimits: 'public=100/60', env: { TRUST_TRACEPARENT: 'true' }, logLevel: 'info' });
  });
  afterAll(async () => {
    await trusted?.stop();
  });

  it('continues a valid traceparent: same trace id, a new span whose parent is the upstream span', async () => {
    const answer = await fetch(`${trusted.url}/status.json`, { headers: { traceparent: UPSTREAM } });
    expect(answer.headers.get('x-request-id')).toBe(UPSTREAM_TRACE);
    const [, trace, span] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(answer.headers.get('traceparent')!)!;
    expect(trace).toBe(UPSTREAM_TRACE);
    expect(span).not.toBe('00f067aa0ba902b7');
    const requestLine = () =>
      trusted.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request' && l.trace_id === UPSTREAM_TRACE);
    // The line is written when the response finishes, which may come just after the client has it.
    for (let i = 0; i < 100 && !requestLine(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const line = requestLine();
    expect(line).toMatchObject({ trace_id: UPSTREAM_TRACE, span_id: span, status: 200, path: '/status.json' });
  });

  it('starts a new trace for a malformed, oversize, all-zero or upper-case header and never logs it', async () => {
    const bad = [
      'not-a-traceparent-<script>alert(1)</script>',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      UPSTREAM.toUpperCase(),
      `01-${UPSTREAM_TRACE}-00f067aa0ba902b7-01-${'z'.repeat(400)}`,
      `ff-${UPSTREAM_TRACE}-00f067aa0ba902b7-01`,
    ];
    for (const header of bad) {
      const answer = await fetch(`${trusted.url}/status.json`, { headers: { traceparent: header } });
      expect(answer.status, header).toBe(200);
      expect(answer.headers.get('x-request-id'), header).toMatch(traceId);
      expect(answer.headers.get('x-request-id'), header).not.toBe(UPSTREAM_TRACE);
    }
    const logs = trusted.logLines.join('\n');
    expect(logs).toContain('traceparent ignored');
    for (const header of bad) expect(logs, header).not.toContain(header.slice(0, 40));
    expect(logs).not.toContain('<script>');
    expect(logs).not.toContain('0'.repeat(32));
    expect(logs).not.toContain(UPSTREAM.toUpperCase());
  });

  it('every request line carries trace_id, span_id, route, status and duration; no email', async () => {
    const lines = trusted.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.trace_id).toMatch(traceId);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(typeof line.durationMs).toBe('number');
      expect(typeof line.status).toBe('number');
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

describe('Node host: public files', () => {
  it('serves public/favicon.svg with its cache header, while a page path (no extension) goes to the app', async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<form');
  });
});
