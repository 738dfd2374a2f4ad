import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { createAdmin, openDb, runTag } from './admin-support';

// Issue 6 items 1-2 on the built Node app: an admin creates an area, assigns two branches to it,
// edits a branch contact, and finds each change, old and new values, in the audit log.
// Sign-in budget: one admin written straight into the database, signed in once in beforeAll.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-org-pass-2026';
const ADMIN = { email: `org-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const AREA_CODE = `E2E_${tag.toUpperCase()}`;
const BRANCHES = ['MKTI01', 'PSG01'] as const;
const NEW_NUMBER = { typed: '+63 917 555 0142', stored: '09175550142' };

let db: Client;
let admin: Page;

test.beforeAll(async ({ browser }) => {
  db = openDb();
  // The server writes too (sessions, heartbeats): wait for its lock instead of failing with SQLITE_BUSY.
  await db.execute('PRAGMA busy_timeout = 5000');
  await createAdmin(db, ADMIN.email, PASSWORD);
  admin = await (await browser.newContext()).newPage();
  await admin.goto('/login');
  await admin.getByLabel('Email').fill(ADMIN.email);
  await admin.getByLabel('Password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await expect(admin.getByTestId('current-user')).toHaveText(ADMIN.fullName);
});

test.afterAll(async () => {
  await admin?.context().close();
  db?.close();
});

const areaIdOf = async () => Number((await db.execute({ sql: 'SELECT id FROM areas WHERE code = ?', args: [AREA_CODE] })).rows[0]?.id);

test('an admin creates an area and assigns two branches to it', async () => {
  await admin.goto('/areas');
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Areas' }).waitFor();
  await admin.getByText('New area').click();
  const create = admin.getByTestId('area-create');
  await create.getByLabel('Company').selectOption({ label: 'FCASH' });
  await create.getByLabel('Code').fill(AREA_CODE.toLowerCase());
  await create.getByLabel('Name').fill('Playwright Makati-Pasig');
  await create.getByRole('button', { name: 'Create area' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Area created.');
  await expect(admin.getByTestId('area-title')).toHaveText(`FCASH ${AREA_CODE} · Playwright Makati-Pasig`);
  await expect(admin.getByTestId('no-branches')).toBeVisible();

  for (const code of BRANCHES) {
    const assign = admin.getByTestId('assign-branch');
    const option = assign.getByLabel('Branch', { exact: true }).locator('option', { hasText: `${code} ·` });
    await assign.getByLabel('Branch', { exact: true }).selectOption({ label: (await option.textContent())! });
    await assign.getByRole('button', { name: 'Assign branch' }).click();
    await expect(admin.getByTestId('toast')).toHaveText('Area saved.');
    await expect(admin.locator(`[data-testid="area-branch-row"][data-branch-code="${code}"]`)).toContainText('Secondary');
  }
  await expect(admin.getByTestId('area-branch-row')).toHaveCount(2);
  const links = await db.execute({
    sql: 'SELECT b.code FROM area_branches ab JOIN branches b ON b.id = ab.branch_id WHERE ab.area_id = ? ORDER BY b.code',
    args: [await areaIdOf()],
  });
  expect(links.rows.map((r) => r.code)).toEqual([...BRANCHES]);

  // A bad second primary is refused next to the field, nothing saved.
  const assign = admin.getByTestId('assign-branch');
  const mnla = assign.getByLabel('Branch', { exact: true }).locator('option', { hasText: 'MNLA01 ·' });
  await assign.getByLabel('Branch', { exact: true }).selectOption({ label: (await mnla.textContent())! });
  await assign.getByLabel('Primary area of the branch').check();
  await assign.getByRole('button', { name: 'Assign branch' }).click();
  await expect(assign.locator('#assign-isPrimary-error')).toContainText("MNLA01's primary area is FCASH NCR");
  await expect(admin.getByTestId('area-branch-row')).toHaveCount(2);
});

test('an admin edits a branch contact; the number is stored in its canonical form', async () => {
  await admin.goto('/branches?q=MKTI01');
  await admin.getByTestId('branch-list').getByRole('link', { name: 'MKTI01' }).click();
  await expect(admin.getByTestId('branch-title')).toContainText('MKTI01');
  const contact = admin.getByTestId('contact').first();
  await contact.getByText('Edit').click();
  const form = contact.locator('form[data-testid^="contact-edit-"]');
  await form.getByLabel('Number or email').fill('12345');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(admin.locator('form[data-testid^="contact-edit-"] p.error:not(.banner)').first()).toContainText('Philippine mobile');

  const again = admin.locator('form[data-testid^="contact-edit-"]').first();
  await again.getByLabel('Number or email').fill(NEW_NUMBER.typed);
  await again.getByRole('button', { name: 'Save contact' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Branch saved.');
  await expect(admin.getByTestId('contact-value').first()).toHaveText(NEW_NUMBER.stored);
});

test('the audit log shows the area, the two assignments and the contact change with old and new values', async () => {
  const areaId = await areaIdOf();
  await admin.goto(`/admin/audit?table=areas&record=${areaId}`);
  const areaRow = admin.getByTestId('audit-row');
  await expect(areaRow).toHaveCount(1);
  await expect(areaRow.getByTestId('audit-action')).toHaveText('create');
  await expect(areaRow.locator('[data-field="code"] [data-testid="new"]')).toHaveText(AREA_CODE);

  await admin.goto(`/admin/audit?table=area_branches&user=${encodeURIComponent(ADMIN.email)}`);
  await expect(admin.getByTestId('audit-row')).toHaveCount(2);
  await expect(admin.locator('[data-testid="audit-row"] [data-field="areaId"] [data-testid="new"]').first()).toHaveText(String(areaId));

  await admin.goto(`/admin/audit?table=branch_contacts&user=${encodeURIComponent(ADMIN.email)}`);
  const contactRow = admin.getByTestId('audit-row');
  await expect(contactRow).toHaveCount(1);
  await expect(contactRow.getByTestId('audit-action')).toHaveText('update');
  await expect(contactRow.locator('[data-field="value"] [data-testid="new"]')).toHaveText(NEW_NUMBER.stored);
  await expect(contactRow.locator('[data-field="value"] [data-testid="old"]')).not.toBeEmpty();
  await expect(contactRow.locator('[data-field]')).toHaveCount(1); // only the changed field
});
