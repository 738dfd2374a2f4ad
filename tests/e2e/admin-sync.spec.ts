import type { Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { E2E_WAREHOUSE_ROWS } from './global-setup';
import { createAdmin, openDb, runTag, signInAs } from './admin-support';

// Issue 5's admin story on the built Node app: the admin starts a dry-run full sync on /admin/sync
// and watches the progress bar move (the page polls /admin/sync/<id>/progress, no reload) until it
// says Done; on /admin/jobs a dead job shows its last error and can be retried; /status shows the
// service's heartbeat. The sync is run by the real service (service/main.ts, the 'sync' handler)
// through the real snowflake-sdk against the Snowflake fake, all started by global-setup.ts.
//
// Sign-in budget: two admins written into the database, each signing in once (one with JavaScript off).

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-admin-sync-pass-2026';
const ADMIN = { email: `sync-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const DEAD_JOB_ERROR = `e2e ${tag}: export file could not be written (disk full)`;
const serviceRunsSync = (process.env.E2E_SERVICE_QUEUES ?? '').split(',').includes('sync');

let db: Client;
let page: Page;
let deadJobId: number;
const cspViolations: string[] = [];

test.beforeAll(async ({ browser }) => {
  expect(serviceRunsSync, `global-setup started no service that runs the 'sync' queue (E2E_SERVICE_QUEUES=${process.env.E2E_SERVICE_QUEUES ?? ''})`).toBe(true);
  db = openDb();
  await createAdmin(db, ADMIN.email, PASSWORD);
  // State setup: a job that used up its attempts (an export queue job whose export row is gone, so a
  // retry by the running service fails permanently again and touches no data).
  const now = Date.parse('2026-11-15T01:00:00Z');
  const dead = await db.execute({
    sql: `INSERT INTO job_queue (queue, payload, status, attempts, max_attempts, scheduled_at, last_error, created_at, started_at, finished_at)
          VALUES ('export', '{"exportJobId":987654}', 'dead', 3, 3, ?, ?, ?, ?, ?) RETURNING id`,
    args: [now, DEAD_JOB_ERROR, now - 60_000, now, now],
  });
  deadJobId = Number(dead.rows[0].id);
  page = await (await browser.newContext()).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  await signInAs(page, ADMIN.email, PASSWORD, ADMIN.fullName);
});

const mainNav = (p: Page) => p.getByRole('navigation', { name: 'Main' });
const clientCount = async () => Number((await db.execute('SELECT count(*) AS n FROM clients')).rows[0].n);

test.afterAll(async () => {
  await page?.context().close();
  db?.close();
});

test('the admin starts a dry-run full sync and watches the progress bar move, then Done', async () => {
  test.setTimeout(120_000);
  const clientsBefore = await clientCount();
  await mainNav(page).getByRole('link', { name: 'Sync', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Snowflake sync', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: /^Full/ }).check();
  await page.getByRole('checkbox', { name: /^Dry run/ }).check();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page).toHaveURL(/\/admin\/sync\?requested=\d+$/);
  const syncId = Number(new URL(page.url()).searchParams.get('requested'));
  const card = page.getByTestId('sync-progress');
  await expect(card.getByRole('heading')).toHaveText(`Sync #${syncId} · full · dry run (preview, nothing is written)`);

  // Read the bar as it changes on the page (the page polls every 2 s; no navigation happens).
  const bar = page.getByTestId('sync-progress-bar');
  const seen: number[] = [];
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    const value = await bar.getAttribute('aria-valuenow');
    if (value !== null && Number(value) !== seen.at(-1)) seen.push(Number(value));
    if ((await card.getAttribute('data-status')) === 'done') break;
    await page.waitForTimeout(150);
  }
  // The status can turn 'done' between reading the bar and reading the status: read the bar once more.
  const last = await bar.getAttribute('aria-valuenow');
  if (last !== null && Number(last) !== seen.at(-1)) seen.push(Number(last));
  test.info().annotations.push({ type: 'progress values seen', description: seen.join(', ') });
  await expect(card.getByTestId('sync-status')).toHaveText('Done');
  expect(page.url()).toMatch(/\/admin\/sync\?requested=\d+$/);
  expect(seen.at(-1), `values seen: ${seen.join(', ')}`).toBe(100);
  expect(
    seen.some((v) => v > 0 && v < 100),
    `the bar showed a value between 0 and 100: ${seen.join(', ')}`,
  ).toBe(true);
  expect(
    [...seen].sort((a, b) => a - b),
    'the bar never moved back',
  ).toEqual(seen);

  await expect(card.getByTestId('sync-rows-read')).toHaveText(E2E_WAREHOUSE_ROWS.toLocaleString('en-PH'));
  // When it finished, the page refreshed its history.
  const row = page.getByTestId('sync-row').filter({ hasText: `#${syncId} full (dry run)` });
  await expect(row.getByTestId('sync-row-status')).toHaveText('done');
  // A dry run is a preview: no client was written.
  expect(await clientCount()).toBe(clientsBefore);

  await row.getByRole('link', { name: `#${syncId} full (dry run)` }).click();
  await expect(page.getByRole('heading', { name: `Sync #${syncId}`, level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Field changes it would make/ })).toBeVisible();
});

