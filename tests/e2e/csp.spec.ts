import { expect, test, type ConsoleMessage } from '@playwright/test';
import { EMAIL, login, rows, search } from './support';

// The app sends a strict nonce CSP (script-src 'self' 'nonce-…'; style-src 'self'): nothing on the
// clients screen may be refused by it, whether reached by client-side navigation or loaded as a
// document (a server-rendered style="" attribute, for one, is refused only on document loads).
const isCspViolation = (m: ConsoleMessage) => m.type() === 'error' && /Content Security Policy/i.test(m.text());

test('no CSP violations in the console on /clients', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (isCspViolation(m)) violations.push(`${page.url()}: ${m.text()}`);
  });

  await login(page, EMAIL.admin); // lands on /clients by client-side navigation
  await page.reload(); // /clients as a document
  await expect(rows(page).first()).toBeVisible();
  await search(page, 'Santos');
  await expect(rows(page).first()).toBeVisible();
  await page.goto('/clients?page=2'); // and once more as a document
  await expect(rows(page).first()).toBeVisible();
  await rows(page).first().getByRole('link').click();
  await expect(page.getByTestId('client-name')).toBeVisible();

  expect(violations).toEqual([]);
});
