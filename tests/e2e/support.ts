import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TELE_BRANCH_CODES, DEMO_USERS } from '../../db/seed/demo-users';
import { DEMO_SECONDARY_AREA_LINKS, demoBranches } from '../../db/seed/demo-org';

// Shared steps for the e2e specs: what a person does on the screens, through role/label locators.
//
// Sign-in budget: the e2e server's clock starts at APP_FIXED_NOW and runs at real speed, so limit
// windows do pass, but a run is short: keep each email to a few sign-ins (loginUser allows 5 per 5 min).

export const PASSWORD = DEMO_PASSWORD;
export const SEEDED_CLIENTS = 3000; // tests/e2e/global-setup.ts seeds exactly this many

export const EMAIL = {
  admin: 'admin@demo.test',
  area: 'area.ncr@demo.test',
  branch: 'branch.mnla01@demo.test',
  tele: 'tele.fcash@demo.test',
  viewer: 'viewer@demo.test',
} as const;

export function fullNameOf(email: string): string {
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`${email} is not a demo user`);
  return user.fullName;
}

/** Branch codes each demo login may see, from the seed definitions; null = every branch. */
export function territoryOf(email: string): string[] | null {
  if (email === EMAIL.branch) return ['MNLA01'];
  if (email === EMAIL.tele) return [...DEMO_TELE_BRANCH_CODES].sort();
  if (email === EMAIL.area) {
    const ncr = demoBranches()
      .filter((b) => b.area === 'NCR')
      .map((b) => b.code);
    const linked = DEMO_SECONDARY_AREA_LINKS.filter((l) => l.area === 'NCR').map((l) => l.branch);
    return [...new Set([...ncr, ...linked])].sort();
  }
  return null;
}

/** Fills the sign-in form and submits it; works with and without JavaScript. */
export async function submitLogin(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the login form and waits for the clients screen. */
export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitLogin(page, email, password);
  const refused = page.getByTestId('login-error');
  await expect(page.getByTestId('current-user').or(refused)).toBeVisible();
  if (await refused.isVisible()) throw new Error(`sign-in as ${email} was refused: ${await refused.textContent()}`);
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByTestId('current-user')).toHaveText(fullNameOf(email));
  await expect(clientsHeading(page)).toBeVisible();
}

export function clientsHeading(page: Page): Locator {
  return page.getByRole('heading', { name: 'Clients', level: 1 });
}

export function rows(page: Page): Locator {
  return page.getByTestId('client-row');
}

/** The branch codes of the rows on screen. */
export async function rowBranches(page: Page): Promise<string[]> {
  return (await page.getByTestId('client-branch').allTextContents()).map((s) => s.trim());
}

/** "Page 2 of 120 · 3,000 clients" → { page: 2, pages: 120, total: 3000 } (top pager). */
export async function pagerStatus(page: Page): Promise<{ page: number; pages: number; total: number }> {
  const text = (await page.getByTestId('pager-status').first().textContent()) ?? '';
  const m = /Page\s+([\d,]+)\s+of\s+([\d,]+)\s+·\s+([\d,]+)\s+clients?/.exec(text);
  if (!m) throw new Error(`cannot read the pager: "${text}"`);
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return { page: n(m[1]), pages: n(m[2]), total: n(m[3]) };
}

/** The branch codes offered by the Branch filter (without "All"). */
export async function branchOptions(page: Page): Promise<string[]> {
  const labels = await page.getByLabel('Branch').locator('option').allTextContents();
  return labels
    .filter((l) => l !== 'All')
    .map((l) => l.split(' · ')[0].trim())
    .sort();
}

/**
 * Types into the search box, submits, and waits until the screen shows the result. The URL alone is
 * not enough: with JavaScript the router pushes the URL before React commits the new rows, so the
 * wait is on the box's `value` attribute, which React sets from the loader's params in that commit.
 */
export async function search(page: Page, text: string) {
  const box = page.getByRole('searchbox', { name: 'Search by name, code, pension or phone number' });
  await box.fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(text);
  await expect(box).toHaveAttribute('value', text);
}

/** The document's horizontal overflow: scrollWidth of the scrolling element. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollWidth);
}
