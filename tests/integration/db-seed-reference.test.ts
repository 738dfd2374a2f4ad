import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { createTestDb, TEST_DB_SEED, type TestDb } from '../support/db';

let t: TestDb;
const rows = async (sql: string, args: (string | number)[] = []) => (await t.client.execute({ sql, args })).rows.map((r) => ({ ...r }));
const count = async (sql: string, args: (string | number)[] = []) => Number(Object.values((await rows(sql, args))[0])[0]);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.close());

describe('seeded reference data (as shared/domain.md defines it)', () => {
  it('has the companies, pension types, products and cycles', async () => {
    expect(await rows('SELECT code FROM companies ORDER BY code')).toEqual([{ code: 'FCASH' }, { code: 'PCNI' }]);
    expect(await rows('SELECT p.code, c.code AS company FROM pension_types p JOIN companies c ON c.id = p.company_id ORDER BY p.sort_order')).toEqual([
      { code: 'SSS', company: 'FCASH' },
      { code: 'GSIS', company: 'FCASH' },
      { code: 'PVAO', company: 'FCASH' },
      { code: 'NON_PNP', company: 'PCNI' },
      { code: 'PNP', company: 'PCNI' },
    ]);
    expect(
      await rows('SELECT p.code, c.code AS company, p.tracking_cycle AS cycle FROM products p JOIN companies c ON c.id = p.company_id ORDER BY p.sort_order'),
    ).toEqual([
      { code: 'FCASH_SSS', company: 'FCASH', cycle: 'monthly' },
      { code: 'FCASH_GSIS', company: 'FCASH', cycle: 'monthly' },
      { code: 'FCASH_PVAO', company: 'FCASH', cycle: 'monthly' },
      { code: 'PCNI_NON_PNP', company: 'PCNI', cycle: 'monthly' },
      { code: 'PCNI_PNP', company: 'PCNI', cycle: 'quarterly' },
    ]);
    expect((await rows('SELECT code FROM pensioner_types ORDER BY code')).map((r) => r.code)).toEqual(['DEPENDENT', 'DISABILITY', 'ITF', 'RETIREE']);
    expect((await rows('SELECT code FROM account_types ORDER BY code')).map((r) => r.code)).toEqual(['ATM', 'BOTH', 'NONE', 'PASSBOOK']);
  });

  it('has the PAR statuses with their trackable flags', async () => {
    expect(await rows('SELECT code, name, is_trackable FROM par_statuses ORDER BY sort_order')).toEqual([
      { code: 'do_not_show', name: 'Current', is_trackable: 1 },
      { code: 'tele_130', name: '30+ Days', is_trackable: 1 },
      { code: 'tele_hardcore', name: '60+ Days', is_trackable: 0 },
    ]);
  });

  it('has the status workflow with VISITED for FCASH only', async () => {
    expect(
      await rows('SELECT s.code, s.sequence, c.code AS company FROM status_types s LEFT JOIN companies c ON c.id = s.company_id ORDER BY s.sequence'),
    ).toEqual([
      { code: 'PENDING', sequence: 1, company: null },
      { code: 'TO_FOLLOW', sequence: 2, company: null },
      { code: 'CALLED', sequence: 3, company: null },
      { code: 'VISITED', sequence: 4, company: 'FCASH' },
      { code: 'UPDATED', sequence: 5, company: null },
      { code: 'DONE', sequence: 6, company: null },
    ]);
  });

  it('has exactly the reasons of the product rules, with terminal and requires-remarks flags', async () => {
    const reasons = await rows(
      `SELECT t.code AS status, r.code, r.is_terminal AS terminal, r.requires_remarks AS remarks
       FROM status_reasons r JOIN status_types t ON t.id = r.status_type_id ORDER BY t.sequence, r.sort_order`,
    );
    const contact = (status: string) => [
      { status, code: 'NO_ANSWER', terminal: 0, remarks: 0 },
      { status, code: 'WRONG_NUMBER', terminal: 0, remarks: 1 },
      { status, code: 'CALLBACK_REQUESTED', terminal: 0, remarks: 0 },
    ];
    expect(reasons).toEqual([
      ...contact('TO_FOLLOW'),
      ...contact('CALLED'),
      { status: 'DONE', code: 'CONFIRMED', terminal: 0, remarks: 0 },
      { status: 'DONE', code: 'DECEASED', terminal: 1, remarks: 0 },
      { status: 'DONE', code: 'FULLY_PAID', terminal: 1, remarks: 0 },
      { status: 'DONE', code: 'ACCOUNT_CLOSED', terminal: 1, remarks: 0 },
      { status: 'DONE', code: 'NOT_REACHABLE', terminal: 0, remarks: 1 },
      { status: 'DONE', code: 'REFUSED_TO_UPDATE', terminal: 0, remarks: 1 },
    ]);
  });

  it('has the FCASH tele statuses and which update statuses each allows', async () => {
    const allowed = await rows(
      `SELECT t.code AS tele, t.requires_reason AS reason, t.requires_remarks AS remarks, group_concat(u.code, ',') AS updates
       FROM tele_statuses t JOIN tele_status_update_statuses m ON m.tele_status_id = t.id
       JOIN update_statuses u ON u.id = m.update_status_id GROUP BY t.id ORDER BY t.sort_order`,
    );
    expect(allowed.map((r) => ({ ...r, updates: String(r.updates).split(',').sort().join(',') }))).toEqual([
      { tele: 'not_yet_contacted', reason: 0, remarks: 0, updates: 'pending,pending_not_interested,pending_unavailable' },
      { tele: 'not_yet_updated', reason: 1, remarks: 1, updates: 'pending,pending_unavailable' },
      { tele: 'updated', reason: 1, remarks: 1, updates: 'updated_no_proof,updated_online_no_proof,updated_online_with_proof,updated_with_proof' },
    ]);
  });

  it('has the 19 permissions and the role templates', async () => {
    expect(await count('SELECT count(*) FROM permissions')).toBe(19);
    const grants = async (template: string) =>
      (
        await rows(
          `SELECT p.code || '@' || g.scope AS g FROM role_template_grants g JOIN role_templates t ON t.id = g.role_template_id
         JOIN permissions p ON p.id = g.permission_id WHERE t.code = ? ORDER BY p.code`,
          [template],
        )
      ).map((r) => r.g);
    expect(await grants('admin')).toHaveLength(19);
    expect((await grants('admin')).every((g) => String(g).endsWith('@all'))).toBe(true);
    expect(await grants('FC_TELE')).toEqual([
      'clients:read@branch',
      'clients:update@branch',
      'status:history:read@self',
      'status:read@branch',
      'status:update@branch',
    ]);
    expect(await grants('viewer')).toEqual(['areas:read@all', 'branches:read@all', 'clients:read@all', 'reports:read@all', 'status:read@all']);
    expect(await grants('area_manager')).toContain('status:revert@area');
    expect(await grants('branch_officer')).not.toContain('status:revert@branch');
  });

  it('has the session and retention settings', async () => {
    const setting = async (key: string) => (await rows('SELECT value, value_type FROM config_settings WHERE key = ? AND company_id IS NULL', [key]))[0];
    expect(await setting('session_idle_minutes')).toEqual({ value: '60', value_type: 'number' });
    expect(await setting('session_absolute_minutes')).toEqual({ value: '720', value_type: 'number' });
    expect(await setting('export_file_retention_hours')).toEqual({ value: '24', value_type: 'number' });
    expect(await setting('login_lockout_threshold')).toEqual({ value: '5', value_type: 'number' });
    expect(await setting('login_lockout_minutes')).toEqual({ value: '15', value_type: 'number' });
  });
});

