import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { createAdmin, createTeleAgent, openDb, runTag, signInAs } from './admin-support';
import { allScreens, openScreen, type Screen } from './screens-support';

// The field budget (DESIGN.md): every screen works with JavaScript off. Each screen is opened as a
// document, its main form is submitted as a plain HTML form, and the answer shows what it did.
// Issue 11 item 6. Users are made here (the demo logins' sign-in budget belongs to other specs).

test.describe.configure({ mode: 'serial' });
test.use({ javaScriptEnabled: false });

const tag = runTag();
const PASSWORD = 'e2e-screens-nojs-pass-2026';
const ADMIN = { email: `nojs-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const TELE = { email: `nojs-tele-${tag}@e2e.test`, fullName: 'No Script Tele' };
const AREA_CODE = `NOJS_${tag.toUpperCase()}`;

let db: Client;
let admin: Page;
let tele: Page;
let screens: Screen[];

test.beforeAll(async ({ browser }) => {
  db = openDb();
  await createAdmin(db, ADMIN.email, PASSWORD);
  await createTeleAgent(db, TELE.email, TELE.fullName, PASSWORD);
  screens = await allScreens(db);
  admin = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  tele = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(admin, ADMIN.email, PASSWORD, ADMIN.fullName);
  await signInAs(tele, TELE.email, PASSWORD, TELE.fullName);
});

test.afterAll(async () => {
  await admin?.context().close();
  await tele?.context().close();
  db?.close();
});

const screen = (name: string) => {
  const s = screens.find((x) => x.name === name);
  if (!s) throw new Error(`no screen ${name}`);
  return s;
};

async function idOf(table: string, code: string): Promise<number> {
  return Number((await db.execute({ sql: `SELECT id FROM ${table} WHERE code = ?`, args: [code] })).rows[0].id);
}

/** The value of a reason <option> inside its status's <optgroup> (without JavaScript every group is listed). */
async function reasonValue(page: Page, select: ReturnType<Page['locator']>, status: string, reason: string) {
  const option = select.locator(`optgroup[label="${status}"] > option`).filter({ hasText: new RegExp(`^${reason}\\b`) });
  await expect(option).toHaveCount(1);
  return (await option.getAttribute('value'))!;
}

test('every screen opens as a document without JavaScript', async () => {
  test.setTimeout(180_000);
  const anonymous = await admin.context().browser()!.newContext({ javaScriptEnabled: false });
  const none = await anonymous.newPage();
  for (const s of screens) await openScreen(s.as === 'none' ? none : s.as === 'tele' ? tele : admin, s);
  // The login form itself: a wrong password answers with the generic error, as a plain POST.
  await none.goto('/login');
  await none.getByLabel('Email').fill(`nobody-${tag}@e2e.test`);
  await none.getByLabel('Password').fill('not-the-password-2026');
  await none.getByRole('button', { name: 'Sign in' }).click();
  await expect(none.getByTestId('login-error')).toBeVisible();
  await anonymous.close();
});

test('dashboard: the period picker shows the chosen period', async () => {
  await openScreen(admin, screen('dashboard'));
  const period = admin.getByLabel('Period');
  const label = (await period.locator('option').nth(1).textContent())!;
  await period.selectOption({ index: 1 });
  await admin.getByRole('button', { name: 'Show' }).click();
  await expect(admin).toHaveURL(/[?&]period=/);
  await expect(admin.getByRole('heading', { level: 1 })).toContainText(label);
});

test('clients: search by code finds the client', async () => {
  const code = String((await db.execute('SELECT client_code FROM clients WHERE deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET 7')).rows[0].client_code);
  await openScreen(admin, screen('clients'));
  await admin.getByRole('searchbox', { name: 'Search by name, code, pension or phone number' }).fill(code);
  await admin.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(admin).toHaveURL(new RegExp(`[?&]q=${code}`));
  await expect(admin.getByTestId('client-row')).toHaveCount(1);
  await expect(admin.getByTestId('client-row')).toContainText(code);
});

test('client detail: recording a status saves it', async () => {
  const r = await db.execute(`SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
    JOIN client_period_status s ON s.client_id = c.id AND s.period_key = '2026-11'
    JOIN status_types t ON t.id = s.status_type_id
    WHERE b.code = 'MNLA01' AND c.deleted_at IS NULL AND t.code = 'PENDING' ORDER BY c.id DESC LIMIT 1`);
  const clientId = Number(r.rows[0].id);
  await admin.goto(`/clients/${clientId}`);
  const record = admin.getByRole('form', { name: 'Record status' });
  await record.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' });
  const reason = record.getByLabel('Reason', { exact: true });
  await reason.selectOption(await reasonValue(admin, reason, 'Called', 'No answer'));
  await record.getByRole('button', { name: 'Save status' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status saved.');
  await expect(admin.getByTestId('period-row').filter({ hasText: 'November 2026' })).toContainText('Called');
});

test("FCASH workspace (tele agent): a row's Record link opens its quick form without JavaScript, and it saves", async () => {
  const pendingId = await idOf('status_types', 'PENDING');
  await tele.goto(`/workspace/fcash?status=${pendingId}`);
  const before = Number(await tele.getByTestId('count-PENDING').locator('strong').textContent());
  const row = tele.getByTestId('workspace-row').first();
  const clientId = Number(/\/clients\/(\d+)$/.exec((await row.getByRole('link').first().getAttribute('href'))!)![1]);
  // Controls on demand (decision 086): the Record link is a plain GET (edit=<client>) that renders that row's form.
  await expect(tele.getByRole('form', { name: /^Status of client / })).toHaveCount(0);
  await row.getByRole('link', { name: /^Record status of / }).click(); // 1
  await expect(tele).toHaveURL(new RegExp(`[?&]edit=${clientId}(&|$)`));
  const form = tele.getByRole('form', { name: `Status of client ${clientId}` });
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' }); // 2
  const reason = form.getByLabel('Reason', { exact: true });
  await reason.selectOption(await reasonValue(tele, reason, 'Called', 'No answer')); // 3
  await form.getByRole('button', { name: 'Save' }).click(); // 4
  await expect(tele.getByTestId('toast')).toHaveText('Status saved.');
  await expect(tele).not.toHaveURL(/[?&]saved=/); // the message rides in the flash cookie (decision 085)
  await expect(tele).toHaveURL(new RegExp(`[?&]status=${pendingId}(&|$)`));
  await expect(tele).not.toHaveURL(/[?&]edit=/); // back to the list, the form closed
  await expect(tele.getByTestId('count-PENDING').locator('strong')).toHaveText(String(before - 1));
  await expect(tele.getByRole('form', { name: `Status of client ${clientId}` })).toHaveCount(0);
});

test('PCNI workspace: a bulk update of two selected clients shows both results', async () => {
  const pendingId = await idOf('status_types', 'PENDING');
  await admin.goto(`/workspace/pcni?status=${pendingId}`);
  const rows = admin.getByTestId('workspace-row');
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  const bulk = admin.getByRole('form', { name: 'Bulk update of the selected clients' });
  await bulk.getByLabel('Status', { exact: true }).selectOption({ label: 'To Follow' });
  const reason = bulk.getByLabel('Reason', { exact: true });
  await reason.selectOption(await reasonValue(admin, reason, 'To Follow', 'No answer'));
  await bulk.getByRole('button', { name: 'Update selected' }).click();
  // Post/redirect/get: the per-client results ride in the flash (decision 085).
  const results = admin.getByTestId('flash');
  await expect(results.getByTestId('toast')).toHaveText('2 of 2 saved.');
  await expect(results.getByTestId('flash-detail')).toHaveCount(2);
});

test('areas: create an area, then edit it on its page', async () => {
  await openScreen(admin, screen('areas'));
  await admin.getByText('New area').click(); // <details> opens without JavaScript
  const create = admin.getByTestId('area-create');
  await create.getByLabel('Company').selectOption({ label: 'FCASH' });
  await create.getByLabel('Code').fill(AREA_CODE);
  await create.getByLabel('Name').fill('No-JS area');
  await create.getByRole('button', { name: 'Create area' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Area created.');
  await expect(admin.getByTestId('area-title')).toHaveText(`FCASH ${AREA_CODE} · No-JS area`);
  const edit = admin.getByTestId('area-edit');
  await edit.getByLabel('Name').fill('No-JS area, renamed');
  await edit.getByRole('button', { name: 'Save area' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Area saved.');
  await expect(admin.getByTestId('area-title')).toHaveText(`FCASH ${AREA_CODE} · No-JS area, renamed`);
});

test("branches: the list search, then the branch page's edit form", async () => {
  await openScreen(admin, screen('branches'));
  await admin.getByLabel('Search code, name or location').fill('MNLA01');
  await admin.getByRole('button', { name: 'Apply' }).click();
  await expect(admin).toHaveURL(/[?&]q=MNLA01/);
  await expect(admin.getByTestId('list-row')).toHaveCount(1);
  await admin.getByTestId('list-row').getByRole('link', { name: 'MNLA01' }).click();
  await expect(admin.getByTestId('branch-title')).toContainText('MNLA01');
  const edit = admin.getByTestId('branch-edit');
  const name = edit.getByLabel('Name');
  const current = await name.inputValue();
  await name.fill(current);
  await edit.getByRole('button', { name: 'Save branch' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Branch saved.');
});

test('users: search, create a user, then save their territory', async () => {
  await openScreen(admin, screen('users'));
  await admin.getByLabel('Search by name or email').fill(ADMIN.email);
  await admin.getByRole('button', { name: /^(Search|Filter|Apply)$/ }).click();
  await expect(admin.getByRole('main')).toContainText(ADMIN.email);

  await openScreen(admin, screen('new user'));
  await admin.getByLabel('Email').fill(`nojs-agent-${tag}@e2e.test`);
  await admin.getByLabel('Full name').fill('No Script Agent');
  await admin.getByLabel('Role', { exact: true }).selectOption({ label: 'FCASH tele agent' });
  await admin.getByLabel('Company of the role').selectOption({ label: 'FCASH' });
  const branches = admin.getByLabel('Branches', { exact: true });
  await branches.selectOption({ label: (await branches.locator('option', { hasText: 'MNLA01 ·' }).textContent())! });
  await admin.getByRole('button', { name: 'Create user' }).click();
  // Post/redirect/get to the new user's page; the flash shows the temporary password once (decision 085).
  await expect(admin.getByTestId('temporary-password')).toBeVisible();
  await expect(admin.getByTestId('user-name')).toHaveText('No Script Agent');
  const territory = admin.getByLabel('Branches', { exact: true });
  await territory.selectOption({ label: (await territory.locator('option', { hasText: 'QZN01 ·' }).textContent())! });
  await admin.getByRole('button', { name: 'Save territory' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Territory saved.');
});

test('config: a table from the index, a new row, then an edit', async () => {
  const code = `NOJS_${tag.toUpperCase()}`;
  await openScreen(admin, screen('config'));
  await admin.getByRole('link', { name: 'Status reasons' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Status reasons');
  await admin.getByTestId('config-new').click();
  const form = admin.getByTestId('config-form');
  await form.getByLabel('Code').fill(code);
  await form.getByLabel('Name').fill('Zz no-JS check');
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Done' });
  await form.getByRole('button', { name: 'Create status reason' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason created.');
  await expect(admin.getByTestId('config-title')).toHaveText(`Status reason ${code}`);
  await admin.getByTestId('config-form').getByLabel('Name').fill('Zz no-JS check, renamed');
  await admin.getByTestId('config-form').getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByTestId('toast')).toHaveText('Status reason saved.');
});

test('audit and activity: their filters', async () => {
  await openScreen(admin, screen('audit'));
  await admin.getByLabel('Table').selectOption('status_reasons');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/[?&]table=status_reasons/);
  await expect(admin.getByTestId('audit-row').first()).toBeVisible();

  await openScreen(admin, screen('activity'));
  await admin.getByLabel('User (email or id)').fill(ADMIN.email);
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/[?&]user=/);
  await expect(admin.getByRole('main')).toContainText('auth.login');
});

test('periods: initializing the current month again reports what is already there', async () => {
  await openScreen(admin, screen('periods'));
  await admin.getByRole('button', { name: 'Initialize period' }).click();
  // Post/redirect/get: the report rides in the flash (decision 085).
  const report = admin.getByTestId('flash');
  await expect(report.getByTestId('toast')).toContainText('initialized');
  await expect(report.getByTestId('flash-detail').first()).toHaveText('Created: 0');
});

test('sync and jobs: a dry-run sync request, then the jobs list', async () => {
  await openScreen(admin, screen('sync'));
  await admin.getByRole('radio', { name: /^Incremental/ }).check();
  await admin.getByRole('checkbox', { name: /^Dry run/ }).check();
  await admin.getByRole('button', { name: 'Start sync' }).click();
  await expect(admin).toHaveURL(/[?&]requested=\d+/);
  const requested = new URL(admin.url()).searchParams.get('requested');
  await expect(admin.getByTestId('sync-progress').getByRole('heading')).toContainText(`Sync #${requested} · incremental · dry run`);
  await openScreen(admin, screen('jobs'));
  await expect(admin.getByRole('main').getByRole('table').first()).toBeVisible();
});

test('account: end the other sessions, then change the password', async ({ browser }) => {
  // A second session of the same user, from another browser.
  const other = await browser.newContext({ javaScriptEnabled: false });
  await signInAs(await other.newPage(), TELE.email, PASSWORD, TELE.fullName);
  await tele.goto('/account/sessions');
  await expect(tele.getByTestId('session-row')).toHaveCount(2);
  await tele.getByRole('button', { name: 'End all other sessions' }).click();
  await expect(tele.getByTestId('session-row')).toHaveCount(1);
  await other.close();

  await tele.goto('/account/password');
  const next = `${PASSWORD}-changed`;
  await tele.getByLabel('Current password').fill(PASSWORD);
  await tele.getByLabel('New password', { exact: true }).fill(next);
  await tele.getByLabel('New password again').fill(next);
  await tele.getByRole('button', { name: 'Change password' }).click();
  await expect(tele).toHaveURL(/\/clients$/);
  await expect(tele.getByTestId('current-user')).toHaveText(TELE.fullName);
});
