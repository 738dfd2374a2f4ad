import { readFileSync } from 'node:fs';
import type { Client } from '@libsql/client';
import { expect, test, type Page, type Response } from '@playwright/test';
import { createAdmin, createTeleAgent, openDb, runTag, signInAs } from './admin-support';

// One trace from the screen to the bank (issue 17, decision 094) on the e2e stack as `npm start` runs
// it: the built Node app, the service and the NextBank and Snowflake fakes, each its own process. A
// tele agent's Month to Update answers with trace id T; the NextBank fake received the command with a
// traceparent of T; the app's and the service's log files have lines of T; an admin reads the trace
// on /admin/activity?trace=T. The same for a Snowflake sync started from /admin/sync (the fake keeps
// the traceparent the SDK sent as QUERY_TAG).
//
// Sign-in budget: two users written into the database, each signing in once.

test.describe.configure({ mode: 'serial' });

const tag = runTag();
const PASSWORD = 'e2e-trace-pass-2026';
const TELE = { email: `trace-tele-${tag}@e2e.test`, fullName: 'Trace Tele Agent' };
const ADMIN = { email: `trace-admin-${tag}@e2e.test`, fullName: 'Playwright Admin' };
const queues = (process.env.E2E_SERVICE_QUEUES ?? '').split(',');

let db: Client;
let tele: Page;
let admin: Page;

test.beforeAll(async ({ browser }) => {
  db = openDb();
  await createTeleAgent(db, TELE.email, TELE.fullName, PASSWORD);
  await createAdmin(db, ADMIN.email, PASSWORD);
  tele = await (await browser.newContext()).newPage();
  admin = await (await browser.newContext()).newPage();
  await signInAs(tele, TELE.email, PASSWORD, TELE.fullName);
  await signInAs(admin, ADMIN.email, PASSWORD, ADMIN.fullName);
});

test.afterAll(async () => {
  await tele?.context().close();
  await admin?.context().close();
  db?.close();
});

