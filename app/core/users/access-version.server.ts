import { eq, sql } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { WriteTx } from '../approvals/checked-action.server';

/** A user's access version moves on with every grant, territory or active-state change (decision 101). */
export async function bumpAccessVersion(tx: WriteTx, userId: number) {
  await tx
    .update(users)
    .set({ accessVersion: sql`${users.accessVersion} + 1` })
    .where(eq(users.id, userId));
}

/** The version an admin form carries (0 for an unknown user: the caller has already answered 404). */
export async function accessVersionOf(db: Pick<AppContext['db'], 'select'>, userId: number): Promise<number> {
  const [row] = await db.select({ v: users.accessVersion }).from(users).where(eq(users.id, userId));
  return row?.v ?? 0;
}
