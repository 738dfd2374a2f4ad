// Maker-checker on status reversals, reinstatements and large bulk updates (issue 18, decision 101,
// session 6). The base database turns the reversal check off (tests/support/db-base.ts); here it is
// back to its default (on) by deleting those rows. A revert (or reinstatement) asked on the client
// page waits as a request and changes nothing; another person with status:revert over the client's
// branch approves it through the very same core function, which writes the row, event, counts and
// activity exactly as a direct update would (checked against a twin database updated directly), and
// names maker and checker; a request whose row changed since is 409 and not applied; the maker cannot
// approve their own; a checker without status:revert over that branch gets 404; bad input changes nothing.
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { periodLabel, periodOf } from '../../app/core/status/periods';
import { action as workspaceAction } from '../../app/routes/workspace.$company/route';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { approveAs } from '../support/checked-approval';
import { createTestDb, type TestDb } from '../support/db';
import { flashOf } from '../support/flash';
import { sqlRows } from '../support/sql';
import { deceasedClient as markDeceased, findPeriodRow, reasonIdOf, snapshotStatusTables, statusIdOf, whoIs, type PeriodRow } from '../support/status';
import { asUser } from '../support/tele';
import { createTestUser } from '../support/user-factory';

const AREA = 'area.ncr@demo.test'; // maker: status:revert at area scope (FCASH + PCNI NCR)
const ADMIN = 'admin@demo.test'; // checker: status:revert company-wide in both companies
const OFFICER = 'branch.mnla01@demo.test'; // status:update on MNLA01, no status:revert
const COUNT_TABLES = ['client_status_counts', 'period_status_counts', 'status_event_days'];

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string;

beforeEach(async () => {
  t = await createTestDb();
  await checkDefault(t.client);
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
});
afterEach(() => t.close());

/** The reversal check as shipped: on, since no company has a setting for it. */
const checkDefault = (client: Client) => client.execute("DELETE FROM config_settings WHERE key = 'checker_status_reversals'");

const requests = () =>
  sqlRows(
    t.client,
    'SELECT id, action, state, maker_id, checker_id, company_id, branch_id, target_type, target_id, payload, before FROM change_requests ORDER BY id',
  );
const tableJson = async (client: Client, table: string) => JSON.stringify(await sqlRows(client, `SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`));
/** Everything a status write touches except the activity log (asking a request logs approval.requested). */
const statusState = async (client: Client = t.client) => {
  const { client_period_status, status_events } = await snapshotStatusTables(client);
  return { client_period_status, status_events, counts: await Promise.all(COUNT_TABLES.map((x) => tableJson(client, x))) };
};

/** A row of MNLA01 (FCASH NCR) at TO_FOLLOW: moving it back to PENDING is a revert. */
const revertable = () => findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', company: 'FCASH', status: 'TO_FOLLOW' });

async function revertFields(row: PeriodRow, over: Record<string, string> = {}) {
  return {
    intent: 'status',
    periodKey: row.periodKey,
    baseVersion: String(row.version),
    statusTypeId: String(await statusIdOf(t.client, 'PENDING')),
    reasonId: '',
    remarks: 'Marked by mistake, the client was never called',
    hasPayment: 'no',
    ...over,
  };
}

async function askRevert(row: PeriodRow) {
  const area = await asUser(ctx, AREA);
  const answer = await area.postAsIs(row.clientId, await revertFields(row));
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const [request] = await requests();
  return { answer, request, makerId: area.userId };
}

