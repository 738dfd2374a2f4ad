// The status update as one batch on a row read beside the session (decision 109), on real libSQL
// copies of the seeded base: it writes exactly what the interactive transaction writes, a row that
// moved between the read and the write gets the same 409 with the newer state (nothing written by
// the batch), and a statement that fails rolls the whole batch back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { updateStatusOrAsk } from '../../app/core/approvals/actions/status-revert.server';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { readStatusEarly } from '../../app/core/status/early-status-read.server';
import { periodOf } from '../../app/core/status/periods';
import type { StatusUpdateRequest } from '../../app/core/status/workflow';
import { startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { expectStatusTablesUnchanged, findPeriodRow, maxIdOf, rowsAfter, snapshotStatusTables, statusIdOf, whoIs, type PeriodRow } from '../support/status';

const OFFICER = 'branch.mnla01@demo.test'; // FCASH MNLA01, status:update, no status:revert

let dbs: TestDb[] = [];
let MONTH: string;

beforeEach(() => {
  dbs = [];
});
afterEach(() => dbs.forEach((d) => d.close()));

async function open(): Promise<{ t: TestDb; ctx: TestAppContext }> {
  const t = await createTestDb();
  dbs.push(t);
  const ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
  return { t, ctx };
}

async function request(t: TestDb, row: PeriodRow, to: string, over: Partial<StatusUpdateRequest> = {}): Promise<StatusUpdateRequest> {
  return { statusTypeId: await statusIdOf(t.client, to), reasonId: null, remarks: null, hasPayment: true, baseVersion: row.version, ...over };
}

/** The update as the client page's action makes it: the early read (with the session's token), then the update. */
async function viaBatch(ctx: TestAppContext, row: PeriodRow, req: StatusUpdateRequest) {
  const { token } = await startTestSession(ctx, OFFICER);
  const target = { clientId: row.clientId, periodKey: row.periodKey };
  readStatusEarly(ctx, token, target);
  return updateStatusOrAsk(ctx, await whoIs(ctx, OFFICER), target, req);
}

/** What an update wrote: the row, its new events and activity rows, without ids and the request's trace. */
async function written(t: TestDb, periodStatusId: number, lastEvent: number, lastLog: number) {
  const [row] = await sqlRows(t.client, 'SELECT * FROM client_period_status WHERE id = ?', [periodStatusId]);
  const strip = (r: Record<string, unknown>) => {
    const { id: _id, request_id: _request, ...rest } = r;
    return rest;
  };
  return {
    row,
    events: (await rowsAfter(t.client, 'status_events', lastEvent)).map(strip),
    logs: (await rowsAfter(t.client, 'activity_logs', lastLog)).map(strip),
  };
}

describe('the status update as one batch', () => {
  it('writes the same row, event (next sequence) and activity row, details text included, as the transaction', async () => {
    const results = [];
    for (const way of ['batch', 'transaction'] as const) {
      const { t, ctx } = await open();
      const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'TO_FOLLOW' });
      expect(row.maxSequence).toBeGreaterThan(0); // the event continues a history
      const lastEvent = await maxIdOf(t.client, 'status_events');
      const lastLog = await maxIdOf(t.client, 'activity_logs');
      const req = await request(t, row, 'UPDATED', { remarks: 'paid at the branch' });
      const result =
        way === 'batch'
          ? await viaBatch(ctx, row, req)
          : await applyStatusUpdate(ctx, await whoIs(ctx, OFFICER), { clientId: row.clientId, periodKey: row.periodKey }, req);
      expect(result).toEqual({ ok: true, version: row.version + 1, eventSequence: row.maxSequence + 1, isTerminal: false });
      results.push(await written(t, row.id, lastEvent, lastLog));
    }
    const [batch, transaction] = results;
    expect(batch.events).toHaveLength(1);
    expect(batch.logs).toHaveLength(1);
    expect(JSON.parse(String(batch.logs[0].details))).toMatchObject({ eventSequence: batch.events[0].event_sequence });
    expect(batch).toEqual(transaction);
  });

  it('answers 409 with the newer state when the row moved on after it was read, writing nothing more', async () => {
    const { t, ctx } = await open();
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const { token } = await startTestSession(ctx, OFFICER);
    const target = { clientId: row.clientId, periodKey: row.periodKey };
    await readStatusEarly(ctx, token, target); // read before the other save, so the batch's guard is what answers
    // Someone else's save lands between the read beside the session and this write.
    const other = testContext({ db: t.db });
    expect(await applyStatusUpdate(other, await whoIs(other, OFFICER), target, await request(t, row, 'UPDATED', { hasPayment: false }))).toMatchObject({
      ok: true,
    });
    const before = await snapshotStatusTables(t.client);
    const result = await updateStatusOrAsk(ctx, await whoIs(ctx, OFFICER), target, await request(t, row, 'UPDATED'));
    expect(result).toMatchObject({
      ok: false,
      code: 'STALE_VERSION',
      current: { statusTypeId: await statusIdOf(t.client, 'UPDATED'), hasPayment: false, version: row.version + 1 },
    });
    await expectStatusTablesUnchanged(t.client, before);
  });

  it('rolls back whole when a statement of the batch fails (the activity row refused)', async () => {
    const { t, ctx } = await open();
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    await t.client.execute(`CREATE TRIGGER fail_activity BEFORE INSERT ON activity_logs BEGIN SELECT RAISE(ABORT, 'test: activity refused'); END`);
    const before = await snapshotStatusTables(t.client);
    const error = await viaBatch(ctx, row, await request(t, row, 'UPDATED')).then(
      () => null,
      (e: Error & { cause?: Error }) => e,
    );
    expect(String(error?.cause?.message ?? error?.message)).toContain('test: activity refused');
    await expectStatusTablesUnchanged(t.client, before);
  });
});
