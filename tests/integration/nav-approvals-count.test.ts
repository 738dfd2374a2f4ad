// The navigation's approvals count (root loader, decision 101; its statement prepared once per database
// in decision 131): a pending request counts for a checker who covers it, never for its maker or an
// admin of another company, and stops counting once decided.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as rootLoader } from '../../app/root';
import { action as approvalsAction } from '../../app/routes/admin.approvals/route';
import { branchIdOf, companyIdOf, createCompanyAdmin, postForm, userPageGet, userPagePost } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { switchOn } from '../support/checker-switches';

const A = 'admin@demo.test'; // both companies: the maker
const B = 'admin2.fcash@demo.test'; // FCASH only: a checker
const P = 'admin2.pcni@demo.test'; // PCNI only: not a checker of FCASH's requests

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  await createCompanyAdmin(t.client, 'FCASH', B);
  await createCompanyAdmin(t.client, 'PCNI', P);
  await switchOn(t.client, 'checker_user_territory', Number(await companyIdOf(t.client, 'FCASH')));
});
afterEach(() => t.close());

const cookieOf = async (email: string) => (await startTestSession(ctx, email)).cookie;
const navCount = async (email: string) => (await callRoute(rootLoader, ctx, requestWithCookie(await cookieOf(email), '/clients'))).data.user.approvals;

describe('the navigation approvals count', () => {
  it('counts a pending request for its checker only, and not once it is decided', async () => {
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'branch']], branches: ['MNLA01'] });
    expect([await navCount(A), await navCount(B), await navCount(P)]).toEqual([0, 0, 0]);

    const a = await cookieOf(A);
    const page = await userPageGet(ctx, a, agent);
    const asked = await userPagePost(ctx, a, agent, {
      intent: 'territory',
      branchIds: [await branchIdOf(t.client, 'QZN01')],
      version: page.data.version,
      remark: 'Moves next week',
    });
    expect(asked.status).toBe(302);
    const [request] = await sqlRows(t.client, "SELECT id FROM change_requests WHERE state = 'pending'");
    expect([await navCount(A), await navCount(B), await navCount(P)]).toEqual([0, 1, 0]);

    const approved = await callRoute(
      approvalsAction,
      ctx,
      requestWithCookie(await cookieOf(B), '/admin/approvals', postForm({ intent: 'approve', requestId: Number(request.id) })),
    );
    expect(approved.status).toBe(302);
    expect(await navCount(B)).toBe(0);
  });
});
