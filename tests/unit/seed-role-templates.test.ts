import { describe, expect, it } from 'vitest';
import { PERMISSION_CODES } from '../../db/seed/permissions';
import { ROLE_TEMPLATES } from '../../db/seed/role-templates';

const template = (code: string) => ROLE_TEMPLATES.find((t) => t.code === code)!;
const grants = (code: string) =>
  template(code)
    .grants.map(([p, s]) => `${p}@${s}`)
    .sort();

describe('seeded permissions and role templates', () => {
  it('has the 19 permission codes of the product rules', () => {
    expect(PERMISSION_CODES).toHaveLength(19);
    expect(new Set(PERMISSION_CODES).size).toBe(19);
    expect(PERMISSION_CODES).toContain('status:history:read');
  });

  it('defines admin, area_manager, branch_officer, FC_TELE, PCNI_TELE and viewer', () => {
    expect(ROLE_TEMPLATES.map((t) => t.code)).toEqual(['admin', 'area_manager', 'branch_officer', 'FC_TELE', 'PCNI_TELE', 'viewer']);
    expect(template('FC_TELE').company).toBe('FCASH');
    expect(template('PCNI_TELE').company).toBe('PCNI');
  });

  it('gives each template the grants and scopes of the brief', () => {
    expect(grants('admin')).toEqual(PERMISSION_CODES.map((p) => `${p}@all`).sort());
    expect(grants('branch_officer')).toEqual([
      'branches:read@branch',
      'clients:read@branch',
      'clients:update@branch',
      'reports:read@branch',
      'status:history:read@branch',
      'status:read@branch',
      'status:update@branch',
    ]);
    expect(grants('PCNI_TELE')).toEqual(grants('FC_TELE'));
    expect(grants('area_manager').every((g) => g.endsWith('@area'))).toBe(true);
    expect(grants('area_manager')).toEqual(expect.arrayContaining(['status:revert@area', 'activity:read@area', 'config:read@area']));
    expect(grants('area_manager')).not.toContain('users:manage@area');
  });
});
