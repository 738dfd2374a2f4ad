// Demo logins for a newcomer's local system. Never in production (seedDatabase refuses there).
import type { Client, InStatement } from '@libsql/client';
import bcrypt from 'bcryptjs';
import { idsByCode } from './demo-org';
import { applyTemplateStatement, recordRoleStatement } from './role-templates';
import { runBatch } from './sql-batch';

export const DEMO_PASSWORD = 'demo-pass-2026';

/** Some FCASH NCR branches, not all: the tele agent's list must show territory filtering. */
export const DEMO_TELE_BRANCH_CODES = ['MNLA01', 'QZN01', 'MKTI01', 'PSG01'] as const;

interface DemoUserSeed {
  email: string;
  fullName: string;
  grants: readonly (readonly [template: string, company: 'FCASH' | 'PCNI'])[];
  areas?: readonly string[]; // 'COMPANY/AREA'
  branches?: readonly string[];
}

export const DEMO_USERS: readonly DemoUserSeed[] = [
  {
    email: 'admin@demo.test',
    fullName: 'Demo Admin',
    grants: [
      ['admin', 'FCASH'],
      ['admin', 'PCNI'],
    ],
  },
  {
    email: 'area.ncr@demo.test',
    fullName: 'Rosario Villanueva',
    grants: [
      ['area_manager', 'FCASH'],
      ['area_manager', 'PCNI'],
    ],
    areas: ['FCASH/NCR', 'PCNI/NCR'],
  },
  {
    email: 'branch.mnla01@demo.test',
    fullName: 'Jose Dela Cruz',
    grants: [['branch_officer', 'FCASH']],
    branches: ['MNLA01'],
  },
  {
    email: 'tele.fcash@demo.test',
    fullName: 'Maricel Bautista',
    grants: [['FC_TELE', 'FCASH']],
    branches: DEMO_TELE_BRANCH_CODES,
  },
  {
    email: 'viewer@demo.test',
    fullName: 'Demo Viewer',
    grants: [
      ['viewer', 'FCASH'],
      ['viewer', 'PCNI'],
    ],
  },
];

export function bcryptCost(): number {
  const cost = Number(process.env.BCRYPT_COST ?? 10);
  if (!Number.isInteger(cost) || cost < 4 || cost > 15) throw new Error(`BCRYPT_COST must be an integer 4-15, got ${cost}`);
  return cost;
}

export async function seedDemoUsers(client: Client): Promise<{ users: number }> {
  // One hash for all five: bcrypt at cost 10+ is deliberately slow.
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, bcryptCost());
  const now = Date.now();
  await runBatch(
    client,
    DEMO_USERS.map((u) => ({
      sql: `INSERT INTO users (email, full_name, password_hash, must_change_password, password_changed_at, is_active)
            VALUES (?, ?, ?, 0, ?, 1) ON CONFLICT DO NOTHING`,
      args: [u.email, u.fullName, passwordHash, now],
    })),
  );
  const userId = await idsByCode(client, 'SELECT id, email AS code FROM users');
  const areaId = await idsByCode(client, "SELECT a.id, c.code || '/' || a.code AS code FROM areas a JOIN companies c ON c.id = a.company_id");
  const branchId = await idsByCode(client, 'SELECT id, code FROM branches');
  const statements: InStatement[] = [];
  for (const u of DEMO_USERS) {
    const id = userId.get(u.email)!;
    for (const [template, company] of u.grants) {
      statements.push(applyTemplateStatement(id, template, company), recordRoleStatement(id, template, company));
    }
    for (const area of u.areas ?? []) {
      statements.push({ sql: 'INSERT OR IGNORE INTO user_areas (user_id, area_id) VALUES (?, ?)', args: [id, required(areaId, area)] });
    }
    for (const branch of u.branches ?? []) {
      statements.push({ sql: 'INSERT OR IGNORE INTO user_branches (user_id, branch_id) VALUES (?, ?)', args: [id, required(branchId, branch)] });
    }
  }
  await runBatch(client, statements);
  return { users: DEMO_USERS.length };
}

function required(map: Map<string, number>, key: string): number {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demo seed: ${key} does not exist (seed the demo org first)`);
  return value;
}
