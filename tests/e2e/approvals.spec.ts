import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Client } from '@libsql/client';
import { createTestUser } from '../support/user-factory';
import { createAdmin, openDb, runTag, signInAs } from './admin-support';

// Maker-checker on grants (issue 18, decision 101), as two admins would do it: admin A switches
// checking on for PCNI on the settings screen, asks to give a user users:manage (nothing changes),
// cannot approve it; admin B sees the count in the navigation and approves it (then it is in force,
// and the activity names A as maker and B as checker). A's second request, to take it away again,
// B rejects with a reason with JavaScript off: nothing changes.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const A = { email: `maker.${tag}@e2e.test`, fullName: 'Playwright Admin' };
const B = { email: `checker.${tag}@e2e.test`, fullName: 'Playwright Admin' };
const PASSWORD = 'approval flows need two people 2026';
let db: Client;
let targetId: number;
let pcniId: number;

async function pcniGrantOf(code: string): Promise<string | null> {
  const r = await db.execute({
    sql: `SELECT up.scope FROM user_permissions up JOIN permissions p ON p.id = up.permission_id
          WHERE up.user_id = ? AND up.company_id = ? AND p.code = ?`,
    args: [targetId, pcniId, code],
  });
  return r.rows.length ? String(r.rows[0].scope) : null;
}

async function signedIn(browser: Browser, who: { email: string; fullName: string }, javaScriptEnabled = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signInAs(page, who.email, PASSWORD, who.fullName);
  return page;
}

async function askForUsersManage(page: Page, scope: string, remark: string) {
  await page.goto(`/admin/users/${targetId}`);
  const pcni = page.getByTestId('grants-PCNI');
  await expect(page.getByTestId('grants-checked-PCNI')).toHaveText('Changes here wait for another admin’s approval.');
  await pcni.getByLabel('users:manage', { exact: true }).selectOption(scope);
  await pcni.getByLabel('Why (the approving admin reads this)').last().fill(remark);
  await pcni.getByRole('button', { name: 'Ask to change PCNI permissions' }).click();
  await expect(page.getByTestId('toast')).toContainText('Waiting for approval');
}

test.beforeAll(async () => {
  db = openDb();
  await createAdmin(db, A.email, PASSWORD);
  await createAdmin(db, B.email, PASSWORD);
  targetId = await createTestUser(db, { email: `target.${tag}@e2e.test`, fullName: `Target ${tag}`, grants: [['clients:read', 'PCNI', 'branch']] });
  pcniId = Number((await db.execute("SELECT id FROM companies WHERE code = 'PCNI'")).rows[0].id);
});
test.afterAll(() => db?.close());

test('A asks, cannot approve it; B approves and the grant is in force with A as maker and B as checker', async ({ browser }) => {
  const a = await signedIn(browser, A);
  // Switch checking on for PCNI grants, on the settings screen (a row may already exist from an earlier run).
  const existing = await db.execute({ sql: "SELECT id FROM config_settings WHERE key = 'checker_user_grants' AND company_id = ?", args: [pcniId] });
  if (existing.rows.length === 0) {
    await a.goto('/admin/config/settings/new');
    const form = a.getByTestId('config-form');
    await form.getByLabel('Key').fill('checker_user_grants');
    await form.getByLabel('Company').selectOption({ label: 'PCNI' });
    await form.getByLabel('Type').selectOption('boolean');
    await form.getByLabel('Value').fill('true');
    await form.getByRole('button', { name: 'Create setting' }).click();
    await expect(a.getByTestId('toast')).toHaveText('Setting created.');
  }

  await askForUsersManage(a, 'all', 'Runs the PCNI onboarding from Monday');
  expect(await pcniGrantOf('users:manage')).toBeNull();
  const requestId = Number((await db.execute({ sql: 'SELECT max(id) AS id FROM change_requests WHERE target_id = ?', args: [targetId] })).rows[0].id);

  // A's own request: listed with Withdraw, no Approve; a forged approve is refused with a clear message.
  await a.goto('/admin/approvals');
  const own = a.locator(`[data-request-id="${requestId}"]`);
  await expect(own.getByRole('button', { name: `Withdraw request ${requestId}` })).toBeVisible();
  await expect(own.getByRole('button', { name: `Approve request ${requestId}` })).toHaveCount(0);
  const forged = await a.request.post('/admin/approvals', {
    form: { intent: 'approve', requestId: String(requestId) },
    headers: { origin: new URL(a.url()).origin },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain('You made this request');
  expect(await pcniGrantOf('users:manage')).toBeNull();

  const b = await signedIn(browser, B);
  await expect(b.getByTestId('nav-approvals')).toContainText(/Approvals \(\d+\)/);
  await b.getByTestId('nav-approvals').click();
  const waiting = b.locator(`[data-request-id="${requestId}"]`);
  await expect(waiting).toContainText('users:manage: none → all');
  await expect(waiting).toContainText('Runs the PCNI onboarding from Monday');
  await waiting.getByRole('button', { name: `Approve request ${requestId}` }).click();
  await expect(b.getByTestId('toast')).toHaveText('Approved: the change is in force.');
  await expect(b.locator(`[data-request-id="${requestId}"]`).getByTestId('approval-state')).toContainText('approved by Playwright Admin');
  expect(await pcniGrantOf('users:manage')).toBe('all');
  const activity = await db.execute({
    sql: "SELECT details FROM activity_logs WHERE action = 'user.grants_changed' AND resource_id = ? ORDER BY id DESC LIMIT 1",
    args: [String(targetId)],
  });
  const ids = await db.execute({ sql: 'SELECT id, email FROM users WHERE email IN (?, ?)', args: [A.email, B.email] });
  const idOf = (email: string) => Number(ids.rows.find((r) => r.email === email)!.id);
  expect(JSON.parse(String(activity.rows[0].details)).approval).toEqual({ requestId, makerId: idOf(A.email), checkerId: idOf(B.email) });
  await a.context().close();
  await b.context().close();
});

test('without JavaScript: A asks to take it away, B rejects with a reason, nothing changes', async ({ browser }) => {
  const a = await signedIn(browser, A, false);
  await askForUsersManage(a, '', 'Onboarding finished');
  const requestId = Number((await db.execute({ sql: 'SELECT max(id) AS id FROM change_requests WHERE target_id = ?', args: [targetId] })).rows[0].id);
  const b = await signedIn(browser, B, false);
  await b.goto('/admin/approvals');
  const waiting = b.locator(`[data-request-id="${requestId}"]`);
  await expect(waiting).toContainText('users:manage: all → none');
  await waiting.getByLabel('Reason to reject').fill('Keep it until the audit is over');
  await waiting.getByRole('button', { name: `Reject request ${requestId}` }).click();
  await expect(b.getByTestId('toast')).toHaveText('Rejected: nothing was changed.');
  await expect(b.locator(`[data-request-id="${requestId}"]`).getByTestId('approval-state')).toContainText('Keep it until the audit is over');
  expect(await pcniGrantOf('users:manage')).toBe('all');
  await a.context().close();
  await b.context().close();
});
