// The error pages through the built Node app over HTTP (decision 084): a refused request renders its
// friendly page inside the root layout (the navigation and the signed-in user stay), never a stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import type { TestDb } from '../support/db';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';
import { TEST_NOW } from '../support/app-server';
import { periodOf } from '../../app/core/status/periods';
import { findPeriodRow, statusIdOf } from '../support/status';

const READS = 6; // the read limit of this server: a few reads per user, then 429
let t: TestDb;
let server: TestNodeHost;

beforeAll(async () => {
  server = await startTestNodeHost({ rateLimits: `read=${READS}/60` });
  t = server.db;
});
afterAll(async () => {
  await server?.stop();
});

/** Signs in through the login form, as a browser does; the cookie of the new session. */
async function signIn(email: string): Promise<string> {
  const answer = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  expect(answer.status, `sign in as ${email}`).toBe(302);
  return /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];
}

const get = (cookie: string, path: string) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
const post = (cookie: string, path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/** The page is the root layout: its main navigation and the signed-in user's name, around <main>. */
function expectInLayout(html: string) {
  expect(html).toContain('<nav aria-label="Main">');
  expect(html).toContain('data-testid="current-user"');
  expect(html).toMatch(/<main>[\s\S]*<\/main>/);
}

/** No stack frame, file path or error class name reaches the person. */
function expectNoStack(html: string) {
  expect(html).not.toMatch(/\n\s+at\s|\bat [\w$.<>]+ \(|node_modules|\.tsx?:\d+|\bError: /);
}

/**
 * The page shows the request's reference (decision 094): "Reference" and the first 8 hex characters
 * of the trace id the response carries as x-request-id, the full id in title and data-trace-id.
 */
function expectReference(html: string, answer: Response) {
  const id = answer.headers.get('x-request-id')!;
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  const ref = /<span class="reference" data-testid="error-reference" data-trace-id="([0-9a-f]{32})" title="([0-9a-f]{32})">([\s\S]*?)<\/span>/.exec(html);
  expect(ref, 'the page shows a reference').not.toBeNull();
  expect(ref![1]).toBe(id);
  expect(ref![2]).toBe(id);
  expect(ref![3].replace(/<!-- -->/g, '')).toBe(`Reference ${id.slice(0, 8)}…`);
}

/** The text of the error page's heading and message. */
function errorPage(html: string) {
  const page = /<section class="card" data-testid="error-page" data-status="(\d+)">([\s\S]*?)<\/section>/.exec(html);
  expect(page, 'the error page renders').not.toBeNull();
  const text = (re: RegExp) =>
    re
      .exec(page![2])?.[1]
      .replace(/<!-- -->/g, '')
      .replace(/&#x27;/g, "'");
  return { status: Number(page![1]), title: text(/<h1>([\s\S]*?)<\/h1>/), message: text(/<p data-testid="error-message">([\s\S]*?)<\/p>/) };
}

describe('error pages inside the layout', () => {
  it('404: an id outside the territory or unknown gets the not-found page, nav kept', async () => {
    const cookie = await signIn('admin@demo.test');
    const answer = await get(cookie, '/clients/999999999');
    expect(answer.status).toBe(404);
    const html = await answer.text();
    expectInLayout(html);
    expect(errorPage(html)).toEqual({ status: 404, title: 'Not found', message: 'There is nothing here, or it is outside your territory.' });
    expectNoStack(html);
    expectReference(html, answer);
  });

  it('404: an address no route matches gets the same page in the same layout', async () => {
    const cookie = await signIn('admin@demo.test');
    const answer = await get(cookie, '/no/such/page');
    expect(answer.status).toBe(404);
    const html = await answer.text();
    expectInLayout(html);
    expect(errorPage(html)).toMatchObject({ status: 404, title: 'Not found' });
    expectNoStack(html);
    expectReference(html, answer);
  });

  it('403: a screen the user has no permission for gets the not-allowed page, nav kept', async () => {
    const cookie = await signIn('branch.mnla01@demo.test'); // a branch officer: no users:read
    const answer = await get(cookie, '/admin/users');
    expect(answer.status).toBe(403);
    const html = await answer.text();
    expectInLayout(html);
    expect(errorPage(html)).toEqual({ status: 403, title: 'Not allowed', message: 'You do not have permission for this.' });
    expectNoStack(html);
    expectReference(html, answer);
  });

  it('409: a status form saved from an older version is refused inside the page, with the newer state', async () => {
    const month = periodOf('monthly', new Date(TEST_NOW)).key;
    const row = await findPeriodRow(t.client, { periodKey: month, branch: 'MNLA01', status: 'PENDING' });
    const form = (status: number) => ({
      intent: 'status',
      periodKey: row.periodKey,
      baseVersion: String(row.version),
      statusTypeId: String(status),
      reasonId: '',
      remarks: '',
      hasPayment: 'no',
    });
    const area = await signIn('area.ncr@demo.test');
    const officer = await signIn('branch.mnla01@demo.test');
    expect((await post(area, `/clients/${row.clientId}`, form(await statusIdOf(t.client, 'UPDATED')))).status).toBe(302);
    const stale = await post(officer, `/clients/${row.clientId}`, form(await statusIdOf(t.client, 'UPDATED')));
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expectInLayout(html);
    expect(html).toContain('data-testid="conflict"');
    expect(html).toContain('data-testid="client-name"'); // the client page itself, with the newer state
    expectNoStack(html);
    expectReference(html, stale);
  });

  it('429: the read after the limit gets the too-many-requests page with the wait, and Retry-After', async () => {
    const cookie = await signIn('viewer@demo.test'); // read-only: clients:read and nothing it spent before
    for (let i = 0; i < READS; i++) expect((await get(cookie, '/clients')).status).toBe(200);
    const limited = await get(cookie, '/clients');
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    const html = await limited.text();
    expectInLayout(html);
    const page = errorPage(html);
    expect(page).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(page.message).toMatch(new RegExp(`Please wait ${wait < 60 ? `${wait} seconds?` : `${Math.ceil(wait / 60)} minutes?`} and try again\\.`));
    expectNoStack(html);
    expectReference(html, limited);
  });

  it('500: an unexpected failure gets the generic page with the reference, no stack; the log line has the same trace', async () => {
    const cookie = await signIn('admin@demo.test');
    // Break the data layer under the running app: the clients list's query fails inside the loader.
    await t.client.execute('ALTER TABLE clients RENAME TO clients_gone_for_this_test');
    let answer: Response;
    try {
      answer = await get(cookie, '/clients');
    } finally {
      await t.client.execute('ALTER TABLE clients_gone_for_this_test RENAME TO clients');
    }
    expect(answer.status).toBe(500);
    const html = await answer.text();
    expect(errorPage(html)).toMatchObject({ status: 500, title: 'Something went wrong' });
    expectNoStack(html);
    expect(html).not.toContain('clients_gone_for_this_test'); // not the error's message either
    expectReference(html, answer);
    const id = answer.headers.get('x-request-id')!;
    const logged = server.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'unhandled route error');
    expect(logged).toMatchObject({ trace_id: id, level: 'error' });
  });
});
