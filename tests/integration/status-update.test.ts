// Status update end to end, on a real libSQL copy of the seeded base (today 2026-11-15): through
// applyStatusUpdate and through the client page's action (intent=status). One update = the row,
// one status_event with the next sequence, one activity log row, in one transaction; a refusal
// writes nothing; a stale form gets 409 with the newer state; the sequence has no gap or duplicate.
import type { Client, InValue } from '@libsql/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { migrateDatabase } from '../../db/migrate';
import { seedDatabase } from '../../db/seed/index';
import { applyStatusUpdate, type StatusUpdateResult } from '../../app/core/status/apply-status-update.server';
import { initializePeriod } from '../../app/core/status/initialize-period.server';
import { periodHistory } from '../../app/core/status/period-history.server';
import { periodOf } from '../../app/core/status/periods';
import type { StatusUpdateRequest } from '../../app/core/status/workflow';
import { action, loader } from '../../app/routes/clients.$id/route';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, TEST_DB_SEED, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';
import { startSqld, type StartedSqld } from '../support/sqld';
import {
  eligibleClientIds,
  expectStatusTablesUnchanged,
  findPeriodRow,
  maxIdOf,
  reasonIdOf,
  rowsAfter,
  snapshotStatusTables,
  statusIdOf,
  whoIs,
  type PeriodRow,
} from '../support/status';
import { createTestUser } from '../support/user-factory';
import { redirectOf } from '../support/flash';

const OFFICER = 'branch.mnla01@demo.test'; // FCASH MNLA01, status:update, no status:revert
const AREA = 'area.ncr@demo.test'; // FCASH + PCNI NCR, status:update + status:revert (area)
const TELE = 'tele.fcash@demo.test'; // FCASH MNLA01/QZN01/MKTI01/PSG01, status:history:read at self scope

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string; // the current monthly period by the test clock: '2026-11'

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
});
afterEach(() => t.close());

const S = (code: string) => statusIdOf(t.client, code);
const R = (status: string, code: string) => reasonIdOf(t.client, status, code);

async function req(row: PeriodRow, to: string, over: Partial<StatusUpdateRequest> & { reason?: string } = {}): Promise<StatusUpdateRequest> {
  const { reason, ...rest } = over;
  return {
    statusTypeId: await S(to),
    reasonId: reason ? await R(to, reason) : null,
    remarks: null,
    hasPayment: false,
    baseVersion: row.version,
    ...rest,
  };
}

async function apply(email: string, row: PeriodRow, request: StatusUpdateRequest, c: TestAppContext = ctx): Promise<StatusUpdateResult> {
  return applyStatusUpdate(c, await whoIs(c, email), { clientId: row.clientId, periodKey: row.periodKey }, request);
}

async function rowState(id: number) {
  const [row] = await sqlRows(t.client, 'SELECT * FROM client_period_status WHERE id = ?', [id]);
  return row;
}

const eventsOf = (periodStatusId: number, client: Client = t.client) =>
  sqlRows(client, 'SELECT * FROM status_events WHERE period_status_id = ? ORDER BY event_sequence', [periodStatusId]);

/** The status form as the browser posts it. */
function statusForm(
  row: PeriodRow,
  fields: { statusTypeId: number; reasonId?: number | null; remarks?: string; hasPayment?: 'yes' | 'no'; baseVersion?: number },
) {
  return {
    intent: 'status',
    periodKey: row.periodKey,
    baseVersion: String(fields.baseVersion ?? row.version),
    statusTypeId: String(fields.statusTypeId),
    reasonId: fields.reasonId ? String(fields.reasonId) : '',
    remarks: fields.remarks ?? '',
    hasPayment: fields.hasPayment ?? 'no',
  };
}

/** Signs in first (the session itself is written then), so a snapshot taken after covers only the action. */
async function poster(email: string) {
  const { cookie, userId } = await startTestSession(ctx, email);
  return {
    userId,
    post: (clientId: number, fields: Record<string, string>) =>
      callRoute(action, ctx, requestWithCookie(cookie, `/clients/${clientId}`, formInit(fields)), { id: String(clientId) }),
    view: (clientId: number) => callRoute(loader, ctx, requestWithCookie(cookie, `/clients/${clientId}`), { id: String(clientId) }),
  };
}