describe('a checked revert', () => {
  it('waits as a request: nothing changes, the maker is told it waits, the request keeps the validated update and the row’s version', async () => {
    const row = await revertable();
    const before = await statusState();
    const { answer, request, makerId } = await askRevert(row);
    expect(flashOf(answer)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(answer.headers.get('location')).toBe(`/clients/${row.clientId}`);
    expect(await statusState()).toEqual(before);
    expect(request).toMatchObject({ action: 'status.revert', state: 'pending', maker_id: makerId, company_id: row.companyId, branch_id: row.branchId });
    expect(request.target_id).toBe(row.id);
    expect(JSON.parse(String(request.payload))).toEqual({
      clientId: row.clientId,
      periodKey: MONTH,
      statusTypeId: await statusIdOf(t.client, 'PENDING'),
      reasonId: null,
      remarks: 'Marked by mistake, the client was never called',
      hasPayment: false,
      baseVersion: row.version,
      toStatus: 'PENDING',
    });
    expect(JSON.parse(String(request.before))).toEqual({ version: row.version, statusTypeId: await statusIdOf(t.client, 'TO_FOLLOW'), status: 'TO_FOLLOW' });
  });

  it('is applied on approval exactly as the direct path would (row, event sequence, counts), the activity naming maker and checker', async () => {
    const row = await revertable();
    const { request, makerId } = await askRevert(row);
    const checkerId = await userIdByEmail(t.db, ADMIN);
    expect(await approveAs(ctx, checkerId, Number(request.id))).toEqual({ status: 302, message: 'Approved: the change is in force.' });
    expect((await requests())[0]).toMatchObject({ state: 'approved', checker_id: checkerId });

    // The twin: the same base, the same update applied directly by the checker.
    const twin = await createTestDb();
    try {
      const twinCtx = testContext({ db: twin.db });
      const direct = await applyStatusUpdate(
        twinCtx,
        await whoIs(twinCtx, ADMIN),
        { clientId: row.clientId, periodKey: MONTH },
        {
          statusTypeId: await statusIdOf(t.client, 'PENDING'),
          reasonId: null,
          remarks: 'Marked by mistake, the client was never called',
          hasPayment: false,
          baseVersion: row.version,
        },
      );
      expect(direct).toMatchObject({ ok: true, eventSequence: row.maxSequence + 1 });
      expect(await statusState()).toEqual(await statusState(twin.client));
      const activity = (client: Client) =>
        sqlRows(client, "SELECT user_id, company_id, branch_id, details FROM activity_logs WHERE action = 'status.revert' AND resource_id = ?", [
          String(row.clientId),
        ]);
      const [viaApproval] = await activity(t.client);
      const [viaDirect] = await activity(twin.client);
      const { approval, ...details } = JSON.parse(String(viaApproval.details));
      expect(approval).toEqual({ requestId: Number(request.id), makerId, checkerId });
      expect(details).toEqual(JSON.parse(String(viaDirect.details)));
      expect({ ...viaApproval, details: null }).toEqual({ ...viaDirect, details: null });
    } finally {
      await twin.close();
    }
  });

  it('answers 409 and applies nothing when the row changed after the request (closed as stale)', async () => {
    const row = await revertable();
    const { request } = await askRevert(row);
    // The branch officer moves the row forward meanwhile.
    const moved = await applyStatusUpdate(
      ctx,
      await whoIs(ctx, OFFICER),
      { clientId: row.clientId, periodKey: MONTH },
      {
        statusTypeId: await statusIdOf(t.client, 'CALLED'),
        reasonId: await reasonIdOf(t.client, 'CALLED', 'CALLBACK_REQUESTED'),
        remarks: null,
        hasPayment: false,
        baseVersion: row.version,
      },
    );
    expect(moved.ok).toBe(true);
    const before = await statusState();
    const answer = await approveAs(ctx, await userIdByEmail(t.db, ADMIN), Number(request.id));
    expect(answer.status).toBe(409);
    expect(answer.message).toMatch(/changed after this request was made/);
    expect(await statusState()).toEqual(before);
    expect((await requests())[0].state).toBe('stale');
  });

  it('cannot be approved by its maker (403, nothing changed)', async () => {
    const row = await revertable();
    const { request, makerId } = await askRevert(row);
    const before = await statusState();
    const answer = await approveAs(ctx, makerId, Number(request.id));
    expect(answer.status).toBe(403);
    expect(await statusState()).toEqual(before);
    expect((await requests())[0].state).toBe('pending');
  });

  it('is 404 for a checker without status:revert over the client’s branch, and for one without status:revert at all', async () => {
    const row = await revertable();
    const { request } = await askRevert(row);
    const elsewhere = await createTestUser(t.client, {
      email: 'supervisor.cebu@demo.test',
      grants: [
        ['status:update', 'FCASH', 'branch'],
        ['status:revert', 'FCASH', 'branch'],
      ],
      branches: ['CEBU01'],
    });
    const before = await statusState();
    expect((await approveAs(ctx, elsewhere, Number(request.id))).status).toBe(404);
    expect((await approveAs(ctx, await userIdByEmail(t.db, OFFICER), Number(request.id))).status).toBe(404);
    expect(await statusState()).toEqual(before);
    expect((await requests())[0].state).toBe('pending');
  });

  it('refuses bad input with a clear answer and stores nothing: another company’s client (404), a version from the future (400), no remarks (400)', async () => {
    const row = await revertable();
    const fcashOnly = await createTestUser(t.client, {
      email: 'supervisor.mnla01@demo.test',
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['status:update', 'FCASH', 'branch'],
        ['status:revert', 'FCASH', 'branch'],
      ],
      branches: ['MNLA01'],
    });
    expect(fcashOnly).toBeGreaterThan(0);
    const pcni = await findPeriodRow(t.client, { periodKey: MONTH, company: 'PCNI', status: 'TO_FOLLOW' });
    const before = await statusState();
    const maker = await asUser(ctx, 'supervisor.mnla01@demo.test');
    const forged = await maker.postAsIs(pcni.clientId, await revertFields(pcni));
    expect(forged.status).toBe(404);
    const future = await maker.postAsIs(row.clientId, await revertFields(row, { baseVersion: String(row.version + 5) }));
    expect(future.status).toBe(400);
    expect(future.data.formError).toMatch(/never had/);
    const bare = await maker.postAsIs(row.clientId, await revertFields(row, { remarks: '  ' }));
    expect(bare.status).toBe(400);
    expect(bare.data.fieldErrors.remarks).toMatch(/revert needs them/);
    const older = await maker.postAsIs(row.clientId, await revertFields(row, { baseVersion: String(row.version - 1) }));
    expect(older.status).toBe(409);
    expect(await statusState()).toEqual(before);
    expect(await requests()).toEqual([]);
  });

  it('applies at once where the company turned the check off', async () => {
    await t.client.execute({
      sql: "INSERT INTO config_settings (key, company_id, value, value_type) VALUES ('checker_status_reversals', ?, 'false', 'boolean')",
      args: [(await revertable()).companyId],
    });
    const row = await revertable();
    const area = await asUser(ctx, AREA);
    const answer = await area.postAsIs(row.clientId, await revertFields(row));
    expect(flashOf(answer)?.message).toBe('Status saved.');
    expect(await requests()).toEqual([]);
    const [now] = await sqlRows(t.client, 'SELECT version, status_type_id FROM client_period_status WHERE id = ?', [row.id]);
    expect(now).toEqual({ version: row.version + 1, status_type_id: await statusIdOf(t.client, 'PENDING') });
  });
});

