// Branch contacts on /branches/:id: phone numbers checked by the Philippine number rules and
// stored canonical, emails by zod and stored lower-case; at most one primary per branch; edit and
// remove; every change audited with only the changed fields; bad input and foreign ids change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as branchAction, loader as branchLoader } from '../../app/routes/branches.$id/route';
import { branchIdOf, postForm } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlRows } from '../support/sql';
import { redirectOf } from '../support/flash';

const ADMIN = 'admin@demo.test';

let t: TestDb;
let ctx: TestAppContext;
let cookie: string;
let mnla01: number;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  cookie = (await startTestSession(ctx, ADMIN)).cookie;
  mnla01 = await branchIdOf(t.client, 'MNLA01');
});
afterEach(() => t.close());

const post = (id: number, fields: Parameters<typeof postForm>[0]) =>
  callRoute(branchAction, ctx, requestWithCookie(cookie, `/branches/${id}`, postForm(fields)), { id: String(id) });
const contactsOf = (branchId: number) =>
  sqlRows(t.client, 'SELECT id, contact_type, value, label, is_primary FROM branch_contacts WHERE branch_id = ? AND deleted_at IS NULL ORDER BY id', [
    branchId,
  ]);
const primaries = async (branchId: number) => (await contactsOf(branchId)).filter((c) => c.is_primary === 1).map((c) => c.value);
async function expectUnchanged<T>(run: () => Promise<T>): Promise<T> {
  const before = [await snapshot(t.client, 'branch_contacts'), await snapshot(t.client, 'config_audit_log')];
  const result = await run();
  expect([await snapshot(t.client, 'branch_contacts'), await snapshot(t.client, 'config_audit_log')]).toEqual(before);
  return result;
}
const contactAudit = async () =>
  (await sqlRows(t.client, "SELECT action, record_id, old_values, new_values FROM config_audit_log WHERE table_name = 'branch_contacts' ORDER BY id")).map(
    (r) => ({
      action: r.action,
      id: Number(r.record_id),
      old: r.old_values === null ? null : JSON.parse(String(r.old_values)),
      new: r.new_values === null ? null : JSON.parse(String(r.new_values)),
    }),
  );

