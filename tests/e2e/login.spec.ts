import { expect, test } from '@playwright/test';
import { EMAIL, clientsHeading, fullNameOf, login, rowBranches, rows, search, submitLogin } from './support';

test('branch officer signs in, finds a client, opens it and logs out', async ({ page }) => {
  // Through the form, from the page a signed-out person is sent to.
  await page.goto('/clients');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclients$/);
  await submitLogin(page, EMAIL.branch);
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByTestId('current-user')).toHaveText(fullNameOf(EMAIL.branch));
  await expect(clientsHeading(page)).toBeVisible();

  // Only the officer's own branch, and not an empty screen.
  await expect(rows(page).first()).toBeVisible();
  const branches = await rowBranches(page);
  expect(branches.length).toBeGreaterThan(0);
  expect(new Set(branches)).toEqual(new Set(['MNLA01']));

  // Search by part of the first row's name (the surname before the comma).
  const first = rows(page).first();
  const fullName = ((await first.getByRole('cell').nth(1).textContent()) ?? '').trim();
  const code = ((await first.getByRole('link').textContent()) ?? '').trim();
  const part = fullName.split(',')[0].trim();
  expect(part.length).toBeGreaterThan(1);
  await search(page, part);
  const match = rows(page).filter({ has: page.getByRole('link', { name: code, exact: true }) });
  await expect(match).toHaveCount(1);
  await expect(match.getByRole('cell').nth(1)).toHaveText(fullName);
  for (const row of await rows(page).all()) {
    await expect(row.getByRole('cell').nth(1)).toContainText(part, { ignoreCase: true });
  }
  await expect(page.getByRole('searchbox')).toHaveValue(part);

  // The detail page: its name and its period rows.
  await match.getByRole('link', { name: code, exact: true }).click();
  await expect(page).toHaveURL(/\/clients\/\d+$/);
  await expect(page.getByTestId('client-name')).toHaveText(fullName);
  await expect(page.getByRole('heading', { name: 'Periods' })).toBeVisible();
  await expect(page.getByTestId('period-row').first()).toBeVisible();
  expect(await page.getByTestId('period-row').count()).toBeGreaterThan(0);

  // Log out with the button; the clients screen then asks to sign in again.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await page.goto('/clients');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclients$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
});

test('a wrong password shows the generic error and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await submitLogin(page, EMAIL.viewer, 'not-the-password-2026');
  await expect(page.getByTestId('login-error')).toHaveText(
    'That email and password did not work, or the account is locked. Please try again later or ask your admin.',
  );
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
  await expect(page.getByLabel('Email')).toHaveValue(EMAIL.viewer);

  // Still signed out: the clients screen sends back to the login page.
  await page.goto('/clients');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclients$/);
});

test('a signed-in person who opens the login page goes to the clients screen', async ({ page }) => {
  await login(page, EMAIL.viewer);
  await page.goto('/login');
  await expect(page).toHaveURL(/\/clients$/);
  await expect(clientsHeading(page)).toBeVisible();
});
