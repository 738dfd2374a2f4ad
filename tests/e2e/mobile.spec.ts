import { expect, test } from '@playwright/test';
import { EMAIL, clientsHeading, fullNameOf, rows, scrollWidth, submitLogin } from './support';

const width = 360;
test.use({ viewport: { width, height: 740 } });

test('at 360x740 the login works and the clients screen has no horizontal scroll', async ({ page }) => {
  await page.goto('/login');
  expect(await scrollWidth(page)).toBeLessThanOrEqual(width + 1);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeInViewport();
  await submitLogin(page, EMAIL.area);
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByTestId('current-user')).toHaveText(fullNameOf(EMAIL.area));
  await expect(clientsHeading(page)).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  expect(await scrollWidth(page)).toBeLessThanOrEqual(width + 1);

  // The same screen loaded as a document (not a client-side navigation).
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  expect(await scrollWidth(page)).toBeLessThanOrEqual(width + 1);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeInViewport();

  // A client's detail page too.
  await rows(page).first().getByRole('link').click();
  await expect(page.getByTestId('client-name')).toBeVisible();
  expect(await scrollWidth(page)).toBeLessThanOrEqual(width + 1);
});
