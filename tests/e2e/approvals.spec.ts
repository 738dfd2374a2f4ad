import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Client } from '@libsql/client';
import { createTestUser } from '../support/user-factory';
import { createAdmin, openDb, runTag, signInAs } from './admin-support';

// Maker-checker on grants (issue 18, decision 101), as two admins would do it, with JavaScript on and
// off: admin A asks to give a user users:manage (nothing changes), cannot approve it (403 with a clear
// message); admin B sees the count in the navigation and approves it (then it is in force, and the
// audit log names A as maker and B as checker); B rejects A's next request with a reason (nothing
// changes). Two browsers: a request whose target changed after it was made answers 409 and is not
// applied (the change comes while checking is off for a moment: turning it off is itself a request,
// which A asks and B approves). Each test has its own target user and switches checking on for PCNI itself on the
// settings screen (the e2e database is shared with the other specs), so they run in any order.

const tag = runTag();
const A = { email: `maker.${tag}@e2e.test`, fullName: 'Playwright Admin' };
const B = { email: `checker.${tag}@e2e.test`, fullName: 'Playwright Admin' };
const PASSWORD = 'approval flows need two people 2026';
let db: Client;
let pcniId: number;

test.beforeAll(async () => {
  db = openDb();
  await createAdmin(db, A.email, PASSWORD);
  await createAdmin(db, B.email, PASSWORD);
  pcniId = Number((await db.execute("SELECT id FROM companies WHERE code = 'PCNI'")).rows[0].id);
});
test.afterAll(() => db?.close());

/** A user of its own per test, holding clients:read at branch level in PCNI. */
const newTarget = (name: string) =>
  createTestUser(db, { email: `${name}.${tag}@e2e.test`, fullName: `Target ${name} ${tag}`, grants: [['clients:read', 'PCNI', 'branch']] });

async function pcniGrantOf(userId: number, code: string): Promise<string | null> {
  const r = await db.execute({
    sql: `SELECT up.scope FROM user_permissions up JOIN permissions p ON p.id = up.permission_id
          WHERE up.user_id = ? AND up.company_id = ? AND p.code = ?`,
    args: [userId, pcniId, code],
  });
  return r.rows.length ? String(r.rows[0].scope) : null;
}

const lastRequestFor = async (userId: number) =>
  Number((await db.execute({ sql: 'SELECT max(id) AS id FROM change_requests WHERE target_id = ?', args: [userId] })).rows[0].id);

async function signedIn(browser: Browser, who: { email: string; fullName: string }, javaScriptEnabled = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signInAs(page, who.email, PASSWORD, who.fullName);
  return page;
}

const pcniSwitch = async () =>
  (await db.execute({ sql: "SELECT id, value FROM config_settings WHERE key = 'checker_user_grants' AND company_id = ?", args: [pcniId] })).rows[0];

/** Checking on or off for PCNI grants, on the settings screen (created the first time). */
async function pcniChecking(page: Page, on: boolean) {
  const row = await pcniSwitch();
  if (row && String(row.value) === String(on)) return;
  await page.goto(row ? `/admin/config/settings/${Number(row.id)}` : '/admin/config/settings/new');
  const form = page.getByTestId('config-form');
  if (!row) {
    await form.getByLabel('Key').fill('checker_user_grants');
    await form.getByLabel('Company').selectOption({ label: 'PCNI' });
    await form.getByLabel('Type').selectOption('boolean');
  }
  await form.getByLabel('Value').fill(String(on));
  await form.getByRole('button', { name: row ? 'Save' : 'Create setting' }).click();
  if (row) await expect(page.getByTestId('toast')).toBeVisible();
  else await expect(page.getByTestId('toast')).toHaveText('Setting created.');
  await expect.poll(async () => String((await pcniSwitch())?.value)).toBe(String(on));
}

/** A asks, on the settings screen, to turn PCNI's grant checking off: a config.checker request while PCNI checks grants. */
async function askToSwitchOff(page: Page) {
  const row = await pcniSwitch();
  await page.goto(`/admin/config/settings/${Number(row!.id)}`);
  const form = page.getByTestId('config-form');
  await form.getByLabel('Value').fill('false');
  await form.getByLabel('Why (when this change waits for approval)').fill('Bulk onboarding this afternoon, two admins on site');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast')).toContainText('Waiting for approval');
  expect(String((await pcniSwitch())?.value)).toBe('true');
}

