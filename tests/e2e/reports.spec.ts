import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { EMAIL, login, territoryOf } from './support';

// The performance screen (issue 12 part 1) as the NCR area manager: the figures the service computes
// on request match the dashboard's for the same scope and month; the columns sort with GET links; and
// the page works with JavaScript off. The e2e service runs without its scheduler, so the figures
// come from the screen's own "Refresh figures" request through the job queue.

test.describe.configure({ mode: 'serial' });

type Figures = { clients: number; completed: number; conversion: number };

/** The table's rows: branch code → figures (the cells carry data-label, as the stacked 360 px view shows them). */
async function tableFigures(page: Page): Promise<Map<string, Figures>> {
  const out = new Map<string, Figures>();
  for (const row of await page.getByTestId('performance-row').all()) {
    const code = (await row.locator('th a').textContent())!.trim();
    const cell = async (label: string) => (await row.locator(`td[data-label="${label}"]`).textContent())!.replace(/[,%]/g, '');
    out.set(code, { clients: Number(await cell('Clients')), completed: Number(await cell('Completed')), conversion: Number(await cell('Conversion')) });
  }
  return out;
}

/** Asks for fresh figures and waits until the service has computed them (the page says when). */
async function refreshFigures(page: Page) {
  const before = await page.getByTestId('computed-at').textContent();
  await page.getByRole('button', { name: 'Refresh figures' }).click();
  await expect(page.getByTestId('toast')).toContainText(/queued|on its way/);
  await expect(async () => {
    await page.reload();
    const now = await page.getByTestId('computed-at').textContent();
    expect(now).toContain('Figures computed');
    expect(now).not.toBe(before);
  }).toPass({ timeout: 20_000, intervals: [500, 1000] });
}

/** The area manager's session, reused by the no-JavaScript pass: each email has a small sign-in budget (support.ts). */
let areaCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

test('the area manager sees per-branch figures for the current month that match the dashboard, and sorts them', async ({ page }) => {
  await login(page, EMAIL.area);
  areaCookies = await page.context().cookies();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Performance' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance · FCASH · November 2026');
  await refreshFigures(page);

  const figures = await tableFigures(page);
  const territory = territoryOf(EMAIL.area)!;
  expect(figures.size).toBeGreaterThan(1);
  for (const code of figures.keys()) expect(territory).toContain(code);
  const totals = page.getByTestId('performance-totals');
  const total = Number((await totals.locator('td[data-label="Clients"]').textContent())!.replace(/,/g, ''));
  const done = Number((await totals.locator('td[data-label="Completed"]').textContent())!.replace(/,/g, ''));
  await expect(page.getByRole('img', { name: /Completion per branch/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Conversion over the last 6 periods/ })).toBeVisible();

  // The dashboard of the same company and month, as the same user.
  await page.goto('/?company=fcash');
  await expect(page.getByTestId('kpi-total').locator('strong')).toHaveText(String(total));
  await expect(page.getByTestId('kpi-done').locator('strong')).toHaveText(String(done));
  const bars = page.locator('svg[aria-label="Top 10 branches by completion"] g');
  expect(await bars.count()).toBeGreaterThan(0);
  for (const bar of await bars.all()) {
    const code = (await bar.locator('text').nth(0).textContent())!;
    const pct = Number((await bar.locator('text').nth(1).textContent())!.replace('%', ''));
    expect(figures.get(code)?.conversion, code).toBe(pct);
  }

  // Sorting: a GET link per column; the first click sorts largest first, the second turns it around.
  await page.goto('/reports');
  await page.getByTestId('sort-total').click();
  await expect(page).toHaveURL(/sort=total&dir=desc/);
  // The URL can change a frame before the table re-renders: wait for the table to say how it is sorted.
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('Clients');
  const desc = [...(await tableFigures(page)).values()].map((f) => f.clients);
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  await page.getByTestId('sort-total').click();
  await expect(page).toHaveURL(/sort=total&dir=asc/);
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Clients');
  const asc = [...(await tableFigures(page)).values()].map((f) => f.clients);
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Clients');
});

test('with JavaScript off the page renders, sorts, filters per agent and asks for a refresh', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(areaCookies);
  const page = await context.newPage();
  await page.goto('/reports');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance · FCASH · November 2026');
  await expect(page.getByTestId('performance-row').first()).toBeVisible();
  // Names start A→Z; the same link again turns it around.
  await page.getByTestId('sort-label').click();
  await expect(page).toHaveURL(/sort=label&dir=asc/);
  const labels = await page.getByTestId('performance-row').locator('th a').allTextContents();
  expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  await page.getByTestId('sort-label').click();
  await expect(page).toHaveURL(/sort=label&dir=desc/);
  expect(await page.getByTestId('performance-row').locator('th a').allTextContents()).toEqual([...labels].reverse());

  await page.getByLabel('View', { exact: true }).selectOption('agent');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/view=agent/);
  await expect(page.getByRole('heading', { name: 'Per agent' })).toBeVisible();
  await expect(page.getByTestId('performance-row').last()).toContainText('Not yet updated');

  await page.getByRole('button', { name: 'Refresh figures' }).click();
  await expect(page).toHaveURL(/\/reports\?company=fcash&period=2026-11&view=agent/);
  await expect(page.getByTestId('toast')).toContainText(/queued|on its way/);
  await context.close();
});
