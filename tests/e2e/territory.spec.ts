import { expect, test } from '@playwright/test';
import { EMAIL, SEEDED_CLIENTS, branchOptions, clientsHeading, login, pagerStatus, rowBranches, rows, territoryOf } from './support';

// Each demo login reaches the clients screen and sees only its own territory.
const cases = [
  { who: 'admin', email: EMAIL.admin },
  { who: 'area manager', email: EMAIL.area },
  { who: 'branch officer', email: EMAIL.branch },
  { who: 'tele agent', email: EMAIL.tele },
  { who: 'viewer', email: EMAIL.viewer },
] as const;

for (const { who, email } of cases) {
  test(`${who} (${email}) sees only its territory`, async ({ page }) => {
    await login(page, email);
    await expect(clientsHeading(page)).toBeVisible();
    await expect(rows(page).first()).toBeVisible();
    const { total } = await pagerStatus(page);
    const offered = await branchOptions(page);
    const expected = territoryOf(email);

    if (expected === null) {
      // Whole companies: every seeded client, every branch.
      expect(total).toBe(SEEDED_CLIENTS);
      expect(offered.length).toBeGreaterThan(100);
    } else {
      expect(offered).toEqual(expected);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThan(SEEDED_CLIENTS);
    }
    if (email === EMAIL.branch) expect(offered).toEqual(['MNLA01']);
    if (email === EMAIL.tele) expect(offered.length).toBeLessThanOrEqual(5);

    // Every row on screen, and on the biggest page the screen serves, lies in the territory offered.
    const allowed = new Set(expected ?? offered);
    for (const branch of await rowBranches(page)) expect(allowed).toContain(branch);
    await page.goto('/clients?pageSize=100&sort=branch&dir=desc');
    await expect(rows(page).first()).toBeVisible();
    const onPage = await rowBranches(page);
    expect(onPage.length).toBe(Math.min(100, total));
    for (const branch of onPage) expect(allowed).toContain(branch);
    expect((await pagerStatus(page)).total).toBe(total);
  });
}

test('a client of another branch opened by URL is "not found" for the branch officer', async ({ browser, page }) => {
  // A colleague (the tele agent, who also covers QZN01, MKTI01 and PSG01) finds a client outside MNLA01.
  const colleague = await browser.newContext();
  const tele = await colleague.newPage();
  await login(tele, EMAIL.tele);
  const other = rows(tele)
    .filter({ hasNot: tele.getByTestId('client-branch').getByText('MNLA01', { exact: true }) })
    .first();
  await expect(other).toBeVisible();
  const href = await other.getByRole('link').getAttribute('href');
  expect(href).toMatch(/^\/clients\/\d+$/);
  await tele.goto(href!);
  await expect(tele.getByTestId('client-name')).toBeVisible(); // it exists
  await colleague.close();

  await login(page, EMAIL.branch);
  const response = await page.goto(href!);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByTestId('error-message')).toHaveText('There is nothing here, or it is outside your territory.');
  await expect(page.getByTestId('client-name')).toHaveCount(0);
  await expect(page.getByTestId('current-user')).toBeVisible(); // still signed in, just not allowed
});
