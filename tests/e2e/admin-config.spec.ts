import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { createAdmin, openDb, runTag, signInAs, createTeleAgent } from './admin-support';

// Issue 6 on the built Node app: an admin adds a status reason that requires remarks; the tele
// agent's status form offers it on the next page load and demands remarks; the audit log shows the
// change with old and new values. Both users are written into the database and sign in once each.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-config-pass-2026';
const TELE = { email: `cfg-tele-${tag}@e2e.test`, fullName: 'Config Tele' };
const ADMIN = { email: `cfg-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const CODE = `NEEDS_PROOF_${tag.toUpperCase()}`;
const NAME = `Needs proof of life ${tag}`;

let db: Client;
let tele: Page;
let admin: Page;
let clientId: number;

test.beforeAll(async ({ browser }) => {
  db = openDb();
  await createTeleAgent(db, TELE.email, TELE.fullName, PASSWORD);
  await createAdmin(db, ADMIN.email, PASSWORD);
  // A pending client of the current month in one of the agent's branches (the newest, which other specs leave alone).
  const r = await db.execute(`SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
    JOIN client_period_status s ON s.client_id = c.id JOIN status_types st ON st.id = s.status_type_id
    WHERE b.code = 'QZN01' AND st.code = 'PENDING' AND s.is_terminal = 0
      AND s.period_key = (SELECT max(period_key) FROM client_period_status WHERE period_key NOT LIKE '%Q%')
    ORDER BY c.id DESC LIMIT 1`);
  clientId = Number(r.rows[0].id);
  tele = await (await browser.newContext()).newPage();
  await signInAs(tele, TELE.email, PASSWORD, TELE.fullName);
  admin = await (await browser.newContext()).newPage();
  await signInAs(admin, ADMIN.email, PASSWORD, ADMIN.fullName);
});

test.afterAll(async () => {
  await tele?.context().close();
  await admin?.context().close();
  db?.close();
});

test("the tele agent's status form does not offer the reason yet", async () => {
  await tele.goto(`/clients/${clientId}`);
  const status = tele.getByRole('form', { name: 'Record status' });
  await expect(status.getByLabel('Reason', { exact: true })).toBeVisible();
  await expect(status.getByLabel('Reason', { exact: true }).locator('option', { hasText: NAME })).toHaveCount(0);
});

test('the admin adds a status reason that requires remarks', async () => {
  await admin.goto('/');
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Config' }).click();
  await admin.getByRole('link', { name: 'Status reasons' }).click();
  await admin.getByTestId('config-new').click();
  const form = admin.getByTestId('config-form');
  await form.getByLabel('Code').fill(CODE);
  await form.getByLabel('Name').fill(NAME);
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' });
  await form.getByLabel('Requires remarks').check();
  await form.getByRole('button', { name: 'Create status reason' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason created.');
  await expect(admin.getByTestId('config-title')).toHaveText(`Status reason ${CODE}`);

  // The same code again: a field error next to the code, the typed name kept.
  await admin.goto('/admin/config/status-reasons/new');
  await form.getByLabel('Code').fill(CODE);
  await form.getByLabel('Name').fill('Typed twice');
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' });
  await form.getByRole('button', { name: 'Create status reason' }).click();
  await expect(admin.locator('#f-code-error')).toHaveText(`Code ${CODE} is already used in this status type.`);
  await expect(form.getByLabel('Name')).toHaveValue('Typed twice');
});

test("on the next page load the agent's status form offers it and demands remarks", async () => {
  await tele.goto(`/clients/${clientId}`);
  const status = tele.getByRole('form', { name: 'Record status' });
  await status.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' });
  await status.getByLabel('Reason', { exact: true }).selectOption({ label: `${NAME} — remarks required` });
  await status.getByRole('button', { name: 'Save status' }).click();
  await expect(tele.getByText(`Remarks are required for "${CODE}".`)).toBeVisible();
  await status.getByLabel('Remarks', { exact: true }).fill('Asked for a certificate of life');
  await status.getByRole('button', { name: 'Save status' }).click();
  await expect(tele.getByTestId('toast')).toHaveText('Status saved.');
});

test('the admin renames it; the audit log shows each change with old and new values', async () => {
  await admin.goto('/admin/config/status-reasons?q=' + CODE);
  await admin.getByRole('link', { name: CODE }).click();
  const form = admin.getByTestId('config-form');
  await form.getByLabel('Name').fill(`${NAME} (certificate)`);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason saved.');

  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await admin.getByLabel('Table').selectOption('status_reasons');
  await admin.getByRole('button', { name: 'Filter' }).click();
  const rows = admin.getByTestId('audit-row');
  await expect(rows.first().getByTestId('audit-action')).toHaveText('update');
  await expect(rows.first().locator('[data-field="name"] del')).toHaveText(NAME);
  await expect(rows.first().locator('[data-field="name"] ins')).toHaveText(`${NAME} (certificate)`);
  await expect(rows.first()).toContainText(ADMIN.email);
  await expect(rows.nth(1).getByTestId('audit-action')).toHaveText('create');
  await expect(rows.nth(1).locator('[data-field="requiresRemarks"] ins')).toHaveText('true');
  await expect(rows.nth(1).locator('[data-field="code"] ins')).toHaveText(CODE);
});

test('row actions on the list (fetchers): move up, deactivate, restore, with the filters kept', async () => {
  await admin.goto(`/admin/config/status-reasons?statusType=${await statusId('CALLED')}&sort=order`);
  const codes = () => admin.getByTestId('list-row').locator('td[data-label="Code"]').allTextContents();
  await expect.poll(codes).toEqual(['NO_ANSWER', 'WRONG_NUMBER', 'CALLBACK_REQUESTED', CODE]);
  const row = admin.locator('[data-testid="list-row"]', { hasText: CODE });
  await row.getByRole('button', { name: `Move ${CODE} up` }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason moved.');
  await expect.poll(codes).toEqual(['NO_ANSWER', 'WRONG_NUMBER', CODE, 'CALLBACK_REQUESTED']);
  await expect(admin).toHaveURL(/statusType=\d+&sort=order$/); // the message rides in the flash cookie, not the URL
  await row.getByRole('button', { name: `Deactivate ${CODE}` }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason deactivated.');
  await expect(row.locator('td[data-label="Active"]')).toHaveText('No');
  await row.getByRole('button', { name: `Restore ${CODE}` }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason restored.');
  await expect(row.locator('td[data-label="Active"]')).toHaveText('Yes');
});

async function statusId(code: string): Promise<number> {
  const r = await db.execute({ sql: 'SELECT id FROM status_types WHERE code = ?', args: [code] });
  return Number(r.rows[0].id);
}
