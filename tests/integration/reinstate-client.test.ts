// Reinstating a terminal client (intent=reinstate on the client page, status:revert): the terminal
// mark is cleared on every terminal row, audited with old and new values, and the next
// initialization of a later period includes the client again (it did not before).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initializePeriod } from '../../app/core/status/initialize-period.server';
import { periodOf } from '../../app/core/status/periods';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { deceasedClient as markDeceased, findPeriodRow } from '../support/status';
import { asUser } from '../support/tele';
import { redirectOf } from '../support/flash';

const AREA = 'area.ncr@demo.test'; // status:revert at area scope (FCASH + PCNI NCR)
const ADMIN = 'admin@demo.test';
const OFFICER = 'branch.mnla01@demo.test'; // no status:revert
const TELE = 'tele.fcash@demo.test'; // no status:revert
const DECEMBER = { type: 'monthly' as const, year: 2026, number: 12 };

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key; // 2026-11
});
afterEach(() => t.close());

/** A client of the branch marked DONE / Deceased this month through the app: terminal from now on. */
const deceasedClient = async (branch: string) => (await markDeceased(ctx, t.client, { periodKey: MONTH, branch })).clientId;
const decemberRow = (clientId: number) => sqlRows(t.client, "SELECT id FROM client_period_status WHERE client_id = ? AND period_key = '2026-12'", [clientId]);
const periodRow = async (clientId: number) =>
  (
    await sqlRows(t.client, 'SELECT is_terminal, version, status_type_id, status_reason_id FROM client_period_status WHERE client_id = ? AND period_key = ?', [
      clientId,
      MONTH,
    ])
  )[0];

describe('reinstating a terminal client', () => {
  it('is left out of the next period before, and included after, with the change audited', async () => {
    const id = await deceasedClient('MNLA01');
    const first = await initializePeriod(ctx, DECEMBER);
    expect(await decemberRow(id)).toEqual([]);
    expect(first.leftOut.terminalEarlier).toBeGreaterThanOrEqual(1);
    const before = await periodRow(id);

    const area = await asUser(ctx, AREA);
    const page = await area.view(id);
    expect(page.data.reinstate).toEqual({ periods: [MONTH] });
    const answer = await area.post(id, { intent: 'reinstate', remarks: 'Wrong client was marked deceased' });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${id}`, flash: 'Client reinstated: later periods will include it again.' });

    // The row keeps what happened (DONE / Deceased) but no longer excludes the client; its version moved on.
    expect(await periodRow(id)).toEqual({ ...before, is_terminal: 0, version: Number(before.version) + 1 });
    const [log] = await sqlRows(t.client, "SELECT user_id, details FROM activity_logs WHERE action = 'client.reinstate' AND resource_id = ?", [String(id)]);
    expect(log.user_id).toBe(area.userId);
    expect(JSON.parse(String(log.details))).toMatchObject({
      remarks: 'Wrong client was marked deceased',
      rows: [{ periodKey: MONTH, reason: 'DECEASED', old: { isTerminal: true }, new: { isTerminal: false } }],
    });
    const audit = await sqlRows(t.client, "SELECT action, old_values, new_values, user_id FROM config_audit_log WHERE table_name = 'client_period_status'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0].old_values))).toMatchObject({ isTerminal: true });
    expect(JSON.parse(String(audit[0].new_values))).toMatchObject({ isTerminal: false });

    const second = await initializePeriod(ctx, DECEMBER);
    expect(await decemberRow(id)).toHaveLength(1);
    expect(second.created).toBe(1); // only the reinstated client: the run is still idempotent for everyone else
    expect((await area.view(id)).data.reinstate).toBeNull(); // nothing left to reinstate
  });

  it('clears every terminal row of the client (an earlier one too)', async () => {
    const id = await deceasedClient('MNLA01');
    await t.client.execute({ sql: "UPDATE client_period_status SET is_terminal = 1 WHERE client_id = ? AND period_key = '2026-10'", args: [id] });
    const admin = await asUser(ctx, ADMIN);
    expect((await admin.view(id)).data.reinstate.periods).toEqual(['2026-10', MONTH]);
    expect((await admin.post(id, { intent: 'reinstate', remarks: 'Estate settled the loan; data entry error' })).status).toBe(302);
    expect(await sqlRows(t.client, 'SELECT period_key FROM client_period_status WHERE client_id = ? AND is_terminal = 1', [id])).toEqual([]);
    await initializePeriod(ctx, DECEMBER);
    expect(await decemberRow(id)).toHaveLength(1);
  });
});

describe('reinstate refusals change nothing', () => {
  const snapshot = async () =>
    JSON.stringify([
      await sqlRows(t.client, 'SELECT * FROM client_period_status WHERE is_terminal = 1 ORDER BY id'),
      await sqlRows(t.client, "SELECT count(*) AS n FROM activity_logs WHERE action = 'client.reinstate'"),
      await sqlRows(t.client, 'SELECT count(*) AS n FROM config_audit_log'),
    ]);

  it('without remarks → 400 with the field error', async () => {
    const id = await deceasedClient('MNLA01');
    const before = await snapshot();
    const area = await asUser(ctx, AREA);
    for (const remarks of ['', '   ']) {
      const answer = await area.post(id, { intent: 'reinstate', remarks });
      expect(answer.status).toBe(400);
      expect(answer.data).toMatchObject({ ok: false, intent: 'reinstate', fieldErrors: { remarks: 'Say why the client is reinstated.' } });
    }
    expect((await area.post(id, { intent: 'reinstate', remarks: 'x'.repeat(501) })).data.fieldErrors.remarks).toMatch(/at most 500/);
    expect(await snapshot()).toBe(before);
  });

  it('a client that is not terminal → 400', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', company: 'FCASH', status: 'PENDING' });
    const id = row.clientId;
    await t.client.execute({ sql: 'UPDATE client_period_status SET is_terminal = 0 WHERE client_id = ?', args: [id] });
    const before = await snapshot();
    const answer = await (await asUser(ctx, AREA)).post(id, { intent: 'reinstate', remarks: 'just in case' });
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('This client is not terminal in any period.');
    expect(await snapshot()).toBe(before);
  });

  it('without status:revert → 403; outside the territory or unknown → 404', async () => {
    const ncr = await deceasedClient('MNLA01');
    const cebu = await deceasedClient('CEBU01');
    const before = await snapshot();
    for (const email of [OFFICER, TELE]) {
      const user = await asUser(ctx, email);
      expect((await user.post(ncr, { intent: 'reinstate', remarks: 'please' })).status).toBe(403);
      expect((await user.view(ncr)).data.reinstate).toBeNull();
    }
    const area = await asUser(ctx, AREA);
    expect((await area.post(cebu, { intent: 'reinstate', remarks: 'please' })).status).toBe(404);
    expect((await area.post(987654321, { intent: 'reinstate', remarks: 'please' })).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});
