import { expect, test, type Page } from '@playwright/test';
import { EMAIL, SEEDED_CLIENTS, login, pagerStatus, rowBranches, rows, search } from './support';

// One admin session for the whole file (the sign-in budget is small, see support.ts); every test
// starts from its own URL, so they do not depend on each other's screens.
test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await login(page, EMAIL.admin);
});

test.afterAll(async () => {
  await page?.context().close();
});

test('filter by branch through the select: every row shows that branch', async () => {
  await page.goto('/clients');
  const before = await pagerStatus(page);
  expect(before.total).toBe(SEEDED_CLIENTS);

  await page.getByLabel('Branch').selectOption({ label: 'QZN01 · Quezon City 01' });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/[?&]branch=\d+/);
  await expect(page.getByLabel('Branch').locator('option:checked')).toHaveText('QZN01 · Quezon City 01');
  // The URL changes before the new rows are drawn: wait for the count to leave the unfiltered total.
  await expect(page.getByTestId('pager-status').first()).not.toContainText(`${before.total.toLocaleString('en-PH')} clients`);
  await expect(rows(page).first()).toBeVisible();
  const after = await pagerStatus(page);
  expect(after.total).toBeGreaterThan(0);
  expect(after.total).toBeLessThan(before.total);
  const branches = await rowBranches(page);
  expect(branches.length).toBe(Math.min(25, after.total));
  expect(new Set(branches)).toEqual(new Set(['QZN01']));

  // Back to "All" branches: the whole list again.
  await page.getByLabel('Branch').selectOption({ label: 'All' });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/[?&]branch=(&|$)/);
  await expect(page.getByTestId('pager-status').first()).toContainText(`${SEEDED_CLIENTS.toLocaleString('en-PH')} clients`);
});

test('the pager moves to page 2 and back, keeping the filters', async () => {
  await page.goto('/clients');
  await search(page, 'a'); // a filter the pager must keep
  const first = await pagerStatus(page);
  expect(first.page).toBe(1);
  expect(first.pages).toBeGreaterThan(1);
  const page1Codes = await rows(page).getByRole('link').allTextContents();

  const pager = page.getByRole('navigation', { name: 'Pages' }).first();
  await pager.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect(page).toHaveURL(/[?&]q=a(&|$)/);
  await expect(page.getByTestId('pager-status').first()).toContainText(`Page 2 of ${first.pages}`);
  expect((await pagerStatus(page)).total).toBe(first.total);
  const page2Codes = await rows(page).getByRole('link').allTextContents();
  expect(page2Codes).toHaveLength(25);
  expect(page2Codes.filter((c) => page1Codes.includes(c))).toEqual([]);

  await pager.getByRole('link', { name: '← Previous' }).click();
  await expect(page).toHaveURL(/[?&]page=1(&|$)/);
  await expect(page.getByTestId('pager-status').first()).toContainText(`Page 1 of ${first.pages}`);
  expect(await rows(page).getByRole('link').allTextContents()).toEqual(page1Codes);
  await expect(pager.getByRole('link', { name: '← Previous' })).toHaveCount(0); // no page 0
});

test('out-of-range paging in the URL renders a normal page of at most 100 rows', async () => {
  const response = await page.goto('/clients?page=-1&pageSize=5000');
  expect(response?.status()).toBe(200);
  await expect(rows(page).first()).toBeVisible();
  expect(await rows(page).count()).toBeLessThanOrEqual(100);
  const status = await pagerStatus(page);
  expect(status.page).toBe(1);
  expect(status.total).toBe(SEEDED_CLIENTS);
  await expect(page.getByTestId('filter-error')).toHaveCount(0);
});

test('an unknown branch id in the URL shows the filter error', async () => {
  const response = await page.goto('/clients?branch=999999');
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId('filter-error')).toHaveText('There is no branch with id 999999 that you can filter on.');
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByTestId('current-user')).toBeVisible();
  // The form is still there to recover with.
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeVisible();
});
