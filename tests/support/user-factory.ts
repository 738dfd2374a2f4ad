// Test users beyond the seeded demo logins, written the way the admin screens will write them.
import type { Client } from '@libsql/client';
import { hashPassword } from '../../app/core/access/password.server';

export interface TestUserSpec {
  email: string;
  fullName?: string;
  password?: string;
  /** [permission code, company code, scope] */
  grants?: ReadonlyArray<readonly [string, 'FCASH' | 'PCNI', 'self' | 'branch' | 'area' | 'all']>;
  branches?: readonly string[];
}

/** Inserts an active user with the given grants and branches; returns its id. */
export async function createTestUser(client: Client, spec: TestUserSpec): Promise<number> {
  const hash = await hashPassword(spec.password ?? 'a long unused password', 4);
  const inserted = await client.execute({
    sql: `INSERT INTO users (email, full_name, password_hash, must_change_password, is_active) VALUES (?, ?, ?, 0, 1) RETURNING id`,
    args: [spec.email, spec.fullName ?? 'Test User', hash],
  });
  const userId = Number(inserted.rows[0].id);
  for (const [permission, company, scope] of spec.grants ?? []) {
    await client.execute({
      sql: `INSERT INTO user_permissions (user_id, permission_id, company_id, scope)
            VALUES (?, (SELECT id FROM permissions WHERE code = ?), (SELECT id FROM companies WHERE code = ?), ?)`,
      args: [userId, permission, company, scope],
    });
  }
  for (const branch of spec.branches ?? []) {
    await client.execute({
      sql: 'INSERT INTO user_branches (user_id, branch_id) VALUES (?, (SELECT id FROM branches WHERE code = ?))',
      args: [userId, branch],
    });
  }
  return userId;
}
