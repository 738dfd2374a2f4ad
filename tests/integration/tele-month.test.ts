// Month to Update and its NextBank outbox (intent=month-to-update / nextbank-retry), on a real
// libSQL copy of the seeded base (today 2026-11-15 Manila): one transaction writes the client's
// month, the history row (pending, fresh idempotency key, the exact request) and the nextbank job;
// the pointer waits for NextBank; a failed delivery is retried under the SAME NextBank key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextbankPayloadSchema } from '../../app/core/jobs/payloads.server';
import { saveMonthToUpdate } from '../../app/core/tele/month-to-update.server';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { asUser, clientOf, expectTeleUnchanged, historyOf, serviceMarks, teleColumns, teleSnapshot } from '../support/tele';
import { redirectOf } from '../support/flash';

const TELE = 'tele.fcash@demo.test';
const ADMIN = 'admin@demo.test';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const STATUS = {
  intent: 'tele-status',
  teleStatus: 'updated',
  updateStatus: 'updated_online_with_proof',
  reason: 'SENT_PROOF_ONLINE',
  remarks: 'Proof by Messenger',
};
const MONTH = (date: string) => ({ intent: 'month-to-update', monthToUpdate: date });

/** An FCASH client of MNLA01 at pointer current with a NextBank id, whose tele status the agent has just saved. */
async function touchedClient(tele: Awaited<ReturnType<typeof asUser>>, extra = 'c.customer_id_nb IS NOT NULL') {
  const id = await clientOf(t.client, 'MNLA01', `c.pointer = 'current' AND ${extra}`);
  expect((await tele.post(id, STATUS)).status).toBe(302);
  return id;
}
const jobsOf = (historyId: number) =>
  sqlRows(t.client, "SELECT * FROM job_queue WHERE queue = 'nextbank' AND json_extract(payload, '$.teleHistoryId') = ?", [historyId]);

