// The flash of post/redirect/get (decision 085): a successful POST sets a short-lived cookie on its
// redirect; the root loader reads it once, clears it in the same answer, and a reload shows nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as rootLoader } from '../../app/root';
import { action as areasAction } from '../../app/routes/areas._index';
import { action as workspaceAction } from '../../app/routes/workspace.$company/route';
import { flashCookie, readFlash } from '../../app/web/flash.server';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { flashOf, setCookiesOf } from '../support/flash';
import { findPeriodRow } from '../support/status';
import { idByCode, sqlRows } from '../support/sql';

const ADMIN = 'admin@demo.test';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const flashPair = (setCookie: string) => setCookie.split(';')[0];

async function createArea(cookie: string) {
  const fcash = await idByCode(t.client, 'companies', 'FCASH');
  const fields = { intent: 'create', companyId: String(fcash), code: 'R99', name: 'Flash test area', isActive: 'on' };
  return callRoute(areasAction, ctx, requestWithCookie(cookie, '/areas', formInit(fields, { origin: 'http://localhost' })));
}

describe('the flash cookie', () => {
  it('is set on the redirect of a successful POST: HttpOnly, SameSite=Lax, Path=/, about a minute', async () => {
    const admin = await startTestSession(ctx, ADMIN);
    const answer = await createArea(admin.cookie);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(/^\/areas\/\d+$/); // nothing in the URL
    const [line] = setCookiesOf(answer).filter((c) => c.startsWith('cu_flash='));
    expect(line).toMatch(/^cu_flash=[A-Za-z0-9_-]+; Max-Age=60; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(flashOf(answer)).toMatchObject({ type: 'success', message: 'Area created.' });
  });

  it('is shown once: the next page (the root loader) reads it and clears it; a reload shows nothing', async () => {
    const admin = await startTestSession(ctx, ADMIN);
    const saved = await createArea(admin.cookie);
    const flash = flashPair(setCookiesOf(saved).find((c) => c.startsWith('cu_flash='))!);
    const location = saved.headers.get('location')!;

    const landing = await callRoute(rootLoader, ctx, requestWithCookie(`${admin.cookie}; ${flash}`, location));
    expect(landing.status).toBe(200);
    expect(landing.data.flash).toMatchObject({ type: 'success', message: 'Area created.' });
    expect(setCookiesOf(landing)).toEqual(['cu_flash=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax']);

    // The browser dropped the cookie (Max-Age=0): the reload has no flash and sets no cookie.
    const reload = await callRoute(rootLoader, ctx, requestWithCookie(admin.cookie, location));
    expect(reload.data.flash).toBeNull();
    expect(setCookiesOf(reload)).toEqual([]);
  });

  it('works for a signed-out page too (the login page after sign-out)', async () => {
    const signedOut = await callRoute(
      rootLoader,
      ctx,
      requestWithCookie(flashPair(flashCookie(ctx, { type: 'success', message: 'You are signed out.' })), '/login'),
    );
    expect(signedOut.data).toMatchObject({ user: null, flash: { message: 'You are signed out.' } });
    expect(setCookiesOf(signedOut)).toHaveLength(1);
  });

  it.each([
    ['not base64url', 'cu_flash=%3Cscript%3E'],
    ['not JSON', `cu_flash=${Buffer.from('hello').toString('base64url')}`],
    ['an unknown type', `cu_flash=${Buffer.from(JSON.stringify({ id: 'x', type: 'html', message: '<b>hi</b>' })).toString('base64url')}`],
    ['a message too long', `cu_flash=${Buffer.from(JSON.stringify({ id: 'x', type: 'success', message: 'x'.repeat(301) })).toString('base64url')}`],
    [
      'a link off the site',
      `cu_flash=${Buffer.from(JSON.stringify({ id: 'x', type: 'success', message: 'm', details: [['a', 'b', '//evil.test']] })).toString('base64url')}`,
    ],
  ])('a damaged or foreign value (%s) is no flash, and is cleared', async (_label, pair) => {
    const admin = await startTestSession(ctx, ADMIN);
    const answer = await callRoute(rootLoader, ctx, requestWithCookie(`${admin.cookie}; ${pair}`, '/clients'));
    expect(answer.status).toBe(200);
    expect(answer.data.flash).toBeNull();
    expect(setCookiesOf(answer)).toEqual(['cu_flash=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('is named __Host-cu_flash in production, so no sub-domain or plain-http page can plant one', () => {
    const prod = testContext({ db: t.db, env: { NODE_ENV: 'production' } });
    const line = flashCookie(prod, { type: 'success', message: 'Saved.' });
    expect(line).toMatch(/^__Host-cu_flash=[^;]+; Max-Age=60; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const request = new Request('http://localhost/', { headers: { cookie: `cu_flash=${flashPair(line).split('=')[1]}` } });
    expect(readFlash(prod, request)).toEqual({ flash: null, present: false }); // the unprefixed name is ignored there
  });

  it('stays under the browser limit of 4 KB, saying how many lines it left out', () => {
    const details = Array.from({ length: 100 }, (_, i): [string, string, string] => [
      `Client ${1000 + i}`,
      'Someone else updated this client meanwhile. '.repeat(3),
      `/clients/${1000 + i}`,
    ]);
    const line = flashCookie(ctx, { type: 'error', message: '0 of 100 saved.', details });
    expect(line.length).toBeLessThan(4096);
    const flash = flashOf({ headers: new Headers([['set-cookie', line]]) })!;
    expect(flash.details!.length).toBeLessThan(100);
    expect(flash.details!.at(-1)).toEqual(['…', `${101 - flash.details!.length} more not shown`]);
  });

  it('carries a bulk round: one line per client, linked to the client', async () => {
    const admin = await startTestSession(ctx, ADMIN);
    const row = await findPeriodRow(t.client, { periodKey: '2026-11', company: 'FCASH', status: 'PENDING' });
    const toFollow = await idByCode(t.client, 'status_types', 'TO_FOLLOW');
    const [reason] = await sqlRows(t.client, "SELECT id FROM status_reasons WHERE status_type_id = ? AND code = 'NO_ANSWER'", [toFollow]);
    const body = new URLSearchParams([
      ['intent', 'bulk'],
      ['periodKey', '2026-11'],
      ['statusTypeId', String(toFollow)],
      ['reasonId', String(reason.id)],
      ['remarks', 'Flash test'],
      ['hasPayment', 'no'],
      ['clientIds', String(row.clientId)],
      [`v${row.clientId}`, String(row.version)],
    ]);
    const answer = await callRoute(
      workspaceAction,
      ctx,
      requestWithCookie(admin.cookie, '/workspace/fcash', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      }),
      { company: 'fcash' },
    );
    expect(answer.status).toBe(302);
    expect(flashOf(answer)).toMatchObject({
      type: 'success',
      message: '1 of 1 saved.',
      details: [[`Client ${row.clientId}`, expect.stringMatching(/^Saved/), `/clients/${row.clientId}`]],
    });
  });
});
