// The trail of maker-checker decisions (issue 18, decision 101 addendum): a grant change applied
// through an approval is in the audit log, its viewer and its CSV with the maker, when they asked,
// the checker, when they approved and the outcome; a direct change carries none of it; the activity
// viewer shows the same next to the applied change and next to each approval.* row (a rejection too).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as csvLoader } from '../../app/routes/admin.audit[.]csv';
import { loader as auditLoader } from '../../app/routes/admin.audit';
import { action as approvalsAction } from '../../app/routes/admin.approvals/route';
import { activityLoader, companyIdOf, createCompanyAdmin, grantsOf, postForm, userPagePost } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let viewer: number;
const A = 'admin@demo.test'; // maker, both companies
const B = 'admin2.fcash@demo.test'; // checker, FCASH
const HOUR = 3_600_000;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  viewer = await userIdByEmail(t.db, 'viewer@demo.test');
  await createCompanyAdmin(t.client, 'FCASH', B);
  await t.client.execute({
    sql: "INSERT INTO config_settings (key, company_id, value, value_type, description) VALUES ('checker_user_grants', ?, 'true', 'boolean', 'Grants wait for a second admin')",
    args: [await companyIdOf(t.client, 'FCASH')],
  });
});
afterEach(() => t.close());

const cookieOf = async (email: string) => (await startTestSession(ctx, email)).cookie;

/** A asks (FCASH, checked) to add users:manage to what the viewer holds there. */
async function ask(remark: string) {
  const fcash = await companyIdOf(t.client, 'FCASH');
  const held = Object.fromEntries((await grantsOf(t.client, viewer)).filter(([, c]) => c === 'FCASH').map(([code, , scope]) => [`grant:${code}`, scope]));
  const answer = await userPagePost(ctx, await cookieOf(A), viewer, { intent: 'grants', companyId: fcash, ...held, 'grant:users:manage': 'all', remark });
  expect(answer.status).toBe(302);
  return Number((await sqlRows(t.client, 'SELECT max(id) AS id FROM change_requests'))[0].id);
}
const decide = async (fields: Record<string, string | number>) =>
  callRoute(approvalsAction, ctx, requestWithCookie(await cookieOf(B), '/admin/approvals', postForm(fields)));
const csvLines = async (qs: string) => {
  const answer = await callRoute(csvLoader, ctx, requestWithCookie(await cookieOf(A), `/admin/audit.csv?${qs}`));
  expect(answer.status).toBe(200);
  const [header, ...lines] = String(answer.data)
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
};

describe('a change applied through an approval', () => {
  it('is in the audit CSV with maker, made at, checker, decided at and outcome; a direct change has those columns empty', async () => {
    const requestId = await ask('Runs onboarding this month');
    const madeAt = ctx.clock.now().toISOString();
    ctx.clock.advance(HOUR);
    expect((await decide({ intent: 'approve', requestId })).status).toBe(302);
    const decidedAt = ctx.clock.now().toISOString();
    // A direct change where checking is off (PCNI), by the same admin who made the request.
    ctx.clock.advance(HOUR);
    const pcniHeld = Object.fromEntries((await grantsOf(t.client, viewer)).filter(([, c]) => c === 'PCNI').map(([code, , scope]) => [`grant:${code}`, scope]));
    const pcni = await userPagePost(ctx, await cookieOf(A), viewer, {
      intent: 'grants',
      companyId: await companyIdOf(t.client, 'PCNI'),
      ...pcniHeld,
      'grant:users:read': 'all',
    });
    expect(pcni.status).toBe(302);

    const lines = await csvLines('table=user_permissions');
    const approved = lines.filter((l) => l.field === 'FCASH users:manage');
    expect(approved).toEqual([
      expect.objectContaining({
        user_email: B,
        record_id: String(viewer),
        action: 'update',
        old_value: '',
        new_value: 'all',
        approval_request_id: String(requestId),
        maker_email: A,
        made_at_utc: madeAt,
        checker_email: B,
        decided_at_utc: decidedAt,
        approval_outcome: 'approved',
      }),
    ]);
    const direct = lines.filter((l) => l.field === 'PCNI users:read');
    expect(direct).toEqual([
      expect.objectContaining({ user_email: A, new_value: 'all', approval_request_id: '', maker_email: '', checker_email: '', approval_outcome: '' }),
    ]);
  });

  it('the audit viewer names the maker and the checker on the applied change', async () => {
    const requestId = await ask('Runs onboarding this month');
    ctx.clock.advance(HOUR);
    await decide({ intent: 'approve', requestId });
    const page = await callRoute(auditLoader, ctx, requestWithCookie(await cookieOf(A), '/admin/audit?table=user_permissions'));
    expect(page.status).toBe(200);
    expect(page.data.list.rows).toEqual([
      expect.objectContaining({ userEmail: B, approval: expect.objectContaining({ requestId, makerEmail: A, checkerEmail: B, outcome: 'approved' }) }),
    ]);
  });

  it('the activity viewer shows the trail next to the applied change and next to a rejection; a rejected request changes no audit row', async () => {
    const first = await ask('Runs onboarding this month');
    ctx.clock.advance(HOUR);
    await decide({ intent: 'approve', requestId: first });
    const audit = (await sqlRows(t.client, 'SELECT count(*) AS n FROM config_audit_log'))[0].n;
    const second = await ask('Another try');
    ctx.clock.advance(HOUR);
    expect((await decide({ intent: 'reject', requestId: second, reason: 'Not now' })).status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT count(*) AS n FROM config_audit_log'))[0].n).toBe(audit);

    const page = await callRoute(activityLoader, ctx, requestWithCookie(await cookieOf(A), '/admin/activity?pageSize=100'));
    const rows = page.data.list.rows as Array<{
      action: string;
      approval: { requestId: number; makerEmail: string; checkerEmail: string | null; outcome: string } | null;
    }>;
    const trailOf = (action: string, id: number) => rows.find((r) => r.action === action && r.approval?.requestId === id)?.approval;
    expect(trailOf('user.grants_changed', first)).toMatchObject({ makerEmail: A, checkerEmail: B, outcome: 'approved' });
    expect(trailOf('approval.approved', first)).toMatchObject({ makerEmail: A, checkerEmail: B, outcome: 'approved' });
    expect(trailOf('approval.rejected', second)).toMatchObject({ makerEmail: A, checkerEmail: B, outcome: 'rejected' });
    expect(trailOf('approval.requested', second)).toMatchObject({ outcome: 'rejected' });
    expect(rows.find((r) => r.action === 'auth.login')?.approval ?? null).toBeNull();
  });
});