describe('saving a Month to Update', () => {
  it('writes the month, a pending history row with the request and key, and the job, all linked; the pointer stays', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    const [{ customer_id_nb: customerId }] = await sqlRows(t.client, 'SELECT customer_id_nb FROM clients WHERE id = ?', [id]);
    const answer = await tele.post(id, MONTH('2026-12-31'));
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${id}`, flash: 'Month to Update saved and queued for NextBank.' });
    expect(await teleColumns(t.client, id)).toMatchObject({ month_to_update: '2026-12-31', pointer: 'touched_status' });

    const row = (await historyOf(t.client, id)).at(-1)!;
    expect(row).toMatchObject({
      action: 'month_to_update',
      created_by: tele.userId,
      month_to_update: '2026-12-31',
      nextbank_status: 'pending',
      pointer_before: 'touched_status',
      pointer_after: null,
      tele_status: 'updated',
      update_status: 'updated_online_with_proof',
    });
    const key = String(row.idempotency_key);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(String(row.nextbank_request))).toEqual({
      method: 'POST',
      path: '/command/UpdateCustomer',
      idempotencyKey: key,
      body: { customerId, customFields: [{ name: 'Month to Update (MM/DD/YYYY)', value: '12/31/2026' }] },
    });
    const [job] = await jobsOf(Number(row.id));
    expect(job).toMatchObject({ id: row.job_queue_id, status: 'pending', idempotency_key: `nextbank:${key}`, attempts: 0 });
    expect(nextbankPayloadSchema.parse(JSON.parse(String(job.payload)))).toEqual({
      command: 'UpdateCustomer',
      teleHistoryId: row.id,
      clientId: id,
      idempotencyKey: key,
      monthToUpdate: '2026-12-31',
    });
    const [log] = await sqlRows(t.client, "SELECT details FROM activity_logs WHERE action = 'tele.month_to_update' AND resource_id = ?", [String(id)]);
    expect(JSON.parse(String(log.details))).toMatchObject({ historyId: row.id, jobId: job.id, new: { monthToUpdate: '2026-12-31' } });

    const page = await tele.view(id);
    expect(page.data.tele.latest).toMatchObject({ id: row.id, status: 'pending', monthToUpdate: '2026-12-31' });
    expect(page.data.tele.history[0]).toMatchObject({ action: 'month_to_update', nextbankStatus: 'pending' });
  });

  it('each command gets its own idempotency key', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    expect((await tele.post(id, MONTH('2026-12-01'))).status).toBe(302);
    await serviceMarks(t.client, Number((await historyOf(t.client, id)).at(-1)!.id), 'confirmed');
    expect((await tele.post(id, MONTH('2027-01-01'))).status).toBe(302);
    const keys = (await historyOf(t.client, id)).filter((h) => h.action === 'month_to_update').map((h) => h.idempotency_key);
    expect(new Set(keys).size).toBe(2);
  });

  it('history and job commit together: when the job cannot be written, neither is the history nor the month', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    const before = await teleSnapshot(t.client, id);
    // A real SQLite trigger makes the job insert fail inside the transaction.
    await t.client.execute(
      "CREATE TRIGGER refuse_nextbank_jobs BEFORE INSERT ON job_queue WHEN NEW.queue = 'nextbank' BEGIN SELECT RAISE(ABORT, 'queue refused'); END",
    );
    const who = { userId: await userIdByEmail(t.db, TELE), scope: scopeFor(await loadAccess(ctx, await userIdByEmail(t.db, TELE)), 'status:update')! };
    await expect(saveMonthToUpdate(ctx, who, id, { monthToUpdate: '2026-12-15' })).rejects.toThrow(/insert into "job_queue"/);
    await expectTeleUnchanged(t.client, id, before);
  });
});

describe('Month to Update refusals change nothing', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not a date', '30/12/2026', /YYYY-MM-DD/],
    ['a date that does not exist', '2027-02-29', /does not exist/],
    ['before this month', '2026-10-31', /before this month/],
    ['more than 24 months ahead', '2028-12-01', /24 months ahead/],
    ['empty', '', /Enter the Month to Update/],
  ];
  it.each(cases)('%s → 400', async (_label, date, message) => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, MONTH(date));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'month-to-update', values: { monthToUpdate: date }, current: null });
    expect(answer.data.fieldErrors.monthToUpdate).toMatch(message);
    await expectTeleUnchanged(t.client, id, before);
  });

  it('before the tele status of the cycle is saved (pointer at current)', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await clientOf(t.client, 'MNLA01', "c.pointer = 'current' AND c.customer_id_nb IS NOT NULL");
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, MONTH('2026-12-31'));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.monthToUpdate).toMatch(/Save the tele status and update status first/);
    await expectTeleUnchanged(t.client, id, before);
  });

  it('for a client without a NextBank customer id', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    await t.client.execute({ sql: 'UPDATE clients SET customer_id_nb = NULL WHERE id = ?', args: [id] });
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, MONTH('2026-12-31'));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.monthToUpdate).toMatch(/no NextBank customer id/);
    await expectTeleUnchanged(t.client, id, before);
  });

  it('while NextBank has not answered the last command (pending, then sent)', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    expect((await tele.post(id, MONTH('2026-12-31'))).status).toBe(302);
    const first = (await historyOf(t.client, id)).at(-1)!;
    for (const state of ['pending', 'sent'] as const) {
      if (state === 'sent') await serviceMarks(t.client, Number(first.id), 'sent');
      const before = await teleSnapshot(t.client, id);
      const answer = await tele.post(id, MONTH('2027-01-31'));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors.monthToUpdate).toMatch(/NextBank has not answered/);
      await expectTeleUnchanged(t.client, id, before);
    }
  });

  it('for a PCNI client (clear refusal) and out of scope (404)', async () => {
    const admin = await asUser(ctx, ADMIN);
    const pcni = await clientOf(t.client, 'MNLA03');
    const beforePcni = await teleSnapshot(t.client, pcni);
    const refused = await admin.post(pcni, MONTH('2026-12-31'));
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toMatch(/for FCASH clients only/);
    await expectTeleUnchanged(t.client, pcni, beforePcni);

    const tele = await asUser(ctx, TELE);
    const cebu = await clientOf(t.client, 'CEBU01', "c.pointer = 'touched_status'");
    const before = await teleSnapshot(t.client, cebu);
    expect((await tele.post(cebu, MONTH('2026-12-31'))).status).toBe(404);
    expect((await tele.post(cebu, { intent: 'nextbank-retry', historyId: '1' })).status).toBe(404);
    await expectTeleUnchanged(t.client, cebu, before);
  });
});

describe('a Month to Update based on an older tele state (decision 045)', () => {
  it('two saves from the same page: the first is queued, the second is 409 and queues nothing', async () => {
    const tele = await asUser(ctx, TELE);
    const admin = await asUser(ctx, ADMIN);
    const id = await touchedClient(tele);
    const base = String((await tele.view(id)).data.tele.baseTeleHistoryId);
    expect(Number(base)).toBe(Number((await historyOf(t.client, id)).at(-1)!.id));

    expect((await admin.post(id, { ...MONTH('2026-12-31'), baseTeleHistoryId: base })).status).toBe(302);
    const queued = (await historyOf(t.client, id)).at(-1)!;
    const before = await teleSnapshot(t.client, id);
    const refused = await tele.post(id, { ...MONTH('2027-01-31'), baseTeleHistoryId: base });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({
      ok: false,
      intent: 'month-to-update',
      values: { monthToUpdate: '2027-01-31' },
      current: { monthToUpdate: '2026-12-31', pointer: 'touched_status', baseTeleHistoryId: queued.id },
    });
    await expectTeleUnchanged(t.client, id, before); // no second history row, job or activity
  });

  it('a tele status saved by someone else after the page was loaded makes the month form stale', async () => {
    const tele = await asUser(ctx, TELE);
    const admin = await asUser(ctx, ADMIN);
    const id = await touchedClient(tele);
    const base = String((await tele.view(id)).data.tele.baseTeleHistoryId);
    expect((await admin.post(id, { ...STATUS, updateStatus: 'updated_no_proof' })).status).toBe(302);
    const before = await teleSnapshot(t.client, id);
    const { month_to_update: month } = await teleColumns(t.client, id);
    const refused = await tele.post(id, { ...MONTH('2026-12-31'), baseTeleHistoryId: base });
    expect(refused.status).toBe(409);
    expect(refused.data.current).toMatchObject({ updateStatus: 'updated_no_proof', monthToUpdate: month });
    await expectTeleUnchanged(t.client, id, before);
  });

  it('a damaged token → 400 on the form, nothing written', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, { ...MONTH('2026-12-31'), baseTeleHistoryId: 'latest' });
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'month-to-update', values: { monthToUpdate: '2026-12-31' }, current: null });
    expect(answer.data.formError).toMatch(/out of date or damaged/);
    await expectTeleUnchanged(t.client, id, before);
  });
});

describe('retrying a failed delivery', () => {
  async function failedCommand() {
    const tele = await asUser(ctx, TELE);
    const id = await touchedClient(tele);
    expect((await tele.post(id, MONTH('2026-12-31'))).status).toBe(302);
    const first = (await historyOf(t.client, id)).at(-1)!;
    await serviceMarks(t.client, Number(first.id), 'failed', 'NextBank 503 after 8 attempts');
    return { tele, id, first };
  }

  it('shows the failure, then a retry writes a retry row and a new job for the SAME NextBank key', async () => {
    const { tele, id, first } = await failedCommand();
    const key = String(first.idempotency_key);
    const page = await tele.view(id);
    expect(page.data.tele.latest).toMatchObject({ id: first.id, status: 'failed', error: 'NextBank 503 after 8 attempts' });

    const answer = await tele.post(id, { intent: 'nextbank-retry', historyId: String(first.id) });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${id}`, flash: 'Queued for NextBank again.' });
    const retry = (await historyOf(t.client, id)).at(-1)!;
    expect(retry).toMatchObject({ action: 'retry', nextbank_status: 'pending', month_to_update: '2026-12-31', idempotency_key: null, created_by: tele.userId });
    expect(JSON.parse(String(retry.nextbank_request))).toEqual(JSON.parse(String(first.nextbank_request)));
    const [job] = await jobsOf(Number(retry.id));
    expect(job).toMatchObject({ id: retry.job_queue_id, idempotency_key: `nextbank:${key}:retry:1`, status: 'pending' });
    expect(JSON.parse(String(job.payload))).toMatchObject({ teleHistoryId: retry.id, idempotencyKey: key, monthToUpdate: '2026-12-31' });
    expect((await sqlRows(t.client, "SELECT count(*) AS n FROM activity_logs WHERE action = 'tele.nextbank_retry'"))[0].n).toBe(1);
    expect((await tele.view(id)).data.tele.latest).toMatchObject({ id: retry.id, status: 'pending' });

    // It fails again: the second retry is attempt 2, still the same NextBank key.
    await serviceMarks(t.client, Number(retry.id), 'failed', 'timeout');
    expect((await tele.post(id, { intent: 'nextbank-retry', historyId: String(retry.id) })).status).toBe(302);
    const second = (await historyOf(t.client, id)).at(-1)!;
    const [job2] = await jobsOf(Number(second.id));
    expect(job2.idempotency_key).toBe(`nextbank:${key}:retry:2`);
    expect(JSON.parse(String(job2.payload)).idempotencyKey).toBe(key);
    expect((await teleColumns(t.client, id)).pointer).toBe('touched_status'); // still waiting for a confirmation
  });

  it('is refused for a command that has not failed, an older command, or a bad id; nothing changes', async () => {
    const { tele, id, first } = await failedCommand();
    expect((await tele.post(id, { intent: 'nextbank-retry', historyId: String(first.id) })).status).toBe(302);
    const retry = (await historyOf(t.client, id)).at(-1)!;
    const before = await teleSnapshot(t.client, id);
    for (const historyId of [String(retry.id), String(first.id), 'abc', '']) {
      const answer = await tele.post(id, { intent: 'nextbank-retry', historyId });
      expect(answer.status).toBe(400);
      expect(answer.data.formError).toMatch(/NextBank has not answered|Nothing to retry|Only the latest/);
    }
    await expectTeleUnchanged(t.client, id, before);
  });
});
