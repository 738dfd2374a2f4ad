// Contact edit on the client page (intent=contact): clients:update in the client's branch; numbers
// validated as Philippine mobile or landline numbers and stored in one canonical form; only the
// changed fields written, with one client.contacts_updated row (old and new) in the same transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '../../app/routes/clients.$id/route';
import { callRoute, formInit, signedInRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { redirectOf } from '../support/flash';

const OFFICER = 'branch.mnla01@demo.test'; // branch_officer FCASH MNLA01: clients:update at branch scope
const VIEWER = 'viewer@demo.test'; // clients:read only
const AREA = 'area.ncr@demo.test'; // area_manager: clients:read, no clients:update

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

async function clientOf(branch: string): Promise<number> {
  const [row] = await sqlRows(
    t.client,
    'SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1',
    [branch],
  );
  return Number(row.id);
}
const contactsOf = async (id: number) => (await sqlRows(t.client, 'SELECT contact_number, contact_number_alt FROM clients WHERE id = ?', [id]))[0];

async function post(email: string, id: number, fields: Record<string, string>) {
  const request = await signedInRequest(ctx, email, `/clients/${id}`, formInit({ intent: 'contact', ...fields }, { origin: 'http://localhost' }));
  return callRoute(action, ctx, request, { id: String(id) });
}
const auditRows = (id: number) =>
  sqlRows(
    t.client,
    "SELECT user_id, resource_type, resource_id, details FROM activity_logs WHERE action = 'client.contacts_updated' AND resource_id = ? ORDER BY id",
    [String(id)],
  );

describe('contact edit: accepted numbers are stored in their canonical form', () => {
  it.each([
    ['0917 123 4567', '09171234567'],
    ['0917-123-4567', '09171234567'],
    ['+63 917 123 4567', '09171234567'],
    ['639171234567', '09171234567'],
    ['+639171234567', '09171234567'],
    ['(02) 8123 4567', '(02) 8123 4567'],
    ['02-8123-4567', '(02) 8123 4567'],
    ['+63 2 8123 4567', '(02) 8123 4567'],
    ['032 234 5678', '(032) 234 5678'],
    ['(082) 2345678', '(082) 234 5678'],
    ['+63 32 234 5678', '(032) 234 5678'],
  ])('%s → %s', async (typed, stored) => {
    const id = await clientOf('MNLA01');
    const answer = await post(OFFICER, id, { contactNumber: typed, contactNumberAlt: '' });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/clients/${id}`, flash: 'Contact numbers saved.' });
    expect(await contactsOf(id)).toEqual({ contact_number: stored, contact_number_alt: null });
  });

  it('takes an alternate landline beside a mobile, and the page then shows both', async () => {
    const id = await clientOf('MNLA01');
    expect((await post(OFFICER, id, { contactNumber: '0918 765 4321', contactNumberAlt: '+63 2 8700 1234' })).status).toBe(302);
    expect(await contactsOf(id)).toEqual({ contact_number: '09187654321', contact_number_alt: '(02) 8700 1234' });
    const page = await callRoute(loader, ctx, await signedInRequest(ctx, OFFICER, `/clients/${id}`), { id: String(id) });
    expect(page.data.client).toMatchObject({ contactNumber: '09187654321', contactNumberAlt: '(02) 8700 1234' });
    expect(page.data.canEditContacts).toBe(true);
  });
});

describe('contact edit: bad input', () => {
  it.each([
    [{ contactNumber: '', contactNumberAlt: '' }, 'contactNumber', 'Enter the contact number.'],
    [{ contactNumber: '12345', contactNumberAlt: '' }, 'contactNumber', 'Philippine mobile'],
    [{ contactNumber: '0917 123 456', contactNumberAlt: '' }, 'contactNumber', 'A mobile number has 11 digits'],
    [{ contactNumber: '0917 123 45678', contactNumberAlt: '' }, 'contactNumber', 'A mobile number has 11 digits'],
    [{ contactNumber: '(02) 123 4567', contactNumberAlt: '' }, 'contactNumber', 'Metro Manila landline'],
    [{ contactNumber: '+1 415 555 0100', contactNumberAlt: '' }, 'contactNumber', 'Only Philippine numbers'],
    [{ contactNumber: '0917 CALL ME', contactNumberAlt: '' }, 'contactNumber', 'Only digits'],
    [{ contactNumber: '09171234567', contactNumberAlt: '011 234 5678' }, 'contactNumberAlt', 'Philippine mobile'],
    [{ contactNumber: '09171234567', contactNumberAlt: '0917-123-4567' }, 'contactNumberAlt', 'same as the contact number'],
    [{ contactNumber: '0'.repeat(31), contactNumberAlt: '' }, 'contactNumber', 'at most 30 characters'],
  ])('%j → 400 on %s, nothing written, input kept', async (fields, field, message) => {
    const id = await clientOf('MNLA01');
    const before = { clients: await snapshot(t.client, 'clients'), logs: await snapshot(t.client, 'activity_logs') };
    const answer = await post(OFFICER, id, fields);
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'contact', current: null });
    expect(answer.data.fieldErrors[field]).toContain(message);
    expect(answer.data.values).toEqual(fields);
    expect(await snapshot(t.client, 'clients')).toEqual(before.clients);
    expect(await snapshot(t.client, 'activity_logs')).toEqual(before.logs);
  });
});

describe('contact edit: who may', () => {
  it("answers 404 for a client outside the officer's branch, like an unknown id, and writes nothing", async () => {
    const other = await clientOf('QZN01');
    const before = { clients: await snapshot(t.client, 'clients'), logs: await snapshot(t.client, 'activity_logs') };
    const outside = await post(OFFICER, other, { contactNumber: '09171234567' });
    const unknown = await post(OFFICER, 987654321, { contactNumber: '09171234567' });
    expect(outside.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(outside.data).toEqual(unknown.data);
    expect(await snapshot(t.client, 'clients')).toEqual(before.clients);
    expect(await snapshot(t.client, 'activity_logs')).toEqual(before.logs);
  });

  it.each([VIEWER, AREA])('answers 403 to %s (no clients:update) with one access.denied row, and hides the form', async (email) => {
    const id = await clientOf('MNLA01');
    const userId = await userIdByEmail(t.db, email);
    const before = await contactsOf(id);
    const answer = await post(email, id, { contactNumber: '09171234567' });
    expect(answer.status).toBe(403);
    expect(await contactsOf(id)).toEqual(before);
    const [denied] = await sqlRows(
      t.client,
      "SELECT resource_id, details FROM activity_logs WHERE action = 'access.denied' AND user_id = ? ORDER BY id DESC LIMIT 1",
      [userId],
    );
    expect(denied.resource_id).toBe(`/clients/${id}`);
    expect(JSON.parse(String(denied.details))).toMatchObject({ permission: 'clients:update', method: 'POST' });
    expect(await auditRows(id)).toEqual([]);
    const page = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients/${id}`), { id: String(id) });
    expect(page.data.canEditContacts).toBe(false);
  });
});

