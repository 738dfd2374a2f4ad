import { createClient, type Client } from '@libsql/client';
import { expect, type Page } from '@playwright/test';
import { PERMISSION_CODES } from '../../db/seed/permissions';
import { DEMO_TELE_BRANCH_CODES } from '../../db/seed/demo-users';
import { createTestUser } from '../support/user-factory';

// Steps for the admin-access and lockout specs. Their users are made here, not taken from the demo
// logins: each email has a small sign-in budget (loginUser 5 per 5 min), which the other specs spend.

export const GENERIC_LOGIN_FAILURE = 'That email and password did not work, or the account is locked. Please try again later or ask your admin.';

/** A suffix that keeps emails unique if a spec is run twice against one server. */
export const runTag = () => Math.random().toString(36).slice(2, 8);

export function openDb(url = process.env.E2E_DATABASE_URL): Client {
  if (!url) throw new Error('E2E_DATABASE_URL is not set (tests/e2e/global-setup.ts sets it)');
  // The app and the service write to the same file: wait for the lock instead of failing with SQLITE_BUSY.
  return createClient({ url, timeout: 5000 });
}

/** An admin of both companies, written straight into the database the server uses. */
export async function createAdmin(db: Client, email: string, password: string): Promise<number> {
  return createTestUser(db, {
    email,
    password,
    fullName: 'Playwright Admin',
    grants: PERMISSION_CODES.flatMap((code) => [[code, 'FCASH', 'all'] as const, [code, 'PCNI', 'all'] as const]),
  });
}

/** An FCASH tele agent (the FC_TELE template's grants) on the demo tele agent's four branches. */
export async function createTeleAgent(db: Client, email: string, fullName: string, password: string): Promise<number> {
  return createTestUser(db, {
    email,
    fullName,
    password,
    grants: [
      ['clients:read', 'FCASH', 'branch'],
      ['clients:update', 'FCASH', 'branch'],
      ['status:read', 'FCASH', 'branch'],
      ['status:update', 'FCASH', 'branch'],
      ['status:history:read', 'FCASH', 'self'],
    ],
    branches: DEMO_TELE_BRANCH_CODES,
  });
}

export async function clientCountIn(db: Client, branchCode: string): Promise<number> {
  const r = await db.execute({
    sql: 'SELECT count(*) AS n FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? AND c.deleted_at IS NULL',
    args: [branchCode],
  });
  return Number(r.rows[0].n);
}

export async function branchLabel(db: Client, code: string): Promise<string> {
  const r = await db.execute({ sql: 'SELECT name FROM branches WHERE code = ?', args: [code] });
  return `${code} · ${String(r.rows[0].name)}`;
}

/**
 * Fills and submits the sign-in form (from wherever the page is) and waits for the server's answer:
 * after a failure the same message is already on screen, so waiting for the text would not wait.
 */
export async function signIn(page: Page, email: string, password: string) {
  if (!/\/login(\?|$)/.test(page.url())) await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await answered;
  // Settled either way: signed in (the header names the user) or refused (the error shows).
  await expect(page.locator('[data-testid="current-user"], [data-testid="login-error"]').first()).toBeVisible();
}

/** Signs in and waits until the header shows who is signed in. */
export async function signInAs(page: Page, email: string, password: string, fullName: string) {
  await page.goto('/login');
  await signIn(page, email, password);
  await expect(page.getByTestId('current-user')).toHaveText(fullName);
}

/** "Page 1 of 3 · 61 clients" → 61 */
export async function clientTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('pager-status').first().textContent()) ?? '';
  const m = /·\s+([\d,]+)\s+clients?/.exec(text);
  if (!m) throw new Error(`cannot read the pager: "${text}"`);
  return Number(m[1].replace(/,/g, ''));
}

/** The branch codes of every client on the biggest page the list serves (the totals here are < 100). */
export async function branchesOnList(page: Page): Promise<string[]> {
  await page.goto('/clients?pageSize=100');
  await expect(page.getByTestId('client-row').first()).toBeVisible();
  return [...new Set((await page.getByTestId('client-branch').allTextContents()).map((s) => s.trim()))].sort();
}
