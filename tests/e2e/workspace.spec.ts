import type { Client } from '@libsql/client';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createAdmin, openDb, runTag, signInAs, createTeleAgent } from './admin-support';

// The status-tracking story of issue 4 on the built Node app (embedded default, 3000 clients,
// today 2026-11-15): a tele agent works the FCASH workspace of the current month; an admin sees the
// PCNI PNP client's quarterly periods (no VISITED) and runs a bulk update of 20 clients.
//
// Sign-in budget (see support.ts): both users are written straight into the database and sign in
// once each, in beforeAll; every test opens its own URL on that signed-in page.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-workspace-pass-2026';
const TELE = { email: `ws-tele-${tag}@e2e.test`, fullName: 'Workspace Tele' };
const ADMIN = { email: `ws-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };

let db: Client;
let tele: Page;
let admin: Page;
let teleId: number;
let adminId: number;

test.beforeAll(async ({ browser }) => {
  db = openDb();
  teleId = await createTeleAgent(db, TELE.email, TELE.fullName, PASSWORD);
  adminId = await createAdmin(db, ADMIN.email, PASSWORD);
  tele = await (await browser.newContext()).newPage();
  await signInAs(tele, TELE.email, PASSWORD, TELE.fullName);
  admin = await (await browser.newContext()).newPage();
  await signInAs(admin, ADMIN.email, PASSWORD, ADMIN.fullName);
});

test.afterAll(async () => {
  await tele?.context().close();
  await admin?.context().close();
  db?.close();
});

// ---- steps --------------------------------------------------------------------------------------

async function idOf(table: string, code: string): Promise<number> {
  const r = await db.execute({ sql: `SELECT id FROM ${table} WHERE code = ?`, args: [code] });
  return Number(r.rows[0].id);
}

async function reasonId(status: string, reason: string): Promise<number> {
  const r = await db.execute({
    sql: 'SELECT r.id FROM status_reasons r JOIN status_types t ON t.id = r.status_type_id WHERE t.code = ? AND r.code = ?',
    args: [status, reason],
  });
  return Number(r.rows[0].id);
}

/** The number in a status's count link at the top of the workspace. */
async function countOf(page: Page, code: string): Promise<number> {
  const text = (await page.getByTestId(`count-${code}`).locator('strong').textContent()) ?? '';
  return Number(text.replace(/,/g, ''));
}

async function counts(page: Page, codes: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const code of codes) out[code] = await countOf(page, code);
  return out;
}

/**
 * With JavaScript the reason list shows only the chosen status's optgroup; the bulk form starts on
 * Pending, which has no reasons, so no optgroup there means React has hydrated the page.
 */
async function hydrated(page: Page) {
  await expect(page.locator('#b-reason optgroup')).toHaveCount(0);
}

/** Picks a reason by name inside the optgroup of its status (names repeat across statuses). */
async function pickReason(select: Locator, statusName: string, reasonName: string) {
  await expect(select.locator('optgroup')).toHaveCount(1);
  await expect(select.locator('optgroup')).toHaveAttribute('label', statusName);
  const option = select.locator(`optgroup[label="${statusName}"] > option`).filter({ hasText: new RegExp(`^${reasonName}\\b`) });
  await expect(option).toHaveCount(1);
  await select.selectOption(await option.getAttribute('value'));
}

async function openWorkspace(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
}

async function periodRow(clientId: number, periodKey: string) {
  const r = await db.execute({
    sql: `SELECT s.id, s.status_type_id, s.status_reason_id, s.is_terminal, s.has_payment, s.remarks, s.update_count, s.version
          FROM client_period_status s WHERE s.client_id = ? AND s.period_key = ?`,
    args: [clientId, periodKey],
  });
  return { ...r.rows[0] } as Record<string, unknown>;
}

async function eventsOf(periodStatusId: unknown) {
  const r = await db.execute({
    sql: 'SELECT event_sequence, from_status_type_id, to_status_type_id, status_reason_id, remarks, created_by FROM status_events WHERE period_status_id = ? ORDER BY event_sequence',
    args: [periodStatusId as number],
  });
  return r.rows.map((row) => ({ ...row }));
}

const STATUS_CODES = ['PENDING', 'TO_FOLLOW', 'CALLED', 'VISITED', 'UPDATED', 'DONE'];

// ---- the tele agent's day -------------------------------------------------------------------------

test('tele agent: FCASH workspace → PENDING → CALLED with a reason from the row, then DONE (terminal) on the client page', async () => {
  const page = tele;
  await openWorkspace(page, '/workspace/fcash');
  await expect(page.getByRole('heading', { level: 1, name: 'FCASH workspace' })).toBeVisible();
  await expect(page.getByLabel('Period')).toHaveValue(''); // "Current": November 2026
  const start = await counts(page, STATUS_CODES);
  expect(start.PENDING).toBeGreaterThan(0);

  // Filter to PENDING by its count.
  const pendingId = await idOf('status_types', 'PENDING');
  await page.getByTestId('count-PENDING').click();
  await expect(page).toHaveURL(new RegExp(`[?&]status=${pendingId}(&|$)`));
  await expect(page.getByTestId('count-PENDING')).toHaveClass(/active/);
  await expect(page.getByLabel('Status', { exact: true }).first()).toBeVisible();
  const rows = page.getByTestId('workspace-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('row-status').filter({ hasNotText: 'Pending' })).toHaveCount(0);
  expect(await rows.count()).toBe(Math.min(25, start.PENDING));
  await hydrated(page);

  // The first row: CALLED with "No answer" (the Called one, not the To Follow one), from its quick form.
  const row = rows.first();
  const href = await row.getByRole('link').first().getAttribute('href');
  const clientId = Number(/^\/clients\/(\d+)$/.exec(href ?? '')?.[1]);
  expect(clientId).toBeGreaterThan(0);
  const before = await periodRow(clientId, '2026-11');
  // One row's form at a time, opened on demand by its Record control (decision 086); the status select takes the focus.
  await expect(page.getByRole('form', { name: /^Status of client / })).toHaveCount(0);
  await row.getByRole('link', { name: /^Record status of / }).click();
  const form = page.getByRole('form', { name: `Status of client ${clientId}` });
  await expect(form.getByLabel('Status', { exact: true })).toBeFocused();
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Called' });
  const reason = form.getByLabel('Reason', { exact: true });
  await expect(reason.locator('optgroup[label="To Follow"]')).toHaveCount(0);
  await pickReason(reason, 'Called', 'No answer');
  await form.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByTestId('toast')).toHaveText('Status saved.');
  await expect(page).toHaveURL(new RegExp(`[?&]status=${pendingId}(&|$)`)); // back to the same filtered list
  await expect(page).not.toHaveURL(/[?&]saved=/); // the message rides in the flash cookie, not the URL
  await expect(page.getByTestId('count-PENDING').locator('strong')).toHaveText(String(start.PENDING - 1));
  await expect(page.getByTestId('count-CALLED').locator('strong')).toHaveText(String(start.CALLED + 1));
  expect(await counts(page, STATUS_CODES)).toEqual({ ...start, PENDING: start.PENDING - 1, CALLED: start.CALLED + 1 });
  await expect(page.getByRole('form', { name: `Status of client ${clientId}` })).toHaveCount(0); // left the PENDING list

  const afterCall = await periodRow(clientId, '2026-11');
  expect(afterCall).toMatchObject({
    status_type_id: await idOf('status_types', 'CALLED'),
    status_reason_id: await reasonId('CALLED', 'NO_ANSWER'),
    version: Number(before.version) + 1,
    is_terminal: 0,
  });

  // Post/redirect/get: a reload after the save GETs the list again; nothing is posted twice, and the
  // flash was shown once.
  const eventCount = async () => Number((await db.execute({ sql: 'SELECT count(*) AS n FROM status_events WHERE client_id = ?', args: [clientId] })).rows[0].n);
  const eventsBefore = await eventCount();
  await page.reload();
  await expect(page.getByTestId('count-CALLED').locator('strong')).toHaveText(String(start.CALLED + 1));
  await expect(page.getByTestId('toast')).toHaveCount(0);
  expect(await eventCount()).toBe(eventsBefore);
  expect(await periodRow(clientId, '2026-11')).toMatchObject({ version: afterCall.version });

  // The client's page: DONE with a terminal reason and remarks.
  await page.goto(`/clients/${clientId}`);
  await expect(page.getByTestId('client-name')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'November 2026' })).toBeVisible();
  const record = page.getByRole('form', { name: 'Record status' });
  await expect(record.getByLabel('Status', { exact: true })).toHaveValue(String(await idOf('status_types', 'CALLED')));
  await expect(record.locator('#s-reason optgroup')).toHaveCount(1); // hydrated: only Called's reasons
  await record.getByLabel('Status', { exact: true }).selectOption({ label: 'Done' });
  await pickReason(record.getByLabel('Reason', { exact: true }), 'Done', 'Deceased');
  await expect(record.getByLabel('Reason', { exact: true }).locator('option:checked')).toHaveText('Deceased — terminal');
  await record.getByLabel('Remarks').fill('Death certificate received from the family');
  await record.getByRole('radio', { name: 'No' }).check();
  await record.getByRole('button', { name: 'Save status' }).click();

  await expect(page.getByTestId('toast')).toHaveText('Status saved.');
  const november = page.getByTestId('period-row').filter({ hasText: 'November 2026' });
  await expect(november).toContainText('Done');
  await expect(november).toContainText('(terminal)');
  await expect(november).toContainText('Deceased');
  const history = page.getByTestId('history-event');
  await expect(history.last()).toContainText('CALLED → DONE');
  await expect(history.last()).toContainText('Death certificate received from the family');

  const done = await periodRow(clientId, '2026-11');
  expect(done).toMatchObject({
    status_type_id: await idOf('status_types', 'DONE'),
    status_reason_id: await reasonId('DONE', 'DECEASED'),
    is_terminal: 1,
    remarks: 'Death certificate received from the family',
    version: Number(before.version) + 2,
  });
  const events = await eventsOf(done.id);
  expect(events.slice(-2)).toMatchObject([
    { from_status_type_id: await idOf('status_types', 'PENDING'), to_status_type_id: await idOf('status_types', 'CALLED'), created_by: teleId },
    { from_status_type_id: await idOf('status_types', 'CALLED'), to_status_type_id: await idOf('status_types', 'DONE'), created_by: teleId },
  ]);
  expect(events.map((e) => Number(e.event_sequence))).toEqual(events.map((_, i) => i + 1));

  // The counts at the top: PENDING −1, CALLED back where it was, DONE +1.
  await openWorkspace(page, '/workspace/fcash');
  expect(await counts(page, STATUS_CODES)).toEqual({ ...start, PENDING: start.PENDING - 1, DONE: start.DONE + 1 });
  // And the client shows as terminal under the terminal filter.
  await openWorkspace(page, `/workspace/fcash?terminal=yes&q=${encodeURIComponent(String(await codeOf(clientId)))}`);
  await expect(page.getByTestId('workspace-row')).toHaveCount(1);
  await expect(page.getByTestId('row-status')).toContainText('terminal');
});

async function codeOf(clientId: number) {
  const r = await db.execute({ sql: 'SELECT client_code FROM clients WHERE id = ?', args: [clientId] });
  return String(r.rows[0].client_code);
}

// ---- PCNI PNP: quarterly, no VISITED --------------------------------------------------------------

test('admin: a PCNI PNP client shows quarterly periods and its status choices have no VISITED', async () => {
  const page = admin;
  const r = await db.execute(`SELECT c.id FROM clients c JOIN products p ON p.id = c.product_id
    JOIN client_period_status s ON s.client_id = c.id AND s.period_key = '2026-Q4'
    WHERE p.code = 'PCNI_PNP' AND c.deleted_at IS NULL AND s.is_terminal = 0
      AND (SELECT count(*) FROM client_period_status x WHERE x.client_id = c.id) > 1
    ORDER BY c.id LIMIT 1`);
  const clientId = Number(r.rows[0].id);

  await page.goto(`/clients/${clientId}`);
  await expect(page.getByTestId('client-name')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Q4 2026' })).toBeVisible();
  const labels = await page.getByTestId('period-row').locator('td[data-label="Period"]').allTextContents();
  expect(labels.length).toBeGreaterThan(1);
  for (const label of labels) expect(label).toMatch(/^Q[1-4] \d{4}$/);
  const record = page.getByRole('form', { name: 'Record status' });
  const choices = await record.getByLabel('Status', { exact: true }).locator('option').allTextContents();
  expect(choices).toEqual(['Pending', 'To Follow', 'Called', 'Updated', 'Done']);

  // The PCNI workspace's PNP segment: quarters in the picker, no VISITED anywhere.
  await openWorkspace(page, '/workspace/pcni?segment=pnp');
  await expect(page.getByRole('heading', { level: 1, name: 'PCNI workspace · PNP' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'PNP (quarterly)' })).toHaveAttribute('aria-current', 'page');
  const periods = (await page.getByLabel('Period').locator('option').allTextContents()).filter((p) => p !== 'Current');
  expect(periods[0]).toBe('Q4 2027');
  for (const p of periods) expect(p).toMatch(/^Q[1-4] \d{4}$/);
  await expect(page.getByTestId('count-VISITED')).toHaveCount(0);
  expect(await page.locator('#w-status option').allTextContents()).not.toContain('Visited');
  expect(await page.locator('#b-status option').allTextContents()).toEqual(['Pending', 'To Follow', 'Called', 'Updated', 'Done']);
  await expect(page.getByTestId('workspace-row').first()).toBeVisible();
  await page
    .getByTestId('workspace-row')
    .first()
    .getByRole('link', { name: /^Record status of / })
    .click();
  const quick = page.getByTestId('workspace-row').first().getByLabel('Status', { exact: true });
  expect(await quick.locator('option').allTextContents()).not.toContain('Visited');

  // The Non-PNP switch is monthly.
  await page.getByRole('link', { name: 'Non-PNP (monthly)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'PCNI workspace · Non-PNP' })).toBeVisible();
  await expect(page.getByLabel('Period').locator('option').nth(1)).toHaveText('December 2027');
});

// ---- bulk --------------------------------------------------------------------------------------------

test('admin: a bulk update of 20 selected PENDING clients shows 20 per-client results', async () => {
  const page = admin;
  const pendingId = await idOf('status_types', 'PENDING');
  await openWorkspace(page, `/workspace/fcash?status=${pendingId}`);
  const start = await counts(page, STATUS_CODES);
  expect(start.PENDING).toBeGreaterThanOrEqual(20);
  const rows = page.getByTestId('workspace-row');
  await expect(rows).toHaveCount(25);

  const selected: number[] = [];
  for (let i = 0; i < 20; i++) {
    const box = rows.nth(i).getByRole('checkbox');
    await box.check();
    selected.push(Number(await box.getAttribute('value')));
  }
  const bulk = page.getByRole('form', { name: 'Bulk update of the selected clients' });
  await bulk.getByLabel('Status', { exact: true }).selectOption({ label: 'To Follow' });
  await pickReason(bulk.getByLabel('Reason', { exact: true }), 'To Follow', 'No answer');
  await bulk.getByLabel('Remarks').fill('Bulk round 1');
  await bulk.getByLabel('Payment').selectOption('no');
  const lastEvent = Number((await db.execute('SELECT coalesce(max(id), 0) AS m FROM status_events')).rows[0].m);
  // Each result names the event sequence it wrote: the next one of that client's November row.
  const expected: string[] = [];
  for (const id of selected) {
    const r = await db.execute({
      sql: `SELECT coalesce(max(e.event_sequence), 0) + 1 AS n FROM client_period_status s
            LEFT JOIN status_events e ON e.period_status_id = s.id WHERE s.client_id = ? AND s.period_key = '2026-11'`,
      args: [id],
    });
    expected.push(`Client ${id}: Saved (update ${Number(r.rows[0].n)})`);
  }
  await bulk.getByRole('button', { name: 'Update selected' }).click();

  // Post/redirect/get: the per-client results ride in the flash, shown once above the list.
  const results = page.getByTestId('flash');
  await expect(results).toBeVisible();
  await expect(results.getByTestId('toast')).toHaveText('20 of 20 saved.');
  const items = results.getByTestId('flash-detail');
  await expect(items).toHaveCount(20);
  const lines = await items.allTextContents();
  expect(lines.map((l) => l.trim())).toEqual(expected);

  await expect(page.getByTestId('count-PENDING').locator('strong')).toHaveText(String(start.PENDING - 20));
  expect(await counts(page, STATUS_CODES)).toEqual({ ...start, PENDING: start.PENDING - 20, TO_FOLLOW: start.TO_FOLLOW + 20 });

  const events = (
    await db.execute({
      sql: 'SELECT client_id, to_status_type_id, status_reason_id, created_by FROM status_events WHERE id > ? ORDER BY id',
      args: [lastEvent],
    })
  ).rows;
  expect(events.map((e) => Number(e.client_id))).toEqual(selected);
  const toFollow = await idOf('status_types', 'TO_FOLLOW');
  const noAnswer = await reasonId('TO_FOLLOW', 'NO_ANSWER');
  for (const e of events) expect({ ...e }).toMatchObject({ to_status_type_id: toFollow, status_reason_id: noAnswer, created_by: adminId });
});

test('the Reason filter tells apart reasons of the same name under two statuses', async () => {
  // Grouped by status: "No answer" under To Follow and under Called are two labelled choices.
  await openWorkspace(admin, '/workspace/fcash');
  const labels = (await admin.locator('#w-reason option').allTextContents()).filter((l) => l !== 'All');
  expect(labels.filter((l) => /No answer/.test(l))).toHaveLength(2);
  expect(new Set(labels).size).toBe(labels.length);
});
