// FCASH tele status + update status on the client page (intent=tele-status), on a real libSQL copy
// of the seeded base: the requirement table of domain.md, the pointer move current → touched_status,
// one history row and one activity row per save in one transaction, and every bad input refused
// with a field error and nothing written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { asUser, clientOf, expectTeleUnchanged, historyOf, teleColumns, teleSnapshot } from '../support/tele';
import { redirectOf } from '../support/flash';

const TELE = 'tele.fcash@demo.test'; // FC_TELE: MNLA01 QZN01 MKTI01 PSG01, status:history:read at self scope
const ADMIN = 'admin@demo.test';
const VIEWER = 'viewer@demo.test'; // no status:update

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const fcashClient = (branch = 'MNLA01', pointer = 'current') => clientOf(t.client, branch, 'c.pointer = ? AND c.customer_id_nb IS NOT NULL', [pointer]);
const UPDATED = {
  intent: 'tele-status',
  teleStatus: 'updated',
  updateStatus: 'updated_with_proof',
  reason: 'SENT_PROOF_ONLINE',
  remarks: 'Sent a photo of the ID',
};

describe('saving a tele status', () => {
  it('writes the columns, moves the pointer current → touched_status, and records history and activity', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    const month = (await teleColumns(t.client, id)).month_to_update;
    const answer = await tele.post(id, UPDATED);
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${id}`, flash: 'Tele status saved.' });
    expect(await teleColumns(t.client, id)).toEqual({
      tele_status: 'updated',
      update_status: 'updated_with_proof',
      pointer: 'touched_status',
      month_to_update: month,
    });
    const history = await historyOf(t.client, id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: 'status',
      created_by: tele.userId,
      tele_status: 'updated',
      update_status: 'updated_with_proof',
      reason: 'SENT_PROOF_ONLINE',
      remarks: 'Sent a photo of the ID',
      pointer_before: 'current',
      pointer_after: 'touched_status',
      nextbank_status: null,
      job_queue_id: null,
    });
    const [log] = await sqlRows(t.client, "SELECT user_id, resource_id, details FROM activity_logs WHERE action = 'tele.status'");
    expect(log.user_id).toBe(tele.userId);
    expect(log.resource_id).toBe(String(id));
    expect(JSON.parse(String(log.details))).toMatchObject({
      historyId: history[0].id,
      new: { teleStatus: 'updated', updateStatus: 'updated_with_proof', pointer: 'touched_status' },
    });

    const page = await tele.view(id);
    expect(page.data.tele.history).toHaveLength(1);
    expect(page.data.tele.history[0]).toMatchObject({ action: 'status', teleStatus: 'updated', reason: 'SENT_PROOF_ONLINE' });
  });

  it('not_yet_contacted needs neither reason nor remarks; not_yet_updated takes pending with both', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    expect(
      (await tele.post(id, { intent: 'tele-status', teleStatus: 'not_yet_contacted', updateStatus: 'pending_not_interested', reason: '', remarks: '' })).status,
    ).toBe(302);
    expect(await teleColumns(t.client, id)).toMatchObject({
      tele_status: 'not_yet_contacted',
      update_status: 'pending_not_interested',
      pointer: 'touched_status',
    });
    expect(
      (await tele.post(id, { intent: 'tele-status', teleStatus: 'not_yet_updated', updateStatus: 'pending', reason: 'CALLBACK', remarks: 'Call after 3pm' }))
        .status,
    ).toBe(302);
    const history = await historyOf(t.client, id);
    expect(history.map((h) => [h.tele_status, h.update_status, h.reason, h.remarks, h.pointer_before, h.pointer_after])).toEqual([
      ['not_yet_contacted', 'pending_not_interested', null, null, 'current', 'touched_status'],
      ['not_yet_updated', 'pending', 'CALLBACK', 'Call after 3pm', 'touched_status', 'touched_status'],
    ]);
  });

  it('a status saved after the month was confirmed leaves the pointer at touched_month', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    // The service's confirmation of an earlier month (its side of the outbox contract).
    await t.client.execute({ sql: "UPDATE clients SET pointer = 'touched_month' WHERE id = ?", args: [id] });
    expect((await tele.post(id, UPDATED)).status).toBe(302);
    expect((await teleColumns(t.client, id)).pointer).toBe('touched_month');
  });

  it('reasons are the tele_reasons options: one an admin adds is accepted, one deactivated is refused', async () => {
    await t.client.execute(`INSERT INTO config_options (category_id, company_id, code, label, sort_order)
      VALUES ((SELECT id FROM config_categories WHERE code = 'tele_reasons'), (SELECT id FROM companies WHERE code = 'FCASH'), 'NEW_NUMBER', 'Gave a new number', 99)`);
    await t.client.execute("UPDATE config_options SET is_active = 0 WHERE code = 'BUSY'");
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    expect((await tele.post(id, { ...UPDATED, reason: 'NEW_NUMBER' })).status).toBe(302);
    const page = await tele.view(id);
    expect(page.data.tele.reasons.map((r: { code: string }) => r.code)).toContain('NEW_NUMBER');
    expect(page.data.tele.reasons.map((r: { code: string }) => r.code)).not.toContain('BUSY');
    const refused = await tele.post(id, { ...UPDATED, reason: 'BUSY' });
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors.reason).toBe('Choose a reason from the list.');
  });
});

describe('bad input changes nothing', () => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['unknown tele status', { ...UPDATED, teleStatus: 'called_twice' }, 'teleStatus', /Choose a tele status/],
    ['unknown update status', { ...UPDATED, updateStatus: 'updated_by_fax' }, 'updateStatus', /Choose an update status/],
    [
      'update status not allowed for the tele status',
      { ...UPDATED, teleStatus: 'not_yet_updated', updateStatus: 'pending_not_interested' },
      'updateStatus',
      /is not an update status for "Not yet updated"/,
    ],
    [
      'an updated_* status under not_yet_contacted',
      { ...UPDATED, teleStatus: 'not_yet_contacted', updateStatus: 'updated_no_proof' },
      'updateStatus',
      /is not an update status/,
    ],
    ['missing reason', { ...UPDATED, reason: '' }, 'reason', /needs a reason/],
    ['missing remarks', { ...UPDATED, remarks: '   ' }, 'remarks', /needs remarks/],
    [
      'missing reason under not_yet_updated',
      { intent: 'tele-status', teleStatus: 'not_yet_updated', updateStatus: 'pending', remarks: 'x' },
      'reason',
      /needs a reason/,
    ],
    ['unknown reason', { ...UPDATED, reason: 'BRIBED' }, 'reason', /Choose a reason from the list/],
    ['empty form', { intent: 'tele-status' }, 'teleStatus', /Choose a tele status/],
    ['remarks too long', { ...UPDATED, remarks: 'x'.repeat(501) }, 'remarks', /at most 500/],
  ];
  it.each(cases)('%s → 400 with the field error and the input kept', async (_label, fields, field, message) => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, fields);
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'tele-status', current: null });
    expect(answer.data.fieldErrors[field]).toMatch(message);
    expect(answer.data.values.teleStatus ?? '').toBe(fields.teleStatus ?? '');
    await expectTeleUnchanged(t.client, id, before);
  });

  it('a PCNI client gets a clear refusal, even from an admin of both companies', async () => {
    const admin = await asUser(ctx, ADMIN);
    const id = await clientOf(t.client, 'MNLA03');
    const before = await teleSnapshot(t.client, id);
    const answer = await admin.post(id, UPDATED);
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('The tele workflow is for FCASH clients only; this client belongs to another company.');
    await expectTeleUnchanged(t.client, id, before);
    expect((await admin.view(id)).data.tele).toBeNull(); // no tele panel for PCNI
  });

  it('a client outside the territory, or unknown, is 404', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient('CEBU01');
    const before = await teleSnapshot(t.client, id);
    expect((await tele.post(id, UPDATED)).status).toBe(404);
    expect((await tele.post(987654321, UPDATED)).status).toBe(404);
    await expectTeleUnchanged(t.client, id, before);
  });

  it('without status:update the gate refuses (403) and the client is unchanged', async () => {
    const viewer = await asUser(ctx, VIEWER);
    const id = await fcashClient();
    const before = await sqlRows(t.client, 'SELECT * FROM clients WHERE id = ?', [id]);
    expect((await viewer.post(id, UPDATED)).status).toBe(403);
    expect(await sqlRows(t.client, 'SELECT * FROM clients WHERE id = ?', [id])).toEqual(before);
    expect(await historyOf(t.client, id)).toEqual([]);
  });
});

describe('the tele panel on the client page', () => {
  it('offers the tele statuses with exactly their allowed update statuses (from the lookups)', async () => {
    const tele = await asUser(ctx, TELE);
    const page = await tele.view(await fcashClient());
    expect(page.data.tele.canEdit).toBe(true);
    expect(
      Object.fromEntries(
        page.data.tele.teleStatuses.map((s: { code: string; updateStatuses: { code: string }[] }) => [s.code, s.updateStatuses.map((u) => u.code)]),
      ),
    ).toEqual({
      not_yet_contacted: ['pending', 'pending_unavailable', 'pending_not_interested'],
      not_yet_updated: ['pending', 'pending_unavailable'],
      updated: ['updated_with_proof', 'updated_online_with_proof', 'updated_no_proof', 'updated_online_no_proof'],
    });
    const viewerPage = await (await asUser(ctx, VIEWER)).view(await fcashClient());
    expect(viewerPage.data.tele.canEdit).toBe(false);
    expect(viewerPage.data.tele.history).toBeNull(); // no status:history:read
  });

  it('with self scope on history the tele agent sees only their own rows; the admin sees all', async () => {
    const tele = await asUser(ctx, TELE);
    const admin = await asUser(ctx, ADMIN);
    const id = await fcashClient();
    expect((await admin.post(id, UPDATED)).status).toBe(302);
    expect((await tele.post(id, { ...UPDATED, updateStatus: 'updated_no_proof' })).status).toBe(302);
    expect((await admin.view(id)).data.tele.history.map((h: { updateStatus: string }) => h.updateStatus)).toEqual(['updated_no_proof', 'updated_with_proof']);
    expect((await tele.view(id)).data.tele.history.map((h: { updateStatus: string }) => h.updateStatus)).toEqual(['updated_no_proof']);
  });
});

describe('a save based on an older tele state (decision 045)', () => {
  it('two saves from the same page: the first wins, the second is 409 with the newer state and writes nothing', async () => {
    const tele = await asUser(ctx, TELE);
    const admin = await asUser(ctx, ADMIN);
    const id = await fcashClient();
    // Both open the page before anyone saved: the forms carry base 0 (no tele history yet).
    const base = (await tele.view(id)).data.tele.baseTeleHistoryId;
    expect(base).toBe(0);
    expect((await admin.view(id)).data.tele.baseTeleHistoryId).toBe(0);

    expect((await admin.post(id, { ...UPDATED, baseTeleHistoryId: String(base) })).status).toBe(302);
    const [won] = await historyOf(t.client, id);
    const before = await teleSnapshot(t.client, id);
    const late = {
      intent: 'tele-status',
      teleStatus: 'not_yet_updated',
      updateStatus: 'pending',
      reason: 'CALLBACK',
      remarks: 'Call later',
      baseTeleHistoryId: String(base),
    };
    const refused = await tele.post(id, late);
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({
      ok: false,
      intent: 'tele-status',
      values: { teleStatus: 'not_yet_updated' },
      current: { teleStatus: 'updated', updateStatus: 'updated_with_proof', pointer: 'touched_status', baseTeleHistoryId: won.id },
    });
    expect(refused.data.formError).toMatch(/Someone else changed this client's tele workflow/);
    await expectTeleUnchanged(t.client, id, before);

    // The reloaded page is based on the winner's row; saving from it goes through.
    const page = await tele.view(id);
    expect(page.data.tele.baseTeleHistoryId).toBe(won.id);
    expect((await tele.post(id, { ...late, baseTeleHistoryId: String(page.data.tele.baseTeleHistoryId) })).status).toBe(302);
    expect((await historyOf(t.client, id)).map((h) => [h.created_by, h.tele_status])).toEqual([
      [admin.userId, 'updated'],
      [tele.userId, 'not_yet_updated'],
    ]);
  });

  it('a base that is not the newest row (older, none, missing, or from the future) is 409 and writes nothing', async () => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    expect((await tele.post(id, UPDATED)).status).toBe(302);
    const [first] = await historyOf(t.client, id);
    expect((await tele.post(id, { ...UPDATED, updateStatus: 'updated_no_proof' })).status).toBe(302);
    const before = await teleSnapshot(t.client, id);
    for (const base of [String(first.id), '0', '', '987654321']) {
      const answer = await tele.post(id, { ...UPDATED, baseTeleHistoryId: base });
      expect(answer.status, base).toBe(409);
      expect(answer.data.current.updateStatus).toBe('updated_no_proof');
    }
    expect((await tele.postAsIs(id, UPDATED)).status).toBe(409); // no token at all: based on nothing
    await expectTeleUnchanged(t.client, id, before);
  });

  it.each(['abc', '-1', '1.5', '01', ' 7', '1'.repeat(17)])('a damaged token %j → 400 on the form, nothing written', async (token) => {
    const tele = await asUser(ctx, TELE);
    const id = await fcashClient();
    const before = await teleSnapshot(t.client, id);
    const answer = await tele.post(id, { ...UPDATED, baseTeleHistoryId: token });
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'tele-status', values: { teleStatus: 'updated', baseTeleHistoryId: token }, current: null });
    expect(answer.data.formError).toMatch(/out of date or damaged/);
    expect(answer.data.fieldErrors.baseTeleHistoryId).toBeUndefined();
    await expectTeleUnchanged(t.client, id, before);
  });
});