/** A client of MNLA01 marked DONE / Deceased this month (directly, by the admin): terminal from now on. */
const deceasedClient = () => markDeceased(ctx, t.client, { periodKey: MONTH, branch: 'MNLA01' });

describe('a checked reinstatement', () => {
  const terminalRows = (clientId: number) =>
    sqlRows(t.client, 'SELECT id, version, is_terminal FROM client_period_status WHERE client_id = ? ORDER BY id', [clientId]);

  it('waits as a request (nothing changes), then is applied on approval with the activity naming maker and checker', async () => {
    const row = await deceasedClient();
    const before = await statusState();
    const rowsBefore = await terminalRows(row.clientId);
    const area = await asUser(ctx, AREA);
    const answer = await area.postAsIs(row.clientId, { intent: 'reinstate', remarks: 'Wrong client was marked deceased' });
    expect(answer.status).toBe(302);
    expect(flashOf(answer)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(await statusState()).toEqual(before);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'status.reinstate', state: 'pending', target_type: 'client', target_id: row.clientId });
    expect(JSON.parse(String(request.before))).toEqual({ rows: { [String(row.id)]: row.version + 1 } });

    const checkerId = await userIdByEmail(t.db, ADMIN);
    expect((await approveAs(ctx, area.userId, Number(request.id))).status).toBe(403);
    expect((await approveAs(ctx, checkerId, Number(request.id))).status).toBe(302);
    expect(await terminalRows(row.clientId)).toEqual(rowsBefore.map((r) => (r.is_terminal ? { ...r, is_terminal: 0, version: Number(r.version) + 1 } : r)));
    const [log] = await sqlRows(t.client, "SELECT user_id, details FROM activity_logs WHERE action = 'client.reinstate' AND resource_id = ?", [
      String(row.clientId),
    ]);
    expect(log.user_id).toBe(checkerId);
    expect(JSON.parse(String(log.details))).toMatchObject({
      remarks: 'Wrong client was marked deceased',
      approval: { requestId: Number(request.id), makerId: area.userId, checkerId },
    });
  });

  it('answers 409 and applies nothing when the terminal rows changed after the request', async () => {
    const row = await deceasedClient();
    const area = await asUser(ctx, AREA);
    expect((await area.postAsIs(row.clientId, { intent: 'reinstate', remarks: 'Wrong client was marked deceased' })).status).toBe(302);
    const [request] = await requests();
    // Another terminal row appears meanwhile (an earlier period found terminal too).
    await t.client.execute({
      sql: "UPDATE client_period_status SET is_terminal = 1, version = version + 1 WHERE client_id = ? AND period_key = '2026-10'",
      args: [row.clientId],
    });
    const before = await statusState();
    const answer = await approveAs(ctx, await userIdByEmail(t.db, ADMIN), Number(request.id));
    expect(answer.status).toBe(409);
    expect(await statusState()).toEqual(before);
    expect((await requests())[0].state).toBe('stale');
  });
});