const lastSwitchRequest = async () =>
  Number((await db.execute("SELECT max(id) AS id FROM change_requests WHERE action = 'config.checker' AND state = 'pending'")).rows[0].id);

async function askForUsersManage(page: Page, targetId: number, scope: string, remark: string) {
  await page.goto(`/admin/users/${targetId}`);
  const pcni = page.getByTestId('grants-PCNI');
  await expect(page.getByTestId('grants-checked-PCNI')).toHaveText('Changes here wait for another admin’s approval.');
  await pcni.getByLabel('users:manage', { exact: true }).selectOption(scope);
  await pcni.getByLabel('Why (the approving admin reads this)').last().fill(remark);
  await pcni.getByRole('button', { name: 'Ask to change PCNI permissions' }).click();
  await expect(page.getByTestId('toast')).toContainText('Waiting for approval');
}

/** A's own approve, posted as the plain form would be: 403 with a clear message, nothing changed. */
async function ownApproveIsRefused(a: Page, requestId: number) {
  await a.goto('/admin/approvals');
  const own = a.locator(`[data-request-id="${requestId}"]`);
  await expect(own.getByRole('button', { name: `Withdraw request ${requestId}` })).toBeVisible();
  await expect(own.getByRole('button', { name: `Approve request ${requestId}` })).toHaveCount(0);
  const forged = await a.request.post('/admin/approvals', {
    form: { intent: 'approve', requestId: String(requestId) },
    headers: { origin: new URL(a.url()).origin },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain('You made this request: another admin must approve or reject it.');
}

/** The audit log's newest row about the target's permissions names A as maker and B as checker. */
async function auditNamesMakerAndChecker(page: Page, targetId: number, requestId: number) {
  await page.goto(`/admin/audit?table=user_permissions&record=${targetId}`);
  const trail = page.getByTestId('audit-row').first().getByTestId('approval-trail');
  await expect(trail).toContainText(`Request ${requestId}: asked by ${A.email}`);
  await expect(trail).toContainText(`approved by ${B.email}`);
  await expect(page.getByTestId('audit-row').first().locator('[data-field="PCNI users:manage"]')).toContainText('all');
}

for (const javaScriptEnabled of [true, false]) {
  test(`${javaScriptEnabled ? 'with' : 'without'} JavaScript: A asks, cannot approve; B approves (in force, audit names both); B rejects the next with a reason`, async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const targetId = await newTarget(javaScriptEnabled ? 'js' : 'nojs');
    const a = await signedIn(browser, A, javaScriptEnabled);
    await pcniChecking(a, true);

    await askForUsersManage(a, targetId, 'all', 'Runs the PCNI onboarding from Monday');
    expect(await pcniGrantOf(targetId, 'users:manage')).toBeNull();
    const requestId = await lastRequestFor(targetId);
    await ownApproveIsRefused(a, requestId);
    expect(await pcniGrantOf(targetId, 'users:manage')).toBeNull();

    const b = await signedIn(browser, B, javaScriptEnabled);
    await expect(b.getByTestId('nav-approvals')).toContainText(/Approvals \(\d+\)/);
    await b.getByTestId('nav-approvals').click();
    const waiting = b.locator(`[data-request-id="${requestId}"]`);
    await expect(waiting).toContainText('users:manage: none → all');
    await expect(waiting).toContainText('Runs the PCNI onboarding from Monday');
    await waiting.getByRole('button', { name: `Approve request ${requestId}` }).click();
    await expect(b.getByTestId('toast')).toHaveText('Approved: the change is in force.');
    await expect(b.locator(`[data-request-id="${requestId}"]`).getByTestId('approval-state')).toContainText('approved by Playwright Admin');
    expect(await pcniGrantOf(targetId, 'users:manage')).toBe('all');
    await auditNamesMakerAndChecker(b, targetId, requestId);
    const activity = await db.execute({
      sql: "SELECT details FROM activity_logs WHERE action = 'user.grants_changed' AND resource_id = ? ORDER BY id DESC LIMIT 1",
      args: [String(targetId)],
    });
    const ids = await db.execute({ sql: 'SELECT id, email FROM users WHERE email IN (?, ?)', args: [A.email, B.email] });
    const idOf = (email: string) => Number(ids.rows.find((r) => r.email === email)!.id);
    expect(JSON.parse(String(activity.rows[0].details)).approval).toEqual({ requestId, makerId: idOf(A.email), checkerId: idOf(B.email) });

    // The next request (take it away again) B rejects with a reason: nothing changes.
    await askForUsersManage(a, targetId, '', 'Onboarding finished');
    const second = await lastRequestFor(targetId);
    await b.goto('/admin/approvals');
    const next = b.locator(`[data-request-id="${second}"]`);
    await expect(next).toContainText('users:manage: all → none');
    await next.getByLabel('Reason to reject').fill('Keep it until the audit is over');
    await next.getByRole('button', { name: `Reject request ${second}` }).click();
    await expect(b.getByTestId('toast')).toHaveText('Rejected: nothing was changed.');
    await expect(b.locator(`[data-request-id="${second}"]`).getByTestId('approval-state')).toContainText('Keep it until the audit is over');
    expect(await pcniGrantOf(targetId, 'users:manage')).toBe('all');
    await a.context().close();
    await b.context().close();
  });
}

test('two browsers: the target’s grants change after the request; B’s approval answers 409 and overwrites nothing', async ({ browser }) => {
  test.setTimeout(60_000);
  const targetId = await newTarget('stale');
  const a = await signedIn(browser, A);
  await pcniChecking(a, true);
  await askForUsersManage(a, targetId, 'all', 'Needs to onboard the new branch');
  const requestId = await lastRequestFor(targetId);

  // B has the request open in one browser…
  const b = await signedIn(browser, B);
  await b.goto('/admin/approvals');
  const waiting = b.locator(`[data-request-id="${requestId}"]`);
  await expect(waiting.getByRole('button', { name: `Approve request ${requestId}` })).toBeVisible();

  // …while in another, checking is switched off for a moment and the target's grants change directly.
  // Turning checking off is itself a request while PCNI checks anything (decision 101): A asks, B approves it.
  const other = await signedIn(browser, B);
  try {
    await askToSwitchOff(a);
    const switchRequest = await lastSwitchRequest();
    await other.goto('/admin/approvals');
    const off = other.locator(`[data-request-id="${switchRequest}"]`);
    await expect(off).toContainText('checker_user_grants');
    await off.getByRole('button', { name: `Approve request ${switchRequest}` }).click();
    await expect(other.getByTestId('toast')).toHaveText('Approved: the change is in force.');
    await expect.poll(async () => String((await pcniSwitch())?.value)).toBe('false');
    await other.goto(`/admin/users/${targetId}`);
    const pcni = other.getByTestId('grants-PCNI');
    await pcni.getByLabel('reports:read', { exact: true }).selectOption('branch');
    await pcni.getByRole('button', { name: 'Save PCNI permissions' }).click();
    await expect(other.getByTestId('toast')).toBeVisible();
    expect(await pcniGrantOf(targetId, 'reports:read')).toBe('branch');
  } finally {
    await pcniChecking(other, true); // nothing of PCNI is checked now: switching it back on is direct
  }

  const answered = b.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin/approvals');
  await waiting.getByRole('button', { name: `Approve request ${requestId}` }).click();
  expect((await answered).status()).toBe(409);
  await expect(b.getByTestId('approval-error')).toHaveText('It changed after this request was made; it was not applied. Ask for the change again.');
  await expect(b.locator(`[data-request-id="${requestId}"]`).getByTestId('approval-state')).toContainText('stale');
  expect(await pcniGrantOf(targetId, 'users:manage')).toBeNull();
  expect(await pcniGrantOf(targetId, 'reports:read')).toBe('branch');
  expect(await pcniGrantOf(targetId, 'clients:read')).toBe('branch');
  for (const page of [a, b, other]) await page.context().close();
});
