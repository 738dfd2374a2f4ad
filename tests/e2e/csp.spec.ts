import { expect, test, type ConsoleMessage } from '@playwright/test';
import { EMAIL, login, rows, search } from './support';

// The app sends a strict nonce CSP (script-src 'self' 'nonce-…'; style-src 'self'): nothing on the
// clients screen may be refused by it, whether reached by client-side navigation or loaded as a document.
const isCspViolation = (m: ConsoleMessage) => m.type() === 'error' && /Content Security Policy/i.test(m.text());

// KNOWN BUG (app/routes/clients._index.tsx): the search field's wrapper has an inline
// style={{ gridColumn: "1 / -1" }}. Server-rendered as a style="" attribute it is refused by
// style-src 'self' on every document load of /clients ("Applying inline style violates ...").
const isKnownInlineStyleBug = (text: string) => text.startsWith('Applying inline style violates');

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

  // Expected to fail while only the known inline-style bug shows; any other violation fails for real,
  // and once the bug is fixed the test passes as a normal test.
  const texts = violations.map((v) => v.slice(v.indexOf(': ') + 2));
  test.fail(texts.length > 0 && texts.every(isKnownInlineStyleBug), 'known bug: inline style on /clients refused by the CSP');
  expect(violations).toEqual([]);
});
