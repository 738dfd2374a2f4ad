// Fault: the libSQL database file locked by another writer (issue 14, "Faults"). A second connection
// holds BEGIN IMMEDIATE; a status write through the Node host over HTTP meanwhile either waits for the
// lock and succeeds or, when the lock outlasts the busy timeout, answers a clear 503 page with the
// request's reference and Retry-After: never a 500, never a stack. Reads go on (WAL), and afterwards
// status_events holds exactly one event per accepted write. Note: SQLite's busy wait blocks the
// host's thread, so a read that arrives while a write waits is answered when the wait ends.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formState, seedLoadUsers, signIn, type LoadUser } from '../support/load-run';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';
import { spawnNodeScript, waitUntil } from '../support/processes';
import { sqlCount } from '../support/sql';

let host: TestNodeHost;
let user: LoadUser;
let cookie: string;

beforeAll(async () => {
  host = await startTestNodeHost();
  [user] = await seedLoadUsers(host.db.client, 1);
  cookie = await signIn(host.url, user.email);
});
afterAll(() => host?.stop());

/** Another writer on the same file, in its own process: BEGIN IMMEDIATE held for `ms`, then rolled back. */
async function holdWriteLock(ms: number): Promise<{ released: Promise<unknown> }> {
  const holder = spawnNodeScript({
    name: 'db-lock-holder',
    script: path.join(import.meta.dirname, '../support/db-lock-holder.mjs'),
    args: [host.db.url, String(ms)],
  });
  await waitUntil('the write lock', async () => readFileSync(holder.logFile, 'utf8').includes('locked'), { process: holder, timeoutMs: 10_000 });
  return { released: holder.exited };
}

/** Opens the client page (as the person did before the lock) and returns the post of its status form. */
async function statusForm(clientId: number) {
  const page = await fetch(`${host.url}/clients/${clientId}`, { headers: { cookie } });
  const state = formState(await page.text());
  expect(state, 'the client page carries the status form').not.toBeNull();
  const statusId = await sqlCount(host.db.client, "SELECT id FROM status_types WHERE code = 'TO_FOLLOW'");
  const reasonId = await sqlCount(
    host.db.client,
    `SELECT min(id) FROM status_reasons WHERE status_type_id = ${statusId} AND is_terminal = 0 AND requires_remarks = 0`,
  );
  return (remarks: string) =>
    fetch(`${host.url}/clients/${clientId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: host.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'status', ...state!, statusTypeId: String(statusId), reasonId: String(reasonId), remarks, hasPayment: 'no' }),
    });
}

const eventsWith = (remarks: string) => sqlCount(host.db.client, `SELECT count(*) FROM status_events WHERE remarks = '${remarks}'`);

describe('the database file locked by another writer', () => {
  it('for 2 s: a status write waits and is saved once; a read meanwhile answers', async () => {
    const before = await sqlCount(host.db.client, 'SELECT count(*) FROM status_events');
    const post = await statusForm(user.clientIds[0]);
    const lock = await holdWriteLock(2000);
    const [write, read] = await Promise.all([post('fault lock 2s'), fetch(`${host.url}/clients`, { headers: { cookie } })]);
    expect(read.status).toBe(200);
    await lock.released;
    expect([302, 503]).toContain(write.status);
    const saved = write.status === 302 ? 1 : 0;
    expect(saved, 'within the busy timeout the write waits for the lock').toBe(1);
    expect(await eventsWith('fault lock 2s')).toBe(saved);
    expect(await sqlCount(host.db.client, 'SELECT count(*) FROM status_events')).toBe(before + saved);
  });

  it('past the busy timeout: a clear 503 page with its reference and Retry-After, nothing written; the same write works after', async () => {
    const before = await sqlCount(host.db.client, 'SELECT count(*) FROM status_events');
    const post = await statusForm(user.clientIds[1]);
    const lock = await holdWriteLock(9000); // the host's busy timeout is 5 s (db/client.ts)
    const write = await post('fault lock long');
    const html = await write.text();
    await lock.released;
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(html).toContain('Temporarily unavailable');
    expect(html).toContain(`data-trace-id="${write.headers.get('x-request-id')}"`);
    expect(html).not.toMatch(/\n\s+at\s|SQLITE_BUSY|node_modules|\bError: /);
    expect(await sqlCount(host.db.client, 'SELECT count(*) FROM status_events')).toBe(before);

    const again = await (await statusForm(user.clientIds[1]))('fault lock long, again');
    expect(again.status).toBe(302);
    expect(await eventsWith('fault lock long, again')).toBe(1);
    expect(await sqlCount(host.db.client, 'SELECT count(*) FROM status_events')).toBe(before + 1);
  });
});
