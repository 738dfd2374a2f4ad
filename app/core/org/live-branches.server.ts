/**
 * Every live branch (id, code, name, company), ordered by code: the option lists of the client and
 * workspace filters and the user editor's territory picker, on nearly every signed-in page. Read through
 * the cache (decision 120): one small JSON parse instead of a query and 150 mapped rows per page.
 * Callers keep only the branches their scope holds. Branches change only through branch-writes.server.ts,
 * which deletes the key after each committed write; the TTL bounds a reader that raced the commit.
 */
import { asc, isNull } from 'drizzle-orm';
import { branches } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import { scopeIncludesBranch, type StaffScope } from '../access/scope.server';

export interface BranchOption {
  id: number;
  code: string;
  name: string;
  companyId: number;
}

export const liveBranchesKey = 'org:live-branches:v1';

function liveBranches(ctx: AppContext): Promise<BranchOption[]> {
  return cached(ctx.cache, liveBranchesKey, cachePolicies.branchList, () =>
    ctx.db
      .select({ id: branches.id, code: branches.code, name: branches.name, companyId: branches.companyId })
      .from(branches)
      .where(isNull(branches.deletedAt))
      .orderBy(asc(branches.code)),
  );
}

/** The live branches inside the scope, ordered by code. */
export async function liveBranchesIn(ctx: AppContext, scope: StaffScope): Promise<BranchOption[]> {
  return (await liveBranches(ctx)).filter((b) => scopeIncludesBranch(scope, b.companyId, b.id));
}

/** After a committed branch write. Never fails the write: the TTL bounds a missed delete. */
export async function forgetLiveBranches(ctx: AppContext): Promise<void> {
  await ctx.cache.delete(liveBranchesKey).catch((error: unknown) => {
    ctx.logger.warn('branch list cache invalidation failed', { error: String(error) });
  });
}
