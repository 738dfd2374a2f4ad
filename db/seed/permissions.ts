// The 19 permission codes of the product rules. Idempotent.
import type { Client, InStatement } from '@libsql/client';
import { runBatch } from './sql-batch';

export const PERMISSIONS = [
  { code: 'clients:read', name: 'View clients' },
  { code: 'clients:update', name: 'Update client details' },
  { code: 'status:read', name: 'View client status' },
  { code: 'status:update', name: 'Update client status' },
  { code: 'status:revert', name: 'Revert client status' },
  { code: 'status:history:read', name: 'View status history' },
  { code: 'reports:read', name: 'View reports and dashboards' },
  { code: 'reports:export', name: 'Export reports' },
  { code: 'users:read', name: 'View users' },
  { code: 'users:manage', name: 'Manage users and grants' },
  { code: 'branches:read', name: 'View branches' },
  { code: 'branches:manage', name: 'Manage branches' },
  { code: 'areas:read', name: 'View areas' },
  { code: 'areas:manage', name: 'Manage areas' },
  { code: 'config:read', name: 'View configuration' },
  { code: 'config:manage', name: 'Manage configuration' },
  { code: 'sync:read', name: 'View sync jobs' },
  { code: 'sync:execute', name: 'Run syncs' },
  { code: 'activity:read', name: 'View activity logs' },
] as const;

export type PermissionCode = (typeof PERMISSIONS)[number]['code'];

export const PERMISSION_CODES: readonly PermissionCode[] = PERMISSIONS.map((p) => p.code);

export function permissionStatements(): InStatement[] {
  return PERMISSIONS.map((p, i) => ({
    sql: 'INSERT INTO permissions (code, name, is_system, sort_order) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING',
    args: [p.code, p.name, (i + 1) * 10],
  }));
}

export async function seedPermissions(client: Client): Promise<void> {
  await runBatch(client, permissionStatements());
}
