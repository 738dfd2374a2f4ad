// Role templates: bundles of (permission, scope) an admin applies to a user for one company.
import type { Client, InStatement } from '@libsql/client';
import type { Scope } from '../schema/columns';
import { PERMISSION_CODES, type PermissionCode } from './permissions';
import { runBatch } from './sql-batch';

export interface RoleTemplateSeed {
  code: string;
  name: string;
  description: string;
  company: 'FCASH' | 'PCNI' | null; // null = usable for either company
  grants: readonly (readonly [PermissionCode, Scope])[];
}

const at = (scope: Scope, codes: readonly PermissionCode[]) => codes.map((code) => [code, scope] as const);

const teleGrants = [...at('branch', ['clients:read', 'clients:update', 'status:read', 'status:update']), ...at('self', ['status:history:read'])];

export const ROLE_TEMPLATES: readonly RoleTemplateSeed[] = [
  {
    code: 'admin',
    name: 'Administrator',
    description: 'Every permission, whole company',
    company: null,
    grants: at('all', PERMISSION_CODES),
  },
  {
    code: 'area_manager',
    name: 'Area manager',
    description: 'Watches and corrects status across the areas assigned',
    company: null,
    grants: at('area', [
      'clients:read',
      'status:read',
      'status:update',
      'status:revert',
      'status:history:read',
      'reports:read',
      'reports:export',
      'users:read',
      'branches:read',
      'areas:read',
      'config:read',
      'activity:read',
    ]),
  },
  {
    code: 'branch_officer',
    name: 'Branch officer',
    description: 'Works the clients of the branches assigned',
    company: null,
    grants: at('branch', ['clients:read', 'clients:update', 'status:read', 'status:update', 'status:history:read', 'reports:read', 'branches:read']),
  },
  { code: 'FC_TELE', name: 'FCASH tele agent', description: 'FCASH telemarketing', company: 'FCASH', grants: teleGrants },
  { code: 'PCNI_TELE', name: 'PCNI tele agent', description: 'PCNI telemarketing', company: 'PCNI', grants: teleGrants },
  {
    code: 'viewer',
    name: 'Viewer',
    description: 'Read-only, whole company',
    company: null,
    grants: at('all', ['clients:read', 'status:read', 'reports:read', 'branches:read', 'areas:read']),
  },
];

export function roleTemplateStatements(): InStatement[] {
  const statements: InStatement[] = [];
  ROLE_TEMPLATES.forEach((t, i) => {
    statements.push({
      sql: `INSERT INTO role_templates (code, name, description, company_id, is_system, sort_order)
            VALUES (?, ?, ?, (SELECT id FROM companies WHERE code = ?), 1, ?) ON CONFLICT DO NOTHING`,
      args: [t.code, t.name, t.description, t.company, (i + 1) * 10],
    });
    for (const [permission, scope] of t.grants) {
      statements.push({
        sql: `INSERT INTO role_template_grants (role_template_id, permission_id, scope)
              VALUES ((SELECT id FROM role_templates WHERE code = ?), (SELECT id FROM permissions WHERE code = ?), ?)
              ON CONFLICT DO NOTHING`,
        args: [t.code, permission, scope],
      });
    }
  });
  return statements;
}

export async function seedRoleTemplates(client: Client): Promise<void> {
  await runBatch(client, roleTemplateStatements());
}

/**
 * Grants a template to a user for one company (what the admin screen does; used for demo users).
 * INSERT … SELECT so it is one statement whatever the template size.
 */
export function applyTemplateStatement(userId: number, templateCode: string, companyCode: string): InStatement {
  return {
    sql: `INSERT INTO user_permissions (user_id, permission_id, company_id, scope)
          SELECT ?, g.permission_id, (SELECT id FROM companies WHERE code = ?), g.scope
          FROM role_template_grants g JOIN role_templates t ON t.id = g.role_template_id
          WHERE t.code = ?
          ON CONFLICT (user_id, permission_id, company_id) DO UPDATE SET scope = excluded.scope`,
    args: [userId, companyCode, templateCode],
  };
}

/** Records which template a user holds for a company (the "role" the admin screens show and filter on). */
export function recordRoleStatement(userId: number, templateCode: string, companyCode: string): InStatement {
  return {
    sql: `INSERT INTO user_roles (user_id, company_id, role_template_id)
          SELECT ?, (SELECT id FROM companies WHERE code = ?), t.id FROM role_templates t WHERE t.code = ?
          ON CONFLICT (user_id, company_id) DO UPDATE SET role_template_id = excluded.role_template_id`,
    args: [userId, companyCode, templateCode],
  };
}