test('the admin sees a dead job with its last error on /admin/jobs and puts it back in the queue', async () => {
  await mainNav(page).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await page.getByTestId('job-tab-dead').click();
  await expect(page).toHaveURL(/status=dead/);
  const row = page.locator(`[data-testid="job-row"][data-job-id="${deadJobId}"]`);
  await expect(row.getByTestId('job-status')).toHaveText('dead');
  await expect(row.getByTestId('job-error')).toHaveText(DEAD_JOB_ERROR);
  await expect(row).toContainText('3 of 3');
  await row.getByRole('button', { name: `Retry job ${deadJobId}` }).click();
  await expect(page.getByTestId('toast')).toHaveText(`Job ${deadJobId} is now pending.`);
  const activity = await db.execute({
    sql: "SELECT count(*) AS n FROM activity_logs WHERE action = 'job.retried' AND resource_id = ?",
    args: [String(deadJobId)],
  });
  expect(Number(activity.rows[0].n)).toBe(1);
});

test('the status page shows the service heartbeat and its queues', async () => {
  await page.goto('/status');
  await expect(page.getByTestId('service-state')).toHaveText('Running');
  await expect(page.getByTestId('heartbeat-age').first()).toHaveText(/^last heartbeat \d+ s ago$/);
  await expect(page.getByTestId('queue-depths')).toBeVisible();
});

test('no CSP violations on the sync, jobs and status screens', async () => {
  expect(cspViolations).toEqual([]);
});

test('without JavaScript: the form starts a sync and the Refresh link shows how it stands until Done', async ({ browser }) => {
  test.setTimeout(120_000);
  const email = `sync-nojs-${tag}@e2e.test`;
  await createAdmin(db, email, PASSWORD);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const p = await context.newPage();
  try {
    await signInAs(p, email, PASSWORD, ADMIN.fullName);
    await p.goto('/admin/sync');
    await p.getByRole('checkbox', { name: /^Dry run/ }).check();
    await p.getByLabel('Only these branches (codes, comma separated; empty = all)').fill('MNLA01, NOPE99');
    await p.getByRole('button', { name: 'Start sync' }).click();
    // A field error, the input kept, nothing started.
    await expect(p.locator('#sync-branchCodes-error')).toHaveText('No branch NOPE99 that you can sync.');
    await expect(p.getByLabel('Only these branches (codes, comma separated; empty = all)')).toHaveValue('MNLA01, NOPE99');
    await p.getByLabel('Only these branches (codes, comma separated; empty = all)').fill('MNLA01');
    await p.getByRole('button', { name: 'Start sync' }).click();
    await expect(p).toHaveURL(/\/admin\/sync\?requested=\d+$/);
    const card = p.getByTestId('sync-progress');
    for (let i = 0; i < 60 && (await card.getAttribute('data-status')) !== 'done'; i++) {
      await expect(card.getByTestId('sync-refresh')).toBeVisible();
      await p.waitForTimeout(1000);
      await card.getByTestId('sync-refresh').click();
    }
    await expect(card.getByTestId('sync-status')).toHaveText('Done');
    await expect(card.getByTestId('sync-refresh')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