describe('contact edit: the audit trail', () => {
  it('writes only the changed field and logs old and new values; an unchanged form writes nothing', async () => {
    const id = await clientOf('MNLA01');
    await t.client.execute({ sql: 'UPDATE clients SET contact_number = ?, contact_number_alt = ? WHERE id = ?', args: ['09170000001', '(02) 8111 2222', id] });
    const userId = await userIdByEmail(t.db, OFFICER);

    expect((await post(OFFICER, id, { contactNumber: '0917 000 0001', contactNumberAlt: '032 234 5678' })).status).toBe(302);
    expect(await contactsOf(id)).toEqual({ contact_number: '09170000001', contact_number_alt: '(032) 234 5678' });
    const rows = await auditRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: userId, resource_type: 'client' });
    expect(JSON.parse(String(rows[0].details))).toEqual({
      old: { contactNumberAlt: '(02) 8111 2222' },
      new: { contactNumberAlt: '(032) 234 5678' },
    });

    // Clearing the alternate: new value null.
    expect((await post(OFFICER, id, { contactNumber: '09170000001', contactNumberAlt: '' })).status).toBe(302);
    const [, cleared] = await auditRows(id);
    expect(JSON.parse(String(cleared.details))).toEqual({ old: { contactNumberAlt: '(032) 234 5678' }, new: { contactNumberAlt: null } });

    // The same numbers again: no write, no audit row.
    const before = await snapshot(t.client, 'clients');
    expect((await post(OFFICER, id, { contactNumber: '+63 917 000 0001', contactNumberAlt: '' })).status).toBe(302);
    expect(await auditRows(id)).toHaveLength(2);
    expect(await snapshot(t.client, 'clients')).toEqual(before);
  });

  it('never writes the numbers to the server log', async () => {
    const id = await clientOf('MNLA01');
    await post(OFFICER, id, { contactNumber: '0917 246 8135', contactNumberAlt: '(02) 8975 3124' });
    await post(OFFICER, id, { contactNumber: '0917 246 813', contactNumberAlt: '' });
    const log = ctx.logLines.join('\n');
    for (const digits of ['2468135', '246 8135', '8975', '246 813']) expect(log).not.toContain(digits);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'client.contacts_updated'")).toBe(1);
  });

  it('keeps the status form working beside it (intent=status still asks status:update)', async () => {
    const id = await clientOf('MNLA01');
    const viewerAnswer = await callRoute(action, ctx, await signedInRequest(ctx, VIEWER, `/clients/${id}`, formInit({ intent: 'status' })), { id: String(id) });
    expect(viewerAnswer.status).toBe(403);
    const empty = await callRoute(action, ctx, await signedInRequest(ctx, OFFICER, `/clients/${id}`, formInit({ intent: 'status' })), { id: String(id) });
    expect(empty.status).toBe(400);
    expect(empty.data).toMatchObject({ ok: false, intent: 'status', current: null });
    const unknown = await callRoute(action, ctx, await signedInRequest(ctx, OFFICER, `/clients/${id}`, formInit({ intent: 'explode' })), { id: String(id) });
    expect(unknown.status).toBe(400);
  });
});
