// Shared steps for the admin user screens' integration tests (tests/integration/admin-users-*.test.ts):
// the route modules called in-process on a real test database, and "nothing changed" snapshots.
import type { Client } from '@libsql/client';
import { expect } from 'vitest';
import { action as newUserAction, loader as newUserLoader } from '../../app/routes/admin.users.new';
import { action as userAction, loader as userLoader } from '../../app/routes/admin.users.$id/route';
import { loader as usersLoader } from '../../app/routes/admin.users._index';
import { loader as activityLoader } from '../../app/routes/admin.activity';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { action as loginAction } from '../../app/routes/login';
import { PERMISSION_CODES } from '../../db/seed/permissions';
import { absoluteUrl, callRoute, requestWithCookie, type RouteAnswer, type TestAppContext } from './app-context';
import { flashOf } from './flash';
import { idByCode, snapshot, sqlRows } from './sql';
import { createTestUser } from './user-factory';

export { newUserAction, newUserLoader, userAction, userLoader, usersLoader, activityLoader, clientsLoader, loginAction };

/** The tables an admin action may write: every "bad input" test compares all of them before and after. */
export const ADMIN_TABLES = ['users', 'user_permissions', 'user_roles', 'user_branches', 'user_areas', 'user_sessions', 'activity_logs'] as const;

export async function snapshotAll(client: Client): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ADMIN_TABLES) out[table] = await snapshot(client, table);
  return out;
}

/** Runs `run` and asserts that no row of ADMIN_TABLES was added, changed or removed. */
export async function expectNothingWritten<T>(client: Client, run: () => Promise<T>): Promise<T> {
  const before = await snapshotAll(client);
  const result = await run();
  const after = await snapshotAll(client);
  for (const table of ADMIN_TABLES) expect(after[table], `${table} changed`).toEqual(before[table]);
  return result;
}

/** A browser form POST (urlencoded; a field given as an array is repeated, like a multiple select). */
export function postForm(fields: Record<string, string | number | ReadonlyArray<string | number> | undefined>): RequestInit {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, String(v));
  }
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' }, body: body.toString() };
}

export const branchIdOf = (client: Client, code: string) => idByCode(client, 'branches', code);
export const companyIdOf = (client: Client, code: 'FCASH' | 'PCNI') => idByCode(client, 'companies', code);

export async function areaIdOf(client: Client, company: 'FCASH' | 'PCNI', code: string): Promise<number> {
  const [row] = await sqlRows(client, 'SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = ? AND a.code = ?', [company, code]);
  if (!row) throw new Error(`no area ${company}/${code}`);
  return Number(row.id);
}

/** An admin of one company only: every permission, scope all, in that company; no territory. */
export function createCompanyAdmin(client: Client, company: 'FCASH' | 'PCNI', email = `admin.${company.toLowerCase()}@demo.test`) {
  return createTestUser(client, {
    email,
    fullName: `${company} Only Admin`,
    grants: PERMISSION_CODES.map((code) => [code, company, 'all'] as const),
  });
}

/** A PCNI tele agent on a PCNI branch: nothing of it in FCASH. */
export function createPcniAgent(client: Client, email = 'tele.pcni@demo.test') {
  return createTestUser(client, {
    email,
    fullName: 'Liza Manalo',
    branches: ['MNLA03'],
    grants: [
      ['clients:read', 'PCNI', 'branch'],
      ['status:read', 'PCNI', 'branch'],
      ['status:update', 'PCNI', 'branch'],
    ],
  });
}

/** Grants of a user as [code, company code, scope], sorted. */
export async function grantsOf(client: Client, userId: number): Promise<string[][]> {
  const rows = await sqlRows(
    client,
    `SELECT p.code AS code, c.code AS company, up.scope AS scope FROM user_permissions up
     JOIN permissions p ON p.id = up.permission_id JOIN companies c ON c.id = up.company_id
     WHERE up.user_id = ? ORDER BY c.code, p.code`,
    [userId],
  );
  return rows.map((r) => [String(r.code), String(r.company), String(r.scope)]);
}

/** A template's grants as [code, scope], sorted by code. */
export async function templateGrants(client: Client, templateCode: string): Promise<string[][]> {
  const rows = await sqlRows(
    client,
    `SELECT p.code AS code, g.scope AS scope FROM role_template_grants g
     JOIN role_templates t ON t.id = g.role_template_id JOIN permissions p ON p.id = g.permission_id
     WHERE t.code = ? ORDER BY p.code`,
    [templateCode],
  );
  return rows.map((r) => [String(r.code), String(r.scope)]);
}

/** Activity rows of one action about one user, details parsed. */
export async function activityAbout(client: Client, action: string, resourceId: number) {
  const rows = await sqlRows(
    client,
    'SELECT user_id, action, resource_type, resource_id, details FROM activity_logs WHERE action = ? AND resource_id = ? ORDER BY id',
    [action, String(resourceId)],
  );
  return rows.map((r) => ({ ...r, details: r.details === null ? null : JSON.parse(String(r.details)) }));
}

/** The admin user page's action as a browser submits one of its forms. */
export function userPagePost(ctx: TestAppContext, cookie: string, userId: number | string, fields: Parameters<typeof postForm>[0]) {
  return callRoute(userAction, ctx, requestWithCookie(cookie, `/admin/users/${userId}`, postForm(fields)), { id: String(userId) });
}

export function userPageGet(ctx: TestAppContext, cookie: string, userId: number | string) {
  return callRoute(userLoader, ctx, requestWithCookie(cookie, `/admin/users/${userId}`), { id: String(userId) });
}

export function createUserPost(ctx: TestAppContext, cookie: string, fields: Parameters<typeof postForm>[0]) {
  return callRoute(newUserAction, ctx, requestWithCookie(cookie, '/admin/users/new', postForm(fields)));
}

/**
 * The user a successful create answers with (post/redirect/get, decision 085): the id from the
 * redirect to the user's page, the temporary password from the flash it carries once.
 */
export function createdUserOf(answer: RouteAnswer): { id: number; temporaryPassword: string } {
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const id = Number(/^\/admin\/users\/(\d+)$/.exec(answer.headers.get('location') ?? '')?.[1]);
  const temporaryPassword = flashOf(answer)?.secret?.value ?? '';
  return { id, temporaryPassword };
}

/** Every client row the user sees on /clients (all pages). */
export async function clientBranchesSeenBy(ctx: TestAppContext, cookie: string): Promise<{ status: number; total: number; branches: string[] }> {
  const first = await callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients?pageSize=100&sort=code'));
  if (first.status !== 200) return { status: first.status, total: 0, branches: [] };
  const rows = [...first.data.list.rows];
  for (let page = 2; page <= first.data.list.pages; page++) {
    rows.push(...(await callRoute(clientsLoader, ctx, requestWithCookie(cookie, `/clients?pageSize=100&sort=code&page=${page}`))).data.list.rows);
  }
  return { status: 200, total: first.data.list.total, branches: [...new Set(rows.map((r: { branchCode: string }) => r.branchCode))].sort() };
}

export function login(ctx: TestAppContext, email: string, password: string) {
  return callRoute(loginAction, ctx, new Request(absoluteUrl('/login'), postForm({ email, password })));
}

/** `cu_session=…` from a response's Set-Cookie, or null. */
export function sessionCookieFrom(headers: Headers): string | null {
  return /^(cu_session=[^;]+);/.exec(headers.get('set-cookie') ?? '')?.[1] ?? null;
}
