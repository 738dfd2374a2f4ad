import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { createAdmin, createTeleAgent, openDb, runTag, signInAs } from './admin-support';
import { allScreens, openScreen, sidewaysOverflow, type Screen } from './screens-support';

// The field budget (DESIGN.md): every screen at 360 × 740 without sideways scrolling, for the login
// that uses it, after hydration (JavaScript on). Issue 11 item 6.

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 360, height: 740 } });

const tag = runTag();
const PASSWORD = 'e2e-screens-360-pass-2026';
const ADMIN = { email: `s360-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const TELE = { email: `s360-tele-${tag}@e2e.test`, fullName: 'Narrow Tele' };

let db: Client;
let screens: Screen[];
const pages: Partial<Record<Screen['as'], Page>> = {};

test.beforeAll(async ({ browser }) => {
  db = openDb();
  await createAdmin(db, ADMIN.email, PASSWORD);
  await createTeleAgent(db, TELE.email, TELE.fullName, PASSWORD);
  screens = await allScreens(db);
  const context = () => browser.newContext({ viewport: { width: 360, height: 740 } });
  pages.none = await (await context()).newPage();
  pages.admin = await (await context()).newPage();
  await signInAs(pages.admin, ADMIN.email, PASSWORD, ADMIN.fullName);
  pages.tele = await (await context()).newPage();
  await signInAs(pages.tele, TELE.email, PASSWORD, TELE.fullName);
});

test.afterAll(async () => {
  for (const page of Object.values(pages)) await page?.context().close();
  db?.close();
});

test('at 360 × 740 no screen scrolls sideways', async () => {
  test.setTimeout(300_000);
  const wide: string[] = [];
  for (const screen of screens) {
    const page = pages[screen.as]!;
    await openScreen(page, screen);
    await page.waitForLoadState('load');
    const o = await sidewaysOverflow(page);
    if (o.scrollWidth > o.innerWidth) wide.push(`${screen.path} (${screen.as}): ${o.scrollWidth} px wide; ${o.widest}`);
  }
  expect(wide, 'screens wider than 360 px').toEqual([]);
});
