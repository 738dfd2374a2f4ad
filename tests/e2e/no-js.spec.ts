import { expect, test } from '@playwright/test';
import { EMAIL, clientsHeading, fullNameOf, rowBranches, rows, search, submitLogin, territoryOf } from './support';

// Server-rendered forms: sign-in and search work as plain HTML form posts and gets.
test.use({ javaScriptEnabled: false });

test('without JavaScript the login form and the clients search still work', async ({ page }) => {
  await page.goto('/clients');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclients$/);
  await submitLogin(page, EMAIL.tele);
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByTestId('current-user')).toHaveText(fullNameOf(EMAIL.tele));
  await expect(clientsHeading(page)).toBeVisible();
  await expect(rows(page).first()).toBeVisible();

  const allowed = new Set(territoryOf(EMAIL.tele));
  const first = rows(page).first();
  const name = ((await first.getByRole('cell').nth(1).textContent()) ?? '').trim();
  const surname = name.split(',')[0].trim();
  await search(page, surname);
  await expect(page.getByRole('searchbox')).toHaveValue(surname);
  await expect(rows(page).filter({ hasText: name }).first()).toBeVisible();
  for (const row of await rows(page).all()) {
    await expect(row.getByRole('cell').nth(1)).toContainText(surname, { ignoreCase: true });
  }
  for (const branch of await rowBranches(page)) expect(allowed).toContain(branch);

  // Filter select plus submit, as a plain GET.
  await page.getByLabel('Branch').selectOption({ label: 'PSG01 · Pasig 01' });
  await search(page, '');
  await expect(page).toHaveURL(/[?&]branch=\d+/);
  await expect(rows(page).first()).toBeVisible();
  expect(new Set(await rowBranches(page))).toEqual(new Set(['PSG01']));
});

test('without JavaScript a wrong password shows the generic error', async ({ page }) => {
  await page.goto('/login');
  await submitLogin(page, 'nobody@demo.test', 'not-the-password-2026');
  await expect(page.getByTestId('login-error')).toContainText('That email and password did not work');
  await expect(page).toHaveURL(/\/login$/);
});

test('without JavaScript, after logging out the Back button does not show the client again', async ({ page }) => {
  await page.goto('/login');
  await submitLogin(page, EMAIL.area);
  await expect(page).toHaveURL(/\/clients$/);
  await rows(page).first().getByRole('link').click();
  const name = await page.getByTestId('client-name').textContent();
  expect(name).toBeTruthy();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await page.goBack();
  // Signed-in pages are "Cache-Control: private, no-store": Back after logout must not re-show client data.
  // goBack has waited for the page to load: check it as it is, without retrying.
  expect(await page.getByTestId('client-name').count()).toBe(0);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
