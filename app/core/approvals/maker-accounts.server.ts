import { and, eq } from 'drizzle-orm';
import { permissions, userPermissions, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

/**
 * Is the checker's account one the maker administers (decision 101, "not through a second account
 * they administer")? It is when the maker created it, or when the maker gave it the permission this
 * decision needs. A grant the maker asked for and another admin approved carries that admin as
 * granted_by, so it does not count: a second person already vouched for it.
 */
export async function accountOfMaker(ctx: AppContext, checkerId: number, makerId: number, permission: string): Promise<boolean> {
  const [made, granted] = await Promise.all([
    ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, checkerId), eq(users.createdBy, makerId)))
      .limit(1),
    ctx.db
      .select({ id: userPermissions.userId })
      .from(userPermissions)
      .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
      .where(and(eq(userPermissions.userId, checkerId), eq(userPermissions.grantedBy, makerId), eq(permissions.code, permission)))
      .limit(1),
  ]);
  return made.length > 0 || granted.length > 0;
}