describe('a bulk update above the company’s size', () => {
  beforeEach(async () => {
    await t.client.execute(
      "INSERT INTO config_settings (key, company_id, value, value_type) SELECT 'checker_bulk_status_size', id, '2', 'number' FROM companies WHERE code = 'FCASH'",
    );
  });

  /** Rows of MNLA01 that can move forward to CALLED. */
  const forwardRows = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, skip) =>
        findPeriodRow(t.client, {
          periodKey: MONTH,
          branch: 'MNLA01',
          company: 'FCASH',
          extra: "st.code IN ('PENDING', 'TO_FOLLOW') AND s.is_terminal = 0",
          skip,
        }),
      ),
    );
  async function bulkPost(email: string, rows: PeriodRow[]) {
    const { cookie } = await startTestSession(ctx, email);
    const fields: Array<[string, string]> = [
      ['intent', 'bulk'],
      ['periodKey', MONTH],
      ['statusTypeId', String(await statusIdOf(t.client, 'CALLED'))],
      ['reasonId', String(await reasonIdOf(t.client, 'CALLED', 'CALLBACK_REQUESTED'))],
      ['remarks', 'Call round for the branch'],
      ['hasPayment', 'no'],
    ];
    for (const r of rows) fields.push(['clientIds', String(r.clientId)], [`v${r.clientId}`, String(r.version)]);
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
    return callRoute(workspaceAction, ctx, requestWithCookie(cookie, '/workspace/fcash', init), { company: 'fcash' });
  }

  it('waits as one request (nothing changes); approval applies each client on its own, a row changed since failing alone', async () => {
    const rows = await forwardRows(3);
    const before = await statusState();
    const answer = await bulkPost(AREA, rows);
    expect(answer.status).toBe(302);
    expect(flashOf(answer)?.message).toMatch(/^Waiting for approval \(request \d+\): an update of more than 2 clients/);
    expect(await statusState()).toEqual(before);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'status.bulk', state: 'pending' });

    // The officer moves the second client meanwhile.
    const officer = await applyStatusUpdate(
      ctx,
      await whoIs(ctx, OFFICER),
      { clientId: rows[1].clientId, periodKey: MONTH },
      {
        statusTypeId: await statusIdOf(t.client, 'TO_FOLLOW'),
        reasonId: await reasonIdOf(t.client, 'TO_FOLLOW', 'NO_ANSWER'),
        remarks: null,
        hasPayment: false,
        baseVersion: rows[1].version,
      },
    );
    expect(officer.ok).toBe(true);
    const checkerId = await userIdByEmail(t.db, ADMIN);
    expect((await approveAs(ctx, checkerId, Number(request.id))).status).toBe(302);
    const status = (r: PeriodRow) =>
      sqlRows(t.client, 'SELECT st.code, s.version FROM client_period_status s JOIN status_types st ON st.id = s.status_type_id WHERE s.id = ?', [r.id]);
    expect(await status(rows[0])).toEqual([{ code: 'CALLED', version: rows[0].version + 1 }]);
    expect(await status(rows[1])).toEqual([{ code: 'TO_FOLLOW', version: rows[1].version + 1 }]);
    expect(await status(rows[2])).toEqual([{ code: 'CALLED', version: rows[2].version + 1 }]);
    const [bulkLog] = await sqlRows(t.client, "SELECT user_id, details FROM activity_logs WHERE action = 'status.bulk_approved'");
    expect(bulkLog.user_id).toBe(checkerId);
    expect(JSON.parse(String(bulkLog.details)).results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, true]);
    const [rowLog] = await sqlRows(t.client, "SELECT user_id, details FROM activity_logs WHERE action = 'status.update' AND resource_id = ?", [
      String(rows[0].clientId),
    ]);
    expect(JSON.parse(String(rowLog.details)).approval).toEqual({ requestId: Number(request.id), makerId: await userIdByEmail(t.db, AREA), checkerId });
    expect((await requests())[0].state).toBe('approved');
  });

  it('applies at once at or below the size; a bad selection changes nothing', async () => {
    const rows = await forwardRows(3);
    const before = await statusState();
    const stale = await bulkPost(AREA, [rows[0], { ...rows[1], version: rows[1].version + 3 }, rows[2]]);
    expect(stale.status).toBe(400);
    expect(stale.data.formError).toMatch(/never had/);
    const pcni = await findPeriodRow(t.client, { periodKey: MONTH, company: 'PCNI', status: 'PENDING' });
    expect((await bulkPost(AREA, [rows[0], rows[1], pcni])).status).toBe(404);
    expect(await statusState()).toEqual(before);
    expect(await requests()).toEqual([]);
    const small = await bulkPost(AREA, rows.slice(0, 2));
    expect(flashOf(small)?.message).toBe('2 of 2 saved.');
    expect(await requests()).toEqual([]);
  });
});

