// The signed user-id cookie (decision 109): with a valid one the gate checks the user's limit beside
// the session read, exactly once and against the session's user; a hint signed for another session
// or naming another user never spends that user's budget.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import type { RateLimiter } from '../../app/platform/rate-limit/limiter';
import { sessionCookies, sessionHintCookieName } from '../../app/web/session-hint.server';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';

const OFFICER = 'branch.mnla01@demo.test';
const ADMIN = 'admin@demo.test';

let t: TestDb;
let ctx: TestAppContext;
let keys: string[];

beforeEach(async () => {
  t = await createTestDb();
  const base = testContext({ db: t.db }).limiter;
  keys = [];
  // The real limiter, recording which keys the gate spends.
  const limiter: RateLimiter = { kind: base.kind, policies: base.policies, limit: (policy, key) => (keys.push(key), base.limit(policy, key)) };
  ctx = testContext({ db: t.db, limiter });
});
afterEach(() => t.close());

/** The cookies a sign-in sets for this user's new session, as `name=value` pairs. */
async function signedIn(email: string) {
  const { token, userId, cookie } = await startTestSession(ctx, email);
  const cookies = (await sessionCookies(ctx, token, userId, new Date(ctx.clock.now().getTime() + 3_600_000))).map((c) => c.split(';')[0]);
  const hint = cookies.find((c) => c.startsWith(`${sessionHintCookieName(ctx)}=`))!;
  return { userId, cookie, hint };
}

const open = (cookie: string) => callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients?pageSize=1'));

describe('the signed user-id hint', () => {
  it('is set beside the session cookie and spends the limit once, for the session user', async () => {
    const officer = await signedIn(OFFICER);
    expect(officer.hint).toMatch(new RegExp(`^${sessionHintCookieName(ctx)}=${officer.userId}\\.[A-Za-z0-9_-]{43}$`));
    expect((await open(`${officer.cookie}; ${officer.hint}`)).status).toBe(200);
    expect(keys).toEqual([`user:${officer.userId}`]);
  });

  it("never spends another user's budget: a hint of another session, a changed id, or garbage", async () => {
    const officer = await signedIn(OFFICER);
    const admin = await signedIn(ADMIN);
    const [, adminSignature] = admin.hint.split('.');
    const forged = [
      admin.hint, // the admin's valid hint, sent with the officer's session
      `${sessionHintCookieName(ctx)}=${admin.userId}.${officer.hint.split('.')[1]}`, // the officer's signature, the admin's id
      `${sessionHintCookieName(ctx)}=${officer.userId}.${adminSignature}`, // the officer's id, another signature
      `${sessionHintCookieName(ctx)}=not-a-hint`,
    ];
    for (const hint of forged) {
      keys = [];
      expect((await open(`${officer.cookie}; ${hint}`)).status).toBe(200);
      expect(keys, hint).toEqual([`user:${officer.userId}`]);
    }
  });

  it('a hint without a live session spends nothing beyond its own user and signs in nobody', async () => {
    const officer = await signedIn(OFFICER);
    const answer = await open(`cu_session=${'A'.repeat(43)}; ${officer.hint}`);
    expect(answer.status).toBe(302);
    expect(keys.filter((k) => k !== `user:${officer.userId}`)).toEqual([]);
  });
});