/** The JSON lines of a process's log file (global-setup.ts passes each file's path). */
function logLines(variable: 'E2E_APP_LOG' | 'E2E_SERVICE_LOG' | 'E2E_NEXTBANK_LOG'): Record<string, unknown>[] {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set (tests/e2e/global-setup.ts sets it)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The trace id a form post was answered with (the action's x-request-id), after clicking `submit`. */
async function traceOfPost(page: Page, path: string, submit: () => Promise<void>): Promise<string> {
  const answered = page.waitForResponse((r: Response) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
  await submit();
  const id = (await answered).headers()['x-request-id'];
  expect(id, `x-request-id of POST ${path}`).toMatch(/^[0-9a-f]{32}$/);
  return id;
}

const traceIdOf = (traceparent: unknown) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(String(traceparent ?? ''))?.[1] ?? null;

/** The steps /admin/activity?trace=T shows, oldest first: "kind title". */
async function traceSteps(page: Page, traceId: string): Promise<string[]> {
  expect((await page.goto(`/admin/activity?trace=${traceId}`))?.status()).toBe(200);
  await expect(page.getByTestId('trace-id')).toHaveText(traceId);
  const steps = page.getByTestId('trace-step');
  const kinds = await steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind') ?? ''));
  const titles = await steps.locator('td[data-label="Step"]').allTextContents();
  return kinds.map((k, i) => `${k} ${titles[i].trim()}`);
}

test('a Month to Update: the page answer, the NextBank call, both logs and the trace page share one trace id', async () => {
  test.skip(!queues.includes('nextbank'), 'no service delivering the nextbank queue');
  const found = await db.execute(`SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
    WHERE b.code = 'MNLA01' AND c.pointer = 'current' AND c.customer_id_nb IS NOT NULL AND c.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM client_tele_history h WHERE h.client_id = c.id) ORDER BY c.id DESC LIMIT 1`);
  const clientId = Number(found.rows[0].id);
  const path = `/clients/${clientId}`;
  expect((await tele.goto(path))?.status()).toBe(200);
  const panel = tele.getByTestId('tele-panel');
  await expect(panel.getByLabel('Update status', { exact: true }).locator('optgroup')).toHaveCount(1); // hydrated
  await panel.getByLabel('Tele status', { exact: true }).selectOption({ label: 'Not yet contacted' });
  await panel.getByLabel('Update status', { exact: true }).selectOption({ label: 'Pending' });
  const statusTrace = await traceOfPost(tele, path, () => panel.getByRole('button', { name: 'Save tele status' }).click());
  await expect(tele.getByTestId('toast')).toHaveText('Tele status saved.');

  await panel.getByLabel('Month to Update', { exact: true }).fill('2026-12-31');
  const T = await traceOfPost(tele, path, () => panel.getByRole('button', { name: 'Save and send to NextBank' }).click());
  expect(T).not.toBe(statusTrace); // each request its own trace
  await expect(tele.getByTestId('toast')).toHaveText('Month to Update saved and queued for NextBank.');
  // The service delivers on its own schedule: reload until the confirmation shows.
  await expect(async () => {
    await tele.reload();
    await expect(panel.getByTestId('nextbank-confirmed')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000, intervals: [500, 1000] });

  // The NextBank fake's own log: the UpdateCustomer it received carried a traceparent of T.
  const received = logLines('E2E_NEXTBANK_LOG').filter((l) => l.msg === 'nextbank fake request' && traceIdOf(l.traceparent) === T);
  expect(received.map((l) => [l.path, l.outcome])).toEqual([['/command/UpdateCustomer', 'ok']]);

  // The app's request line and the service's attempt lines carry T.
  expect(logLines('E2E_APP_LOG').filter((l) => l.trace_id === T && l.msg === 'request')).toEqual([
    expect.objectContaining({ method: 'POST', status: expect.any(Number) }),
  ]);
  const service = logLines('E2E_SERVICE_LOG').filter((l) => l.trace_id === T);
  expect(service.map((l) => l.msg)).toEqual(expect.arrayContaining(['job started', 'job done']));
  expect(new Set(service.map((l) => l.queue))).toEqual(new Set(['nextbank']));

  // The admin follows T: the save, the job, its attempt, the delivery, in that order.
  const steps = await traceSteps(admin, T);
  expect(steps.map((s) => s.split(' ')[0])).toEqual(['activity', 'job', 'attempt', 'delivery']);
  expect(steps[0]).toContain('tele.month_to_update');
  await expect(admin.getByTestId('trace-step').last()).toContainText('confirmed');
});

test('a Snowflake sync from /admin/sync: the job, its attempt, the Snowflake session and the service log keep the trace id', async () => {
  test.skip(!queues.includes('sync'), 'no service running the sync queue');
  test.setTimeout(90_000);
  await admin.goto('/admin/sync');
  await expect(admin.getByRole('heading', { name: 'Snowflake sync', level: 1 })).toBeVisible();
  await admin.getByRole('radio', { name: /^Full/ }).check();
  await admin.getByRole('checkbox', { name: /^Dry run/ }).check();
  await admin.getByLabel(/^Only these branches/).fill('MNLA01'); // a small read: one branch
  const T = await traceOfPost(admin, '/admin/sync', () => admin.getByRole('button', { name: 'Start sync' }).click());
  await expect(admin).toHaveURL(/\/admin\/sync\?requested=\d+$/);
  const syncId = Number(new URL(admin.url()).searchParams.get('requested'));
  await expect(admin.getByTestId('sync-progress')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  const job = await db.execute({
    sql: 'SELECT j.trace_parent, a.trace_id, a.outcome FROM sync_jobs s JOIN job_queue j ON j.id = s.job_queue_id JOIN job_attempts a ON a.job_id = j.id WHERE s.id = ?',
    args: [syncId],
  });
  expect(job.rows.map((r) => [traceIdOf(r.trace_parent), r.trace_id, r.outcome])).toEqual([[T, T, 'done']]);

  // The Snowflake fake received T as the session's and the query's QUERY_TAG.
  const state = (await (await fetch(`${process.env.E2E_SNOWFLAKE_URL}/__fake/state`)).json()) as { loginQueryTags: string[]; queryTags: string[] };
  const tagged = (tags: (string | null)[]) => tags.map((t) => traceIdOf((JSON.parse(t ?? 'null') as { traceparent?: string } | null)?.traceparent));
  expect(tagged(state.loginQueryTags)).toContain(T);
  expect(tagged(state.queryTags)).toContain(T);

  const service = logLines('E2E_SERVICE_LOG').filter((l) => l.trace_id === T);
  expect(service.map((l) => l.msg)).toEqual(expect.arrayContaining(['job started', 'snowflake sync started', 'job done']));
  expect(logLines('E2E_APP_LOG').filter((l) => l.trace_id === T && l.msg === 'request')).toHaveLength(1);

  const steps = await traceSteps(admin, T);
  expect(steps.map((s) => s.split(' ')[0])).toEqual(['activity', 'job', 'attempt']);
  expect(steps[0]).toContain('sync.requested');
});