describe('the client page shows what waits for a checker (decision 117)', () => {
  const waitingOn = async (email: string, clientId: number) => {
    const page = await (await asUser(ctx, email)).view(clientId);
    expect(page.status).toBe(200);
    return page.data.waiting as Array<{ id: number; what: string; makerName: string; remark: string }>;
  };
  const fullName = async (email: string) => String((await sqlRows(t.client, 'SELECT full_name FROM users WHERE email = ?', [email]))[0].full_name);

  it('a waiting revert is listed for whoever sees the client, and no longer once decided or expired; other clients show nothing', async () => {
    const row = await revertable();
    expect(await waitingOn(OFFICER, row.clientId)).toEqual([]);
    const { request } = await askRevert(row);
    const [month] = await sqlRows(t.client, 'SELECT period_type, period_year, period_number FROM client_period_status WHERE id = ?', [row.id]);
    const label = periodLabel({ type: month.period_type as 'monthly', year: Number(month.period_year), number: Number(month.period_number) });
    const item = {
      id: Number(request.id),
      what: `Status to Pending, ${label}`,
      makerName: await fullName(AREA),
      remark: 'Marked by mistake, the client was never called',
    };
    // The branch officer (no status:revert) and the checker both see it.
    expect(await waitingOn(OFFICER, row.clientId)).toMatchObject([item]);
    expect(await waitingOn(ADMIN, row.clientId)).toMatchObject([item]);
    const other = await findPeriodRow(t.client, {
      periodKey: MONTH,
      branch: 'MNLA01',
      company: 'FCASH',
      status: 'PENDING',
      extra: `s.client_id <> ${row.clientId}`,
    });
    expect(await waitingOn(OFFICER, other.clientId)).toEqual([]);

    // Past its expiry it no longer waits (the checker could not approve it either).
    await t.client.execute({ sql: 'UPDATE change_requests SET expires_at = ? WHERE id = ?', args: [ctx.clock.now().getTime() - 1000, Number(request.id)] });
    expect(await waitingOn(OFFICER, row.clientId)).toEqual([]);
    await t.client.execute({
      sql: 'UPDATE change_requests SET expires_at = ? WHERE id = ?',
      args: [ctx.clock.now().getTime() + 3_600_000, Number(request.id)],
    });
    expect(await waitingOn(OFFICER, row.clientId)).toHaveLength(1);

    expect((await approveAs(ctx, await userIdByEmail(t.db, ADMIN), Number(request.id))).status).toBe(302);
    expect(await waitingOn(OFFICER, row.clientId)).toEqual([]);
  });

  it('a waiting reinstatement is listed too', async () => {
    const row = await deceasedClient();
    const area = await asUser(ctx, AREA);
    expect((await area.postAsIs(row.clientId, { intent: 'reinstate', remarks: 'Wrong client was marked deceased' })).status).toBe(302);
    expect(await waitingOn(OFFICER, row.clientId)).toMatchObject([
      { what: 'Reinstatement of the client', makerName: await fullName(AREA), remark: 'Wrong client was marked deceased' },
    ]);
  });
});
