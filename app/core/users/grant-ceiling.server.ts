/**
 * The privilege ceiling of user administration (docs/decisions/089-privilege-ceiling.md): an admin
 * changes a grant only where they hold that permission themselves, in that company, at a scope at
 * least as wide as every scope involved (the one given and the one taken away). Nobody changes
 * their own grants or territory. Refusals are logged so an attempt to climb is in the audit trail.
 */
import { and, eq } from 'drizzle-orm';
import { permissions, userPermissions } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeRank, type ScopeLevel } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';

export type GrantMap = Record<string, ScopeLevel>;

/** What the ceiling refuses: one grant change (code, and the widest scope it involves) beyond the actor's own. */
export interface CeilingBreach {
  code: string;
  scope: ScopeLevel;
  actorScope: ScopeLevel | null;
}

const rankOf = (scope: ScopeLevel | undefined) => (scope === undefined ? -1 : scopeRank[scope]);

/**
 * Pure: the changes from `before` to `wanted` the actor (holding `actor` in the same company) may
 * not make. Granting, widening, narrowing and revoking a permission each need the actor to hold it
 * at least as wide as the wider of the old and the new scope; an unchanged grant needs nothing.
 */
export function grantsBeyondCeiling(actor: GrantMap, before: GrantMap, wanted: GrantMap): CeilingBreach[] {
  const breaches: CeilingBreach[] = [];
  for (const code of [...new Set([...Object.keys(before), ...Object.keys(wanted)])].sort()) {
    if (before[code] === wanted[code]) continue;
    const widest = rankOf(before[code]) >= rankOf(wanted[code]) ? before[code] : wanted[code];
    if (rankOf(actor[code]) < rankOf(widest)) breaches.push({ code, scope: widest!, actorScope: actor[code] ?? null });
  }
  return breaches;
}

/** The form error for the first breach (the log keeps them all). */
export function ceilingMessage(breaches: CeilingBreach[], template?: string): string {
  const [first] = breaches;
  const what = template ? `The role ${template} changes ${first.code}` : `You cannot change ${first.code}`;
  const why = first.actorScope ? `you hold it only at scope ${first.actorScope}, not ${first.scope}` : 'you do not hold it yourself';
  const more = breaches.length > 1 ? ` (and ${breaches.length - 1} more)` : '';
  return `${what}: ${why}${more}. Ask an admin who holds it.`;
}

/** One user's grants in one company, by permission code. `db` may be a transaction. */
export async function grantsInCompany(db: Pick<AppContext['db'], 'select'>, userId: number, companyId: number): Promise<GrantMap> {
  const rows = await db
    .select({ code: permissions.code, scope: userPermissions.scope })
    .from(userPermissions)
    .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
    .where(and(eq(userPermissions.userId, userId), eq(userPermissions.companyId, companyId)));
  return Object.fromEntries(rows.map((r) => [r.code, r.scope as ScopeLevel]));
}

/** Why the actor may not change grants of `userId` (null: a user not created yet) in this company at all, or null. */
export function grantChangeRefusal(actorId: number, userId: number | null, actor: GrantMap): string | null {
  if (userId !== null && actorId === userId) return 'Ask another admin to change your own permissions.';
  if (actor['users:manage'] !== 'all') return 'You cannot change permissions in this company.';
  return null;
}

export const SELF_TERRITORY_MESSAGE = 'Ask another admin to change your own territory.';

/** Logs a refused user-administration change (`user.grant_refused` or `user.territory_refused`); `db` may be the open transaction. */
export async function logRefusal(
  ctx: AppContext,
  action: 'user.grant_refused' | 'user.territory_refused',
  actorId: number,
  userId: number | null,
  details: Record<string, unknown>,
  db: Pick<AppContext['db'], 'insert'> = ctx.db,
) {
  await logActivity(ctx, { userId: actorId, action, resourceType: 'user', resourceId: userId ?? undefined, details }, db);
}
