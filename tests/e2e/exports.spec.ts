import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test, type Page, type BrowserContext } from '@playwright/test';
import readXlsxFile from 'read-excel-file/node';
import { EMAIL, submitLogin, territoryOf } from './support';

// The area manager exports FCASH's status for the month as XLSX from the workspace, watches it, downloads
// it, and the file (read by read-excel-file, not the library that wrote it) holds exactly the rows of
// their territory. Once with JavaScript (the list revalidates itself), once without (meta refresh).

/** Client codes of FCASH's 2026-11 status rows in the area manager's branches, from the database. */
async function territoryCodes(): Promise<string[]> {
  const db = createClient({ url: process.env.E2E_DATABASE_URL! });
  try {
    const branches = territoryOf(EMAIL.area)!;
    const rows = await db.execute({
      sql: `SELECT c.client_code FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN branches b ON b.id = c.branch_id
            JOIN companies co ON co.id = c.company_id
            WHERE s.period_key = '2026-11' AND co.code = 'FCASH' AND c.deleted_at IS NULL AND b.code IN (${branches.map(() => '?').join(',')})`,
      args: branches,
    });
    return rows.rows.map((r) => String(r.client_code)).sort();
  } finally {
    db.close();
  }
}

/** The area manager's session, signed in once for both passes: each email has a small sign-in budget (support.ts). */
let areaCookies: Awaited<ReturnType<BrowserContext['cookies']>> | undefined;

async function exportFromWorkspace(page: Page): Promise<string> {
  if (areaCookies) await page.context().addCookies(areaCookies);
  else {
    await page.goto('/login');
    await submitLogin(page, EMAIL.area);
    areaCookies = await page.context().cookies();
  }
  await page.goto('/workspace/fcash');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.getByTestId('export-link').click();
  await expect(page).toHaveURL(/\/reports\/exports\?type=client_status&company=fcash&period=2026-11/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exports');
  await page.getByLabel('Excel (XLSX)').check();
  await page.getByTestId('export-submit').click();
  await expect(page).toHaveURL(/\/reports\/exports\?requested=\d+$/);
  const id = new URL(page.url()).searchParams.get('requested')!;
  const row = page.locator(`[data-testid="export-row"][data-export-id="${id}"]`);
  await expect(row).toBeVisible();
  // The list refreshes itself until the file is ready (no click, no reload by the test).
  await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 25_000 });
  await expect(row.getByTestId('export-percent')).toHaveText('100%');
  return id;
}

async function downloadAndCheck(page: Page, id: string) {
  const row = page.locator(`[data-testid="export-row"][data-export-id="${id}"]`);
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^client-status-fcash-2026-11-.*\.xlsx$/);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'e2e-export-')), download.suggestedFilename());
  await download.saveAs(file);
  const [sheet] = await readXlsxFile(file);
  const [header, ...data] = sheet.data;
  expect(header.slice(0, 4)).toEqual(['Period', 'Client code', 'Full name', 'Branch']);
  expect(header[6]).toBe('Past due');
  expect(data.map((r) => String(r[1])).sort()).toEqual(await territoryCodes());
  const allowed = new Set(territoryOf(EMAIL.area));
  for (const r of data) {
    expect(allowed.has(String(r[3]))).toBe(true);
    expect(typeof r[6]).toBe('number');
  }
}

test.describe('exports with JavaScript', () => {
  test('the area manager exports FCASH status for the month as XLSX from the workspace and downloads it', async ({ page }) => {
    test.setTimeout(60_000);
    const id = await exportFromWorkspace(page);
    await downloadAndCheck(page, id);
  });
});

test.describe('exports without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the same export: the list refreshes itself until the file is ready', async ({ page }) => {
    test.setTimeout(60_000);
    const id = await exportFromWorkspace(page);
    await downloadAndCheck(page, id);
  });
});
