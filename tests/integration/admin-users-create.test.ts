// Admin creates a user on /admin/users/new: one-time temporary password, hash only, audited; every
// bad input is a 400 with a field error and writes nothing (compared table by table).
import bcrypt from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import {
  ADMIN_TABLES,
  activityAbout,
  branchIdOf,
  companyIdOf,
  createCompanyAdmin,
  createdUserOf,
  createUserPost,
  expectNothingWritten,
  grantsOf,
  newUserLoader,
  snapshotAll,
  templateGrants,
} from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  admin = await startTestSession(ctx, 'admin@demo.test');
});
afterEach(() => t.close());

const NEW = { email: 'maria.santos@demo.test', fullName: 'Maria Santos' };

describe('create user', () => {
  it('returns the temporary password once, stores only its bcrypt hash, sets must_change_password and logs user.created', async () => {
    const before = await snapshotAll(t.client);
    const answer = await createUserPost(ctx, admin.cookie, { ...NEW, roleTemplate: '', companyId: '' });
    // Post/redirect/get to the new user's page; the password rides once in the flash cookie.
    const created = createdUserOf(answer);
    expect(created).toEqual({ id: expect.any(Number), temporaryPassword: expect.stringMatching(/^[A-Za-z0-9]{16}$/) });
    const temp: string = created.temporaryPassword;

    const [row] = await sqlRows(t.client, 'SELECT * FROM users WHERE id = ?', [created.id]);
    expect(row).toMatchObject({
      email: NEW.email,
      full_name: NEW.fullName,
      must_change_password: 1,
      is_active: 1,
      failed_login_count: 0,
      locked_until: null,
      created_by: admin.userId,
    });
    const hash = String(row.password_hash);
    expect(hash).toMatch(/^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/); // bcrypt at the configured cost
    expect(await bcrypt.compare(temp, hash)).toBe(true);

    // The clear password is nowhere but in this one flash: no table, no log line, not the URL.
    expect(answer.headers.get('location')).not.toContain(temp);
    for (const table of ADMIN_TABLES) {
      const rows = await sqlRows(t.client, `SELECT * FROM ${table}`);
      expect(JSON.stringify(rows), table).not.toContain(temp);
    }
    expect(ctx.logLines.join('\n')).not.toContain(temp);

    // Exactly one user row and one activity row added; no grants, no territory given.
    const after = await snapshotAll(t.client);
    expect(after.users.length).toBe(before.users.length + 1);
    expect(after.activity_logs.length).toBe(before.activity_logs.length + 1);
    for (const table of ['user_permissions', 'user_roles', 'user_branches', 'user_areas', 'user_sessions']) {
      expect(after[table], table).toEqual(before[table]);
    }
    expect(await activityAbout(t.client, 'user.created', created.id)).toEqual([
      {
        user_id: admin.userId,
        action: 'user.created',
        resource_type: 'user',
        resource_id: String(created.id),
        details: { new: { email: NEW.email, fullName: NEW.fullName } },
      },
    ]);

    // The page never shows it again: the user page has no password in it.
    const page = await callRoute(newUserLoader, ctx, requestWithCookie(admin.cookie, '/admin/users/new'));
    expect(JSON.stringify(page.data)).not.toContain(temp);
  });

  it('stores the email trimmed and lower-cased', async () => {
    const answer = await createUserPost(ctx, admin.cookie, { email: '  Maria.Santos@Demo.TEST ', fullName: ' Maria Santos ' });
    const [row] = await sqlRows(t.client, 'SELECT email, full_name FROM users WHERE id = ?', [createdUserOf(answer).id]);
    expect(row).toEqual({ email: NEW.email, full_name: NEW.fullName });
  });

  it('with role FC_TELE for FCASH and a branch: the template grants, the user_roles row and the territory', async () => {
    const fcash = await companyIdOf(t.client, 'FCASH');
    const mnla01 = await branchIdOf(t.client, 'MNLA01');
    const answer = await createUserPost(ctx, admin.cookie, { ...NEW, roleTemplate: 'FC_TELE', companyId: fcash, branchIds: [mnla01] });
    const { id } = createdUserOf(answer);
    expect(await grantsOf(t.client, id)).toEqual((await templateGrants(t.client, 'FC_TELE')).map(([code, scope]) => [code, 'FCASH', scope]));
    expect(
      await sqlRows(t.client, 'SELECT r.company_id, t.code FROM user_roles r JOIN role_templates t ON t.id = r.role_template_id WHERE r.user_id = ?', [id]),
    ).toEqual([{ company_id: fcash, code: 'FC_TELE' }]);
    expect(await sqlRows(t.client, 'SELECT branch_id FROM user_branches WHERE user_id = ?', [id])).toEqual([{ branch_id: mnla01 }]);
    expect((await sqlRows(t.client, 'SELECT action FROM activity_logs WHERE resource_id = ? ORDER BY id', [String(id)])).map((r) => r.action)).toEqual([
      'user.created',
      'user.role_applied',
      'user.territory_changed',
    ]);
  });

  describe('bad input: 400, a field error, and nothing written', () => {
    it('refuses an email already taken (in any letter case)', async () => {
      for (const email of ['viewer@demo.test', 'VIEWER@Demo.Test']) {
        const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, { email, fullName: 'Someone Else' }));
        expect(answer.status).toBe(400);
        expect(answer.data.fieldErrors).toEqual({ email: 'A user with this email already exists.' });
        expect(answer.data.values).toEqual({ email, fullName: 'Someone Else' }); // the form keeps what was typed
      }
      expect(await sqlCount(t.client, "SELECT count(*) FROM users WHERE email = 'viewer@demo.test'")).toBe(1);
    });

    it.each([
      ['a malformed email', { email: 'not-an-email', fullName: 'Maria Santos' }, { email: 'Enter a valid email address.' }],
      ['an empty email', { email: '', fullName: 'Maria Santos' }, { email: 'Enter a valid email address.' }],
      [
        'an email over 254 characters',
        { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.test`, fullName: 'Maria Santos' },
        { email: expect.any(String) },
      ],
      ['a name of 121 characters', { email: NEW.email, fullName: 'M'.repeat(121) }, { fullName: 'Use at most 120 characters.' }],
      ['an empty name', { email: NEW.email, fullName: '   ' }, { fullName: 'Enter the full name.' }],
    ])('refuses %s', async (_label, fields, fieldErrors) => {
      const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, fields));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual(fieldErrors);
    });

    it('accepts a name of exactly 120 characters (the limit is inclusive)', async () => {
      const answer = await createUserPost(ctx, admin.cookie, { email: NEW.email, fullName: 'M'.repeat(120) });
      expect(answer.status).toBe(302);
    });

    it("refuses a branch outside the admin's scope (an FCASH-only admin choosing a PCNI branch)", async () => {
      await createCompanyAdmin(t.client, 'FCASH');
      const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
      const pcniBranch = await branchIdOf(t.client, 'MNLA03');
      const mnla01 = await branchIdOf(t.client, 'MNLA01');
      const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, fcashAdmin.cookie, { ...NEW, branchIds: [mnla01, pcniBranch] }));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual({ branchIds: 'A chosen branch is not one you can assign.' });
    });

    it('refuses a branch id that does not exist', async () => {
      const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, { ...NEW, branchIds: ['999999'] }));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual({ branchIds: 'A chosen branch is not one you can assign.' });
    });

    it('refuses a role in a company the admin does not hold company-wide', async () => {
      await createCompanyAdmin(t.client, 'FCASH');
      const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
      const pcni = await companyIdOf(t.client, 'PCNI');
      const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, fcashAdmin.cookie, { ...NEW, roleTemplate: 'PCNI_TELE', companyId: pcni }));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual({ companyId: 'You cannot give roles in this company.' });
    });

    it('refuses a role without its company, and an unknown role', async () => {
      const noCompany = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, { ...NEW, roleTemplate: 'FC_TELE' }));
      expect(noCompany.status).toBe(400);
      expect(noCompany.data.fieldErrors).toEqual({ companyId: 'Choose the company the role is for.' });
      const fcash = await companyIdOf(t.client, 'FCASH');
      const unknown = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, { ...NEW, roleTemplate: 'SUPERUSER', companyId: fcash }));
      expect(unknown.status).toBe(400);
      expect(unknown.data.fieldErrors).toEqual({ roleTemplate: 'Unknown role.' });
    });

    it('refuses a company template for the other company (PCNI_TELE for FCASH) without creating the user', async () => {
      const fcash = await companyIdOf(t.client, 'FCASH');
      const answer = await expectNothingWritten(t.client, () => createUserPost(ctx, admin.cookie, { ...NEW, roleTemplate: 'PCNI_TELE', companyId: fcash }));
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual({ roleTemplate: 'This role template belongs to the other company.' });
      expect(await sqlCount(t.client, 'SELECT count(*) FROM users WHERE email = ?', [NEW.email])).toBe(0);
    });
  });

  it('is refused (403) to a user without users:manage, and writes nothing', async () => {
    const viewer = await startTestSession(ctx, 'viewer@demo.test');
    const before = await snapshotAll(t.client);
    const answer = await createUserPost(ctx, viewer.cookie, NEW);
    expect(answer.status).toBe(403);
    const after = await snapshotAll(t.client);
    expect(after.users).toEqual(before.users);
    // The refusal itself is audited (access.denied), nothing else.
    expect(after.activity_logs.slice(before.activity_logs.length).map((r: any) => r.action)).toEqual(['access.denied']);
    expect(await userIdByEmail(t.db, 'viewer@demo.test')).toBe(viewer.userId);
  });
});