describe('seeded demo organisation and users', () => {
  it('has 2 companies, 12 areas and 150 branches, each branch with one primary area and 1-2 contacts', async () => {
    expect(await count('SELECT count(*) FROM areas')).toBe(12);
    expect(await count('SELECT count(*) FROM branches')).toBe(150);
    expect(
      await count('SELECT count(*) FROM branches b WHERE (SELECT count(*) FROM area_branches ab WHERE ab.branch_id = b.id AND ab.is_primary = 1) <> 1'),
    ).toBe(0);
    expect(await count('SELECT count(*) FROM branches b WHERE (SELECT count(*) FROM branch_contacts c WHERE c.branch_id = b.id) NOT BETWEEN 1 AND 2')).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM area_branches ab JOIN areas a ON a.id = ab.area_id JOIN branches b ON b.id = ab.branch_id
       JOIN companies c ON c.id = a.company_id WHERE c.code = 'FCASH' AND a.code = 'NCR' AND b.code = 'MNLA01'`,
      ),
    ).toBe(1);
    expect(
      await count(
        'SELECT count(*) FROM area_branches ab JOIN areas a ON a.id = ab.area_id JOIN branches b ON b.id = ab.branch_id WHERE a.company_id <> b.company_id',
      ),
    ).toBe(0);
  });

  it('has the 5 demo users, none forced to change password, all with the demo password', async () => {
    const users = await rows('SELECT email, must_change_password, is_active, password_hash FROM users ORDER BY id');
    expect(users.map((u) => u.email)).toEqual(['admin@demo.test', 'area.ncr@demo.test', 'branch.mnla01@demo.test', 'tele.fcash@demo.test', 'viewer@demo.test']);
    expect(users.every((u) => u.must_change_password === 0 && u.is_active === 1)).toBe(true);
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1); // hashed once
    expect(await bcrypt.compare(DEMO_PASSWORD, String(users[0].password_hash))).toBe(true);
  });

  it('gives each demo user the territory the brief names', async () => {
    const territory = async (email: string) => ({
      grants: (
        await rows(
          `SELECT DISTINCT c.code || ':' || up.scope AS g FROM user_permissions up JOIN users u ON u.id = up.user_id
         JOIN companies c ON c.id = up.company_id WHERE u.email = ? ORDER BY 1`,
          [email],
        )
      ).map((r) => r.g),
      areas: (
        await rows(
          `SELECT c.code || '/' || a.code AS a FROM user_areas ua JOIN users u ON u.id = ua.user_id JOIN areas a ON a.id = ua.area_id
         JOIN companies c ON c.id = a.company_id WHERE u.email = ? ORDER BY 1`,
          [email],
        )
      ).map((r) => r.a),
      branches: (
        await rows(
          'SELECT b.code FROM user_branches ub JOIN users u ON u.id = ub.user_id JOIN branches b ON b.id = ub.branch_id WHERE u.email = ? ORDER BY 1',
          [email],
        )
      ).map((r) => r.code),
    });
    expect(await territory('admin@demo.test')).toEqual({ grants: ['FCASH:all', 'PCNI:all'], areas: [], branches: [] });
    expect(await territory('area.ncr@demo.test')).toEqual({ grants: ['FCASH:area', 'PCNI:area'], areas: ['FCASH/NCR', 'PCNI/NCR'], branches: [] });
    expect(await territory('branch.mnla01@demo.test')).toEqual({ grants: ['FCASH:branch'], areas: [], branches: ['MNLA01'] });
    expect(await territory('viewer@demo.test')).toEqual({ grants: ['FCASH:all', 'PCNI:all'], areas: [], branches: [] });
    const tele = await territory('tele.fcash@demo.test');
    expect(tele.grants).toEqual(['FCASH:branch', 'FCASH:self']);
    const fcashNcr = (
      await rows(
        `SELECT b.code FROM area_branches ab JOIN areas a ON a.id = ab.area_id JOIN companies c ON c.id = a.company_id
       JOIN branches b ON b.id = ab.branch_id WHERE c.code = 'FCASH' AND a.code = 'NCR'`,
      )
    ).map((r) => r.code);
    expect(tele.branches.length).toBeGreaterThan(1);
    expect(tele.branches.length).toBeLessThan(fcashNcr.length);
    expect(fcashNcr).toEqual(expect.arrayContaining(tele.branches));
  });

  it(`has ${TEST_DB_SEED.clients} clients whose company matches their product and branch`, async () => {
    expect(await count('SELECT count(*) FROM clients')).toBe(TEST_DB_SEED.clients);
    expect(
      await count(
        `SELECT count(*) FROM clients c JOIN products p ON p.id = c.product_id JOIN branches b ON b.id = c.branch_id
       WHERE c.company_id <> p.company_id OR c.company_id <> b.company_id`,
      ),
    ).toBe(0);
    expect(
      await count(
        "SELECT count(*) FROM clients WHERE contact_number IS NOT NULL AND contact_number NOT GLOB '09[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'",
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM clients c JOIN companies co ON co.id = c.company_id
       WHERE (co.code = 'PCNI') <> (c.tele_status IS NULL AND c.pointer IS NULL)`,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) FROM pragma_foreign_key_check')).toBe(0);
  });
});