describe('a successful update', () => {
  it('writes the row, exactly one status_event with the next sequence and one activity log row', async () => {
    // A row with history already: the new event must continue its sequence.
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'TO_FOLLOW' });
    expect(row.maxSequence).toBeGreaterThan(0);
    const officer = await userIdByEmail(t.db, OFFICER);
    const before = await snapshotStatusTables(t.client);
    const beforeRow = await rowState(row.id);
    const lastEvent = await maxIdOf(t.client, 'status_events');
    const lastLog = await maxIdOf(t.client, 'activity_logs');

    const result = await apply(OFFICER, row, await req(row, 'CALLED', { reason: 'CALLBACK_REQUESTED', remarks: '  call after lunch ', hasPayment: true }));
    expect(result).toEqual({ ok: true, version: row.version + 1, eventSequence: row.maxSequence + 1, isTerminal: false });

    expect(await rowState(row.id)).toEqual({
      ...beforeRow,
      status_type_id: await S('CALLED'),
      status_reason_id: await R('CALLED', 'CALLBACK_REQUESTED'),
      remarks: 'call after lunch',
      has_payment: 1,
      is_terminal: 0,
      update_count: row.updateCount + 1,
      version: row.version + 1,
      last_updated_by: officer,
      last_updated_at: ctx.clock.now().getTime(),
    });
    // Every other row of the three tables is untouched: put this row back as it was and compare.
    const newEvents = await rowsAfter(t.client, 'status_events', lastEvent);
    const newLogs = await rowsAfter(t.client, 'activity_logs', lastLog);
    expect(newEvents).toHaveLength(1);
    expect(newLogs).toHaveLength(1);
    const [event] = newEvents;
    expect(event).toMatchObject({
      period_status_id: row.id,
      client_id: row.clientId,
      event_sequence: row.maxSequence + 1,
      from_status_type_id: await S('TO_FOLLOW'),
      to_status_type_id: await S('CALLED'),
      status_reason_id: await R('CALLED', 'CALLBACK_REQUESTED'),
      remarks: 'call after lunch',
      has_payment: 1,
      is_revert: 0,
      created_by: officer,
      created_at: ctx.clock.now().getTime(),
    });
    expect((await eventsOf(row.id)).map((e) => Number(e.event_sequence))).toEqual(range(1, row.maxSequence + 1));

    const [log] = newLogs;
    expect(log).toMatchObject({
      user_id: officer,
      action: 'status.update',
      resource_type: 'client',
      resource_id: String(row.clientId),
      ip: ctx.clientIp,
      request_id: ctx.requestId,
    });
    expect(JSON.parse(String(log.details))).toEqual({
      periodKey: MONTH,
      from: await S('TO_FOLLOW'),
      to: await S('CALLED'),
      reasonId: await R('CALLED', 'CALLBACK_REQUESTED'),
      hasPayment: true,
      eventSequence: row.maxSequence + 1,
    });

    await t.client.execute('DELETE FROM status_events WHERE id > ?', [lastEvent]);
    await t.client.execute('DELETE FROM activity_logs WHERE id > ?', [lastLog]);
    const cols = Object.keys(beforeRow).filter((c) => c !== 'id');
    await t.client.execute({
      sql: `UPDATE client_period_status SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
      args: [...cols.map((c) => beforeRow[c] as InValue), row.id],
    });
    await expectStatusTablesUnchanged(t.client, before);
  });

  it('through the client page: redirects back to the page as saved, and counts every update (skip forward, same again)', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING', extra: 's.update_count = 0' });
    const officer = await poster(OFFICER);

    const first = await officer.post(row.clientId, statusForm(row, { statusTypeId: await S('UPDATED'), hasPayment: 'yes' }));
    expect(first.status).toBe(302);
    expectSavedRedirect(first, row.clientId);
    // Same status again, with remarks and no payment this time: a re-update, not a refusal.
    const second = await officer.post(
      row.clientId,
      statusForm(row, { statusTypeId: await S('UPDATED'), remarks: 'Proof of life received', baseVersion: row.version + 1 }),
    );
    expect(second.status).toBe(302);
    expectSavedRedirect(second, row.clientId);

    expect(await rowState(row.id)).toMatchObject({
      status_type_id: await S('UPDATED'),
      status_reason_id: null,
      remarks: 'Proof of life received',
      has_payment: 0,
      update_count: 2,
      version: row.version + 2,
      last_updated_by: officer.userId,
    });
    const events = await eventsOf(row.id);
    expect(events.map((e) => [e.event_sequence, e.from_status_type_id, e.to_status_type_id, e.has_payment])).toEqual([
      [1, await S('PENDING'), await S('UPDATED'), 1],
      [2, await S('UPDATED'), await S('UPDATED'), 0],
    ]);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'status.update' AND resource_id = ?", [String(row.clientId)])).toBe(2);

    // The page shows the new state and the two events.
    const page = await officer.view(row.clientId);
    expect(page.status).toBe(200);
    expect(page.data.row).toMatchObject({ version: row.version + 2, updateCount: 2, statusCode: 'UPDATED' });
    expect(page.data.history.map((h: any) => h.sequence)).toEqual([1, 2]);
  });

  it('writes nothing at all when the event or the activity log cannot be written (one transaction)', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    for (const table of ['status_events', 'activity_logs']) {
      const trigger = `fail_${table}`;
      await t.client.execute(`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'test: ${table} refused'); END`);
      const before = await snapshotStatusTables(t.client);
      const error = await apply(OFFICER, row, await req(row, 'UPDATED')).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(String(error?.cause?.message ?? error?.message)).toContain(`test: ${table} refused`);
      await expectStatusTablesUnchanged(t.client, before);
      await t.client.execute(`DROP TRIGGER ${trigger}`);
    }
    // And with both writable again the same request goes through.
    expect(await apply(OFFICER, row, await req(row, 'UPDATED'))).toMatchObject({ ok: true, eventSequence: row.maxSequence + 1 });
  });
});

describe('a refused update writes nothing', () => {
  type Case = {
    name: string;
    code: string;
    email: string;
    row: () => Promise<PeriodRow>;
    request: (row: PeriodRow) => Promise<StatusUpdateRequest>;
    setup?: () => Promise<void>;
  };
  const mnla01 = (status: string) => () => findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status });
  const cases: Case[] = [
    {
      name: 'stale base version',
      code: 'STALE_VERSION',
      email: OFFICER,
      row: mnla01('PENDING'),
      request: async (row) => req(row, 'UPDATED', { baseVersion: row.version - 1 }),
    },
    {
      name: 'unknown status',
      code: 'UNKNOWN_STATUS',
      email: OFFICER,
      row: mnla01('PENDING'),
      request: async (row) => ({ ...(await req(row, 'UPDATED')), statusTypeId: 987654 }),
    },
    {
      name: 'VISITED for a PCNI client',
      code: 'STATUS_NOT_IN_WORKFLOW',
      email: AREA,
      row: () => findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA03', company: 'PCNI', status: 'PENDING' }),
      request: async (row) => req(row, 'VISITED'),
    },
    {
      name: 'DONE → DONE by a branch officer',
      code: 'DONE_IS_CLOSED',
      email: OFFICER,
      row: mnla01('DONE'),
      request: async (row) => req(row, 'DONE', { reason: 'CONFIRMED', remarks: 'again' }),
    },
    {
      name: 'DONE → UPDATED by a branch officer',
      code: 'BACKWARD_NEEDS_REVERT',
      email: OFFICER,
      row: mnla01('DONE'),
      request: async (row) => req(row, 'UPDATED', { remarks: 'reopen' }),
    },
    {
      name: 'backward without status:revert',
      code: 'BACKWARD_NEEDS_REVERT',
      email: OFFICER,
      row: mnla01('UPDATED'),
      request: async (row) => req(row, 'PENDING', { remarks: 'wrong client' }),
    },
    {
      name: 'revert without remarks',
      code: 'REVERT_NEEDS_REMARKS',
      email: AREA,
      row: mnla01('UPDATED'),
      request: async (row) => req(row, 'PENDING', { remarks: '   ' }),
    },
    { name: 'no reason for CALLED', code: 'REASON_REQUIRED', email: OFFICER, row: mnla01('PENDING'), request: async (row) => req(row, 'CALLED') },
    {
      name: "TO_FOLLOW's reason for CALLED",
      code: 'REASON_NOT_OF_STATUS',
      email: OFFICER,
      row: mnla01('PENDING'),
      request: async (row) => ({ ...(await req(row, 'CALLED')), reasonId: await R('TO_FOLLOW', 'NO_ANSWER') }),
    },
    {
      name: 'an inactive reason',
      code: 'REASON_NOT_OF_STATUS',
      email: OFFICER,
      row: mnla01('PENDING'),
      setup: async () => {
        await t.client.execute(
          "UPDATE status_reasons SET is_active = 0 WHERE code = 'CALLBACK_REQUESTED' AND status_type_id = (SELECT id FROM status_types WHERE code = 'CALLED')",
        );
      },
      request: async (row) => req(row, 'CALLED', { reason: 'CALLBACK_REQUESTED' }),
    },
    {
      name: 'WRONG_NUMBER with blank remarks',
      code: 'REMARKS_REQUIRED',
      email: OFFICER,
      row: mnla01('PENDING'),
      request: async (row) => req(row, 'CALLED', { reason: 'WRONG_NUMBER', remarks: ' \n ' }),
    },
    {
      name: "another branch's client",
      code: 'NOT_FOUND',
      email: OFFICER,
      row: () => findPeriodRow(t.client, { periodKey: MONTH, branch: 'QZN01', status: 'PENDING' }),
      request: async (row) => req(row, 'UPDATED'),
    },
    {
      name: 'a period the client has no row for',
      code: 'NOT_FOUND',
      email: OFFICER,
      row: async () => ({ ...(await mnla01('PENDING')()), periodKey: '2027-01' }),
      request: async (row) => req(row, 'UPDATED'),
    },
  ];

  it.each(cases)('$name → $code', async ({ code, email, row: pick, request, setup }) => {
    await setup?.();
    const row = await pick();
    const body = await request(row);
    const before = await snapshotStatusTables(t.client);
    const result = await apply(email, row, body);
    expect(result).toMatchObject({ ok: false, code });
    if (code !== 'NOT_FOUND') {
      // The refusal carries the row as it is, so the form can show it.
      expect((result as { current?: unknown }).current).toMatchObject({
        version: row.version,
        updateCount: row.updateCount,
        statusTypeId: await S(row.statusCode),
      });
    }
    await expectStatusTablesUnchanged(t.client, before);
  });

  it("answers 404 through the page to a branch officer posting on another branch's client, writing nothing", async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'QZN01', status: 'PENDING' });
    const officer = await poster(OFFICER);
    const before = await snapshotStatusTables(t.client);
    const answer = await officer.post(row.clientId, statusForm(row, { statusTypeId: await S('UPDATED') }));
    expect(answer.status).toBe(404);
    await expectStatusTablesUnchanged(t.client, before);
    // The same 404 as an id that does not exist.
    const missing = await officer.post(987654, statusForm({ ...row, clientId: 987654 }, { statusTypeId: await S('UPDATED') }));
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual(answer.data);
  });

  it('answers 400 with the field error through the page for each rule, writing nothing', async () => {
    const pending = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const updated = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'UPDATED' });
    const done = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'DONE' });
    const officer = await poster(OFFICER);
    const area = await poster(AREA);
    const posts: Array<[typeof officer, PeriodRow, Record<string, string>, string]> = [
      [officer, pending, statusForm(pending, { statusTypeId: await S('CALLED') }), 'reasonId'],
      [officer, pending, statusForm(pending, { statusTypeId: await S('CALLED'), reasonId: await R('CALLED', 'WRONG_NUMBER'), remarks: '  ' }), 'remarks'],
      [
        officer,
        updated,
        statusForm(updated, { statusTypeId: await S('TO_FOLLOW'), reasonId: await R('TO_FOLLOW', 'NO_ANSWER'), remarks: 'oops' }),
        'statusTypeId',
      ],
      [area, updated, statusForm(updated, { statusTypeId: await S('TO_FOLLOW'), reasonId: await R('TO_FOLLOW', 'NO_ANSWER') }), 'remarks'],
      [officer, done, statusForm(done, { statusTypeId: await S('DONE'), reasonId: await R('DONE', 'CONFIRMED') }), 'statusTypeId'],
      [officer, pending, { ...statusForm(pending, { statusTypeId: await S('UPDATED') }), hasPayment: '' }, 'hasPayment'], // schema: payment is explicit
    ];
    const before = await snapshotStatusTables(t.client);
    for (const [who, row, fields, field] of posts) {
      const answer = await who.post(row.clientId, fields);
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(answer.data).toMatchObject({ ok: false, intent: 'status', current: null });
      expect(Object.keys(answer.data.fieldErrors)).toContain(field);
    }
    await expectStatusTablesUnchanged(t.client, before);
  });
});

describe('the version check', () => {
  it('answers 409 through the page for a stale baseVersion, with the newer state, and keeps the newer update', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const officer = await poster(OFFICER);
    const area = await poster(AREA);
    // The area manager saves first, from the same version the officer's form shows.
    const first = await area.post(
      row.clientId,
      statusForm(row, {
        statusTypeId: await S('CALLED'),
        reasonId: await R('CALLED', 'NO_ANSWER'),
        remarks: 'rang twice',
        hasPayment: 'yes',
      }),
    );
    expect(first.status).toBe(302);
    const before = await snapshotStatusTables(t.client);

    const stale = await officer.post(row.clientId, statusForm(row, { statusTypeId: await S('UPDATED') }));
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ ok: false, intent: 'status', formError: expect.stringMatching(/^Someone else updated this client meanwhile\./) });
    expect(stale.data.current).toEqual({
      statusTypeId: await S('CALLED'),
      statusReasonId: await R('CALLED', 'NO_ANSWER'),
      remarks: 'rang twice',
      hasPayment: true,
      version: row.version + 1,
      updateCount: row.updateCount + 1,
    });
    await expectStatusTablesUnchanged(t.client, before); // nothing silently overwritten

    // Based on the newer version, the officer's update goes through.
    const retry = await officer.post(row.clientId, statusForm(row, { statusTypeId: await S('UPDATED'), baseVersion: stale.data.current.version }));
    expect(retry.status).toBe(302);
    expect(await rowState(row.id)).toMatchObject({ status_type_id: await S('UPDATED'), version: row.version + 2, last_updated_by: officer.userId });
  });
});

describe('terminal reasons', () => {
  it("leave the client out of the next period's initialization, while the other clients get rows", async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const sibling = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'UPDATED' });
    const next = { type: 'monthly' as const, year: 2026, number: 12 };
    const terminalBefore = await terminalEarlierCount(t.client, '2026-12');

    const officer = await poster(OFFICER);
    const answer = await officer.post(row.clientId, statusForm(row, { statusTypeId: await S('DONE'), reasonId: await R('DONE', 'DECEASED') }));
    expect(answer.status).toBe(302);
    expect(await rowState(row.id)).toMatchObject({ is_terminal: 1, status_type_id: await S('DONE') });

    const report = await initializePeriod(ctx, next);
    expect(report.leftOut.terminalEarlier).toBe(terminalBefore + 1);
    const expected = await eligibleClientIds(t.client, 'monthly', 2026, 12);
    expect(expected).not.toContain(row.clientId);
    expect(report.created).toBe(expected.length);
    expect(await sqlCount(t.client, "SELECT count(*) FROM client_period_status WHERE client_id = ? AND period_key = '2026-12'", [row.clientId])).toBe(0);
    expect(await sqlCount(t.client, "SELECT count(*) FROM client_period_status WHERE client_id = ? AND period_key = '2026-12'", [sibling.clientId])).toBe(1);
  });

  it('in a quarterly PCNI PNP period leave the client out of the next quarter', async () => {
    const quarter = periodOf('quarterly', ctx.clock.now()).key; // 2026-Q4
    const row = await findPeriodRow(t.client, {
      periodKey: quarter,
      company: 'PCNI',
      extra:
        "st.code <> 'DONE' AND b.code IN (SELECT b2.code FROM branches b2 JOIN area_branches ab ON ab.branch_id = b2.id JOIN areas a ON a.id = ab.area_id WHERE a.code = 'NCR')",
    });
    expect(await apply(AREA, row, await req(row, 'DONE', { reason: 'FULLY_PAID' }))).toMatchObject({ ok: true, isTerminal: true });
    const report = await initializePeriod(ctx, { type: 'quarterly', year: 2027, number: 1 });
    expect(report.created).toBe((await eligibleClientIds(t.client, 'quarterly', 2027, 1)).length);
    expect(report.created).toBeGreaterThan(0);
    expect(await sqlCount(t.client, "SELECT count(*) FROM client_period_status WHERE client_id = ? AND period_key = '2027-Q1'", [row.clientId])).toBe(0);
  });
});

describe('history', () => {
  it('shows a self-scope tele agent only their own events, and the area manager all of them, in sequence order', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING', extra: 's.update_count = 0' });
    const steps: Array<[string, string, string | undefined]> = [
      [TELE, 'TO_FOLLOW', 'NO_ANSWER'],
      [AREA, 'CALLED', 'CALLBACK_REQUESTED'],
      [TELE, 'CALLED', 'NO_ANSWER'],
      [OFFICER, 'UPDATED', undefined],
    ];
    let version = row.version;
    for (const [email, to, reason] of steps) {
      const result = await apply(email, row, await req(row, to, { reason, baseVersion: version }));
      expect(result, `${email} → ${to}`).toMatchObject({ ok: true });
      version += 1;
    }
    const tele = await poster(TELE);
    const area = await poster(AREA);
    const officer = await poster(OFFICER);

    const teleHistory = (await tele.view(row.clientId)).data.history;
    expect(teleHistory.map((h: any) => [h.sequence, h.toCode])).toEqual([
      [1, 'TO_FOLLOW'],
      [3, 'CALLED'],
    ]);
    expect(new Set(teleHistory.map((h: any) => h.by))).toEqual(new Set(['Maricel Bautista']));

    const areaHistory = (await area.view(row.clientId)).data.history;
    expect(areaHistory.map((h: any) => [h.sequence, h.fromCode, h.toCode])).toEqual([
      [1, 'PENDING', 'TO_FOLLOW'],
      [2, 'TO_FOLLOW', 'CALLED'],
      [3, 'CALLED', 'CALLED'],
      [4, 'CALLED', 'UPDATED'],
    ]);
    expect(areaHistory.map((h: any) => h.by)).toEqual(['Maricel Bautista', 'Rosario Villanueva', 'Maricel Bautista', 'Jose Dela Cruz']);
    // A branch-scope reader sees all of them too.
    expect((await officer.view(row.clientId)).data.history.map((h: any) => h.sequence)).toEqual([1, 2, 3, 4]);

    // The data function itself, with the tele agent's real history scope.
    const teleWho = await userIdByEmail(t.db, TELE);
    const scope = scopeFor(await loadAccess(ctx, teleWho), 'status:history:read')!;
    expect((await periodHistory(ctx, scope, teleWho, row.clientId, MONTH)).map((h) => h.sequence)).toEqual([1, 3]);
  });

  // History scope is decided per company: self in FCASH shows only own FCASH events, whatever PCNI allows.
  it('keeps a user self-scoped in FCASH to their own FCASH events even with a wider PCNI history grant', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING', extra: 's.update_count = 0' });
    expect(await apply(OFFICER, row, await req(row, 'UPDATED'))).toMatchObject({ ok: true });
    await createTestUser(t.client, {
      email: 'mixed.scope@demo.test',
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['status:history:read', 'FCASH', 'self'],
        ['status:history:read', 'PCNI', 'area'],
      ],
      branches: ['MNLA01', 'MNLA03'],
    });
    const mixed = await poster('mixed.scope@demo.test');
    const page = await mixed.view(row.clientId);
    expect(page.status).toBe(200);
    expect(page.data.history).toEqual([]); // none of the events are theirs
  });
});

describe('revert', () => {
  it('by the area manager with remarks: allowed, event is_revert = 1, logged as status.revert', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'DONE', extra: 's.is_terminal = 0' });
    const area = await poster(AREA);
    const lastEvent = await maxIdOf(t.client, 'status_events');
    const lastLog = await maxIdOf(t.client, 'activity_logs');
    const answer = await area.post(
      row.clientId,
      statusForm(row, {
        statusTypeId: await S('CALLED'),
        reasonId: await R('CALLED', 'NO_ANSWER'),
        remarks: 'Reverted: recorded on the wrong client',
      }),
    );
    expect(answer.status).toBe(302);
    expectSavedRedirect(answer, row.clientId);
    expect(await rowState(row.id)).toMatchObject({
      status_type_id: await S('CALLED'),
      remarks: 'Reverted: recorded on the wrong client',
      version: row.version + 1,
      update_count: row.updateCount + 1,
      last_updated_by: area.userId,
      is_terminal: 0,
    });
    const events = await rowsAfter(t.client, 'status_events', lastEvent);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      period_status_id: row.id,
      event_sequence: row.maxSequence + 1,
      from_status_type_id: await S('DONE'),
      to_status_type_id: await S('CALLED'),
      is_revert: 1,
      created_by: area.userId,
    });
    const logs = await rowsAfter(t.client, 'activity_logs', lastLog);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ action: 'status.revert', user_id: area.userId, resource_id: String(row.clientId) });
    const history = (await area.view(row.clientId)).data.history;
    expect(history.at(-1)).toMatchObject({ sequence: row.maxSequence + 1, isRevert: true, fromCode: 'DONE', toCode: 'CALLED' });
  });

  it('undoes a terminal DONE: the revert clears is_terminal, so the client is back in the next period', async () => {
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    expect(await apply(OFFICER, row, await req(row, 'DONE', { reason: 'DECEASED' }))).toMatchObject({ ok: true, isTerminal: true });
    const reverted = await apply(AREA, row, await req(row, 'UPDATED', { baseVersion: row.version + 1, remarks: 'Wrong client marked deceased' }));
    expect(reverted).toMatchObject({ ok: true, isTerminal: false });
    expect(await rowState(row.id)).toMatchObject({ is_terminal: 0 });
    await initializePeriod(ctx, { type: 'monthly', year: 2026, number: 12 });
    expect(await sqlCount(t.client, "SELECT count(*) FROM client_period_status WHERE client_id = ? AND period_key = '2026-12'", [row.clientId])).toBe(1);
  });
});

describe('two updates from the same base version at once', () => {
  // Over the real libSQL server (sqld): the two transactions truly overlap, in another process.
  describe('over sqld (HTTP), two clients', () => {
    let sqld: StartedSqld;
    let a: Awaited<ReturnType<typeof openDatabase>>;
    let b: Awaited<ReturnType<typeof openDatabase>>;
    beforeAll(async () => {
      sqld = await startSqld();
      a = await openDatabase(sqld.url);
      b = await openDatabase(sqld.url);
      await migrateDatabase(a.client);
      await seedDatabase(a.client, { clients: 300, seed: TEST_DB_SEED.seed, today: TEST_DB_SEED.today });
    }, 120_000);
    afterAll(async () => {
      a?.client.close();
      b?.client.close();
      await sqld?.stop();
    });

    it('exactly one succeeds each round, the other gets STALE_VERSION, and the sequence has no gap or duplicate', async () => {
      const ctxA = testContext({ db: a.db });
      const ctxB = testContext({ db: b.db });
      const who = await whoIs(ctxA, AREA);
      const ncr = who.scope.companies.flatMap((c) => (c.branchIds === 'all' ? [] : c.branchIds));
      const row = await findPeriodRow(a.client, {
        periodKey: MONTH,
        company: 'FCASH',
        status: 'PENDING',
        extra: `s.branch_id IN (${ncr.join(',')})`,
      });
      const updated = await statusIdOf(a.client, 'UPDATED');
      let version = row.version;
      for (let round = 0; round < 5; round++) {
        const body: StatusUpdateRequest = {
          statusTypeId: updated,
          reasonId: null,
          remarks: `round ${round}`,
          hasPayment: round % 2 === 0,
          baseVersion: version,
        };
        const results = await Promise.all([ctxA, ctxB].map((c) => applyStatusUpdate(c, who, { clientId: row.clientId, periodKey: MONTH }, body)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const refused = results.filter((r) => !r.ok);
        expect(refused).toHaveLength(1);
        expect(refused[0]).toMatchObject({ code: 'STALE_VERSION', current: { version: version + 1 } });
        version += 1;
      }
      // And four at once.
      const body: StatusUpdateRequest = { statusTypeId: updated, reasonId: null, remarks: 'four', hasPayment: true, baseVersion: version };
      const extra = await Promise.all([ctxA, ctxB, ctxA, ctxB].map((c) => applyStatusUpdate(c, who, { clientId: row.clientId, periodKey: MONTH }, body)));
      expect(extra.filter((r) => r.ok)).toHaveLength(1);
      expect(extra.filter((r) => !r.ok).map((r) => r.code)).toEqual(['STALE_VERSION', 'STALE_VERSION', 'STALE_VERSION']);

      const events = await eventsOf(row.id, a.client);
      expect(events.map((e) => Number(e.event_sequence))).toEqual(range(1, row.maxSequence + 6));
      const [state] = await sqlRows(a.client, 'SELECT version, update_count FROM client_period_status WHERE id = ?', [row.id]);
      expect(state).toEqual({ version: row.version + 6, update_count: row.updateCount + 6 });
    });
  });

  // Overlapping write transactions on the embedded file take turns (app/platform/write-queue.ts) instead of deadlocking.
  it('on the embedded file, two contexts: exactly one succeeds, the other gets STALE_VERSION', async () => {
    const second = await openDatabase(t.url);
    try {
      const ctx2 = testContext({ db: second.db });
      const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
      const who = await whoIs(ctx, OFFICER);
      const body = await req(row, 'UPDATED', { hasPayment: true });
      const results = await Promise.allSettled([ctx, ctx2].map((c) => applyStatusUpdate(c, who, { clientId: row.clientId, periodKey: MONTH }, body)));
      const values = results.map((r) =>
        r.status === 'fulfilled' ? r.value : { ok: false, code: String((r.reason as Error & { code?: string }).code ?? r.reason) },
      );
      expect(values.filter((r) => r.ok)).toHaveLength(1);
      expect(values.filter((r) => !r.ok)).toEqual([expect.objectContaining({ code: 'STALE_VERSION' })]);
      expect((await eventsOf(row.id)).map((e) => Number(e.event_sequence))).toEqual(range(1, row.maxSequence + 1));
    } finally {
      second.client.close();
    }
  }, 20_000);
});

/** Clients otherwise eligible for a monthly period but terminal in an earlier one. */
async function terminalEarlierCount(client: Client, periodKey: string): Promise<number> {
  return sqlCount(
    client,
    `SELECT count(*) FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id
     WHERE c.is_active = 1 AND c.deleted_at IS NULL AND ps.is_trackable = 1 AND p.tracking_cycle = 'monthly'
       AND EXISTS (SELECT 1 FROM client_period_status t WHERE t.client_id = c.id AND t.is_terminal = 1 AND t.period_type = 'monthly' AND t.period_key < ?)`,
    [periodKey],
  );
}

/** Back to the client page, saying it was saved (in the flash cookie, decision 085; nothing in the URL). */
function expectSavedRedirect(answer: { status: number; headers: Headers }, clientId: number) {
  expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${clientId}`, flash: 'Status saved.' });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
