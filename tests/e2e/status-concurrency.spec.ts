import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { createTestUser } from '../support/user-factory';
import { openDb, runTag, signInAs } from './admin-support';

// Issue 4's "two browsers" story on the built Node app: two officers of branch MNLA01 open the same
// client from the same version; the first save wins, the second gets the 409 screen with the newer
// state, and the event sequence has no gap or duplicate. Then the dashboard follows a status write.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-concurrency-pass-2026';
const PERIOD = '2026-11'; // the e2e clock starts on 2026-11-15
const OFFICER_GRANTS = [
  ['clients:read', 'FCASH', 'branch'],
  ['status:read', 'FCASH', 'branch'],
  ['status:update', 'FCASH', 'branch'],
  ['status:history:read', 'FCASH', 'branch'],
  ['reports:read', 'FCASH', 'branch'],
] as const;

let db: Client;
const pages: Page[] = [];

test.beforeAll(async ({ browser }) => {
  db = openDb();
  for (const who of ['One', 'Two']) {
    const email = `officer-${who.toLowerCase()}-${tag}@e2e.test`;
    const fullName = `Officer ${who}`;
    await createTestUser(db, { email, fullName, password: PASSWORD, grants: OFFICER_GRANTS.map((g) => [...g]), branches: ['MNLA01'] });
    const page = await (await browser.newContext()).newPage(); // separate contexts = separate browsers' cookies
    await signInAs(page, email, PASSWORD, fullName);
    pages.push(page);
  }
});

test.afterAll(async () => {
  for (const page of pages) await page.context().close();
  db?.close();
});

async function idOf(table: string, code: string): Promise<number> {
  const r = await db.execute({ sql: `SELECT id FROM ${table} WHERE code = ?`, args: [code] });
  return Number(r.rows[0].id);
}

/** A PENDING client of MNLA01 this month that no other spec has touched (highest id first). */
async function pendingClient(skip = 0): Promise<{ clientId: number; rowId: number; version: number }> {
  const r = await db.execute({
    sql: `SELECT s.client_id, s.id, s.version FROM client_period_status s JOIN branches b ON b.id = s.branch_id
          JOIN status_types t ON t.id = s.status_type_id
          WHERE b.code = 'MNLA01' AND s.period_key = ? AND t.code = 'PENDING' ORDER BY s.client_id DESC LIMIT 1 OFFSET ?`,
    args: [PERIOD, skip],
  });
  return { clientId: Number(r.rows[0].client_id), rowId: Number(r.rows[0].id), version: Number(r.rows[0].version) };
}

async function sequences(rowId: number): Promise<number[]> {
  const r = await db.execute({ sql: 'SELECT event_sequence FROM status_events WHERE period_status_id = ? ORDER BY event_sequence', args: [rowId] });
  return r.rows.map((row) => Number(row.event_sequence));
}

/** The client page with React hydrated: a PENDING row's reason list shows no optgroup once hydrated. */
async function openClient(page: Page, clientId: number) {
  expect((await page.goto(`/clients/${clientId}`))?.status()).toBe(200);
  // (Hydration on a loaded 2-core machine can take several seconds: wait for it, not for a fixed time.)
  await expect(page.locator('#s-reason optgroup')).toHaveCount(0, { timeout: 20_000 });
  return page.getByRole('form', { name: 'Record status' });
}

test('two browsers save the same client from the same version: one wins, the other gets 409 with the newer state', async () => {
  test.setTimeout(90_000); // two pages hydrate (up to 20 s each on a loaded 2-core machine) before the saves
  const [one, two] = pages;
  const target = await pendingClient();
  const eventsBefore = await sequences(target.rowId);
  const formOne = await openClient(one, target.clientId);
  const formTwo = await openClient(two, target.clientId);
  const [updated, toFollow] = [await idOf('status_types', 'UPDATED'), await idOf('status_types', 'TO_FOLLOW')];

  // Officer One records UPDATED with a payment.
  await formOne.getByLabel('Status', { exact: true }).selectOption({ label: 'Updated' });
  await formOne.getByRole('radio', { name: 'Yes' }).check();
  await formOne.getByRole('button', { name: 'Save status' }).click();
  await expect(one.getByTestId('toast')).toHaveText('Status saved.');

  // Officer Two, still on the old version, records TO_FOLLOW: refused with 409, nothing overwritten.
  await formTwo.getByLabel('Status', { exact: true }).selectOption({ label: 'To Follow' });
  const reasonTwo = formTwo.getByLabel('Reason', { exact: true });
  await reasonTwo.selectOption({ label: 'No answer' });
  await formTwo.getByRole('radio', { name: 'No' }).check();
  const answer = two.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/clients/${target.clientId}`));
  await formTwo.getByRole('button', { name: 'Save status' }).click();
  expect((await answer).status()).toBe(409);
  await expect(two.getByTestId('conflict')).toBeVisible();
  // The form now shows the newer state: One's status and payment, ready to be reviewed.
  const refreshed = two.getByRole('form', { name: 'Record status' });
  await expect(refreshed.getByLabel('Status', { exact: true })).toHaveValue(String(updated));
  await expect(refreshed.getByRole('radio', { name: 'Yes' })).toBeChecked();

  const row = await db.execute({
    sql: 'SELECT status_type_id, has_payment, version, update_count FROM client_period_status WHERE id = ?',
    args: [target.rowId],
  });
  expect({ ...row.rows[0] }).toMatchObject({ status_type_id: updated, has_payment: 1, version: target.version + 1 });
  expect(Number(row.rows[0].status_type_id)).not.toBe(toFollow);
  const eventsAfter = await sequences(target.rowId);
  expect(eventsAfter).toEqual([...eventsBefore, eventsBefore.length + 1]); // one new event, no gap, no duplicate
  expect(eventsAfter).toEqual(eventsAfter.map((_, i) => i + 1));

  // Saving again from the newer state succeeds: the 409 screen is a fresh form, not a dead end.
  await refreshed.getByLabel('Status', { exact: true }).selectOption({ label: 'Done' });
  await refreshed.getByLabel('Reason', { exact: true }).selectOption({ label: 'Confirmed' });
  await refreshed.getByRole('button', { name: 'Save status' }).click();
  await expect(two.getByTestId('toast')).toHaveText('Status saved.');
  expect(await sequences(target.rowId)).toEqual([...eventsBefore, eventsBefore.length + 1, eventsBefore.length + 2]);
});

test('the dashboard counts follow a status write in the same scope', async () => {
  const [one] = pages;
  const count = async (code: string) => Number(((await one.getByTestId(`dash-${code}`).locator('td.num').first().textContent()) ?? '').replace(/,/g, ''));
  expect((await one.goto('/'))?.status()).toBe(200);
  const before = { PENDING: await count('PENDING'), DONE: await count('DONE') };
  expect(before.PENDING).toBeGreaterThan(0);

  const target = await pendingClient(1);
  const form = await openClient(one, target.clientId);
  await form.getByLabel('Status', { exact: true }).selectOption({ label: 'Done' });
  await form.getByLabel('Reason', { exact: true }).selectOption({ label: 'Confirmed' });
  await form.getByRole('radio', { name: 'No' }).check();
  await form.getByRole('button', { name: 'Save status' }).click();
  await expect(one.getByTestId('toast')).toHaveText('Status saved.');

  expect((await one.goto('/'))?.status()).toBe(200); // within the 2-minute cache: the write must invalidate it
  expect({ PENDING: await count('PENDING'), DONE: await count('DONE') }).toEqual({ PENDING: before.PENDING - 1, DONE: before.DONE + 1 });
});