describe('add a contact', () => {
  it.each([
    ['phone', '+63 917 555 0101', '09175550101'],
    ['phone', '02-8700-1234', '(02) 8700 1234'],
    ['phone', '(032) 2345678', '(032) 234 5678'],
    ['email', ' Manila.Branch@FCASH.Demo.Test ', 'manila.branch@fcash.demo.test'],
  ])('%s %s is stored as %s, with one create audit row', async (contactType, typed, stored) => {
    const answer = await post(mnla01, { intent: 'add-contact', contactType, value: typed, label: 'Desk' });
    expect(answer.status).toBe(302);
    expect(redirectOf(answer)).toEqual({ status: 302, location: `/branches/${mnla01}`, flash: 'Branch saved.' });
    const added = (await contactsOf(mnla01)).at(-1)!;
    expect(added).toMatchObject({ contact_type: contactType, value: stored, label: 'Desk', is_primary: 0 });
    expect(await contactAudit()).toEqual([
      { action: 'create', id: Number(added.id), old: null, new: expect.objectContaining({ value: stored, contactType, branchId: mnla01 }) },
    ]);
  });

  it.each([
    [{ contactType: 'phone', value: '' }, 'value', 'Enter the number or address.'],
    [{ contactType: 'phone', value: '12345' }, 'value', 'Philippine mobile'],
    [{ contactType: 'phone', value: '0917 123 456' }, 'value', 'A mobile number has 11 digits'],
    [{ contactType: 'phone', value: '+1 415 555 0100' }, 'value', 'Only Philippine numbers'],
    [{ contactType: 'phone', value: '0'.repeat(31) }, 'value', 'at most 30 characters'],
    [{ contactType: 'email', value: 'not-an-email' }, 'value', 'valid email'],
    [{ contactType: 'email', value: `${'a'.repeat(250)}@x.ph` }, 'value', 'At most 254'],
    [{ contactType: 'fax', value: '09171234567' }, 'contactType', 'phone or email'],
    [{ contactType: 'phone', value: '09171234567', label: 'L'.repeat(61) }, 'label', 'at most 60'],
    [{ contactType: 'phone', value: '09171234567', isPrimary: 'yes please' }, 'isPrimary', 'Tick the box'],
  ])('%j → 400 on %s, input kept, nothing written', async (fields, field, message) => {
    const answer = await expectUnchanged(() => post(mnla01, { intent: 'add-contact', ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data.intent).toBe('add-contact');
    expect(answer.data.fieldErrors[field]).toContain(message);
    expect(answer.data.values.value).toBe(fields.value);
  });

  it('refuses the same number twice (as typed differently), nothing written', async () => {
    await post(mnla01, { intent: 'add-contact', contactType: 'phone', value: '0917 555 0101' });
    const answer = await expectUnchanged(() => post(mnla01, { intent: 'add-contact', contactType: 'phone', value: '+639175550101' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.value).toBe('This branch already has that contact.');
  });
});

describe('one primary contact per branch', () => {
  it('a new primary contact takes the flag from the old one; both changes audited', async () => {
    const [oldPrimary] = await contactsOf(mnla01);
    expect(await primaries(mnla01)).toEqual([oldPrimary.value]);
    await post(mnla01, { intent: 'add-contact', contactType: 'email', value: 'desk@fcash.demo.test', isPrimary: 'on' });
    expect(await primaries(mnla01)).toEqual(['desk@fcash.demo.test']);
    const audit = await contactAudit();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]).toEqual({ action: 'update', id: Number(oldPrimary.id), old: { isPrimary: true }, new: { isPrimary: false } });
  });

  it('"make primary" moves the flag; editing a contact to primary does too; the page lists the primary first', async () => {
    await post(mnla01, { intent: 'add-contact', contactType: 'phone', value: '09175550101' });
    await post(mnla01, { intent: 'add-contact', contactType: 'phone', value: '09175550102' });
    const [second, third] = (await contactsOf(mnla01)).slice(-2);
    expect((await post(mnla01, { intent: 'primary-contact', rowId: String(second.id) })).status).toBe(302);
    expect(await primaries(mnla01)).toEqual(['09175550101']);
    expect((await post(mnla01, { intent: 'edit-contact', rowId: String(third.id), contactType: 'phone', value: '09175550102', isPrimary: 'on' })).status).toBe(
      302,
    );
    expect(await primaries(mnla01)).toEqual(['09175550102']);
    const page = await callRoute(branchLoader, ctx, requestWithCookie(cookie, `/branches/${mnla01}`), { id: String(mnla01) });
    expect(page.data.contacts[0]).toMatchObject({ id: Number(third.id), isPrimary: true });
    expect(page.data.contacts.filter((c: { isPrimary: boolean }) => c.isPrimary)).toHaveLength(1);
  });
});

describe('edit and remove', () => {
  it('an edit audits only the changed field and keeps the row', async () => {
    const [phone] = await contactsOf(mnla01);
    const answer = await post(mnla01, {
      intent: 'edit-contact',
      rowId: String(phone.id),
      contactType: 'phone',
      value: '0918 765 4321',
      label: String(phone.label),
      isPrimary: 'on',
    });
    expect(answer.status).toBe(302);
    expect((await contactsOf(mnla01))[0]).toMatchObject({ id: phone.id, value: '09187654321', is_primary: 1 });
    expect(await contactAudit()).toEqual([{ action: 'update', id: Number(phone.id), old: { value: phone.value }, new: { value: '09187654321' } }]);
  });

  it('a bad edit answers 400 for that row only (rowId kept), nothing written', async () => {
    const [phone] = await contactsOf(mnla01);
    const answer = await expectUnchanged(() => post(mnla01, { intent: 'edit-contact', rowId: String(phone.id), contactType: 'phone', value: '123' }));
    expect(answer.status).toBe(400);
    expect(answer.data.values.rowId).toBe(String(phone.id));
    expect(answer.data.fieldErrors.value).toContain('Philippine mobile');
  });

  it('remove is a soft delete, audited; the contact leaves the page', async () => {
    const [phone] = await contactsOf(mnla01);
    expect((await post(mnla01, { intent: 'remove-contact', rowId: String(phone.id) })).status).toBe(302);
    const [row] = await sqlRows(t.client, 'SELECT deleted_at, is_primary FROM branch_contacts WHERE id = ?', [Number(phone.id)]);
    expect(row.deleted_at).not.toBeNull();
    const [audit] = await contactAudit();
    expect(audit).toMatchObject({ action: 'delete', old: { deletedAt: null, isPrimary: true }, new: { isPrimary: false } });
    const page = await callRoute(branchLoader, ctx, requestWithCookie(cookie, `/branches/${mnla01}`), { id: String(mnla01) });
    expect(page.data.contacts.map((c: { id: number }) => c.id)).not.toContain(Number(phone.id));
  });

  it("another branch's contact, a removed one, an unknown one or a non-id: 404 or 400, nothing written", async () => {
    const qzn01 = await branchIdOf(t.client, 'QZN01');
    const [foreign] = await contactsOf(qzn01);
    const [own] = await contactsOf(mnla01);
    await post(mnla01, { intent: 'remove-contact', rowId: String(own.id) });
    await expectUnchanged(async () => {
      for (const rowId of [String(foreign.id), String(own.id), '987654321']) {
        for (const intent of ['edit-contact', 'remove-contact', 'primary-contact']) {
          const answer = await post(mnla01, { intent, rowId, contactType: 'phone', value: '09171234567' });
          expect(answer.status, `${intent} ${rowId}`).toBe(404);
        }
      }
      expect((await post(mnla01, { intent: 'remove-contact', rowId: 'abc' })).status).toBe(400);
      expect((await post(mnla01, { intent: 'edit-contact', contactType: 'phone', value: '09171234567' })).status).toBe(400);
    });
  });
});
