import { alias } from 'drizzle-orm/sqlite-core';
import { and, count, desc, eq, inArray, or } from 'drizzle-orm';
import { changeRequests, companies, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { wideCompanyIds, type StaffScope } from '../access/scope.server';

const maker = alias(users, 'maker');
const target = alias(users, 'target');
const checker = alias(users, 'checker');

/**
 * The approvals list: requests in the companies where the reader administers users company-wide
 * (waiting ones first), and the reader's own requests wherever they were made. Newest first, capped.
 */
export async function listRequests(ctx: AppContext, scope: StaffScope, readerId: number, limit = 100) {
  const companyIds = wideCompanyIds(scope);
  const inReach = companyIds.length ? inArray(changeRequests.companyId, companyIds) : undefined;
  const rows = await ctx.db
    .select({
      id: changeRequests.id,
      action: changeRequests.action,
      state: changeRequests.state,
      company: companies.code,
      targetId: changeRequests.targetId,
      targetName: target.fullName,
      payload: changeRequests.payload,
      before: changeRequests.before,
      remark: changeRequests.remark,
      makerId: changeRequests.makerId,
      makerName: maker.fullName,
      checkerName: checker.fullName,
      decisionRemark: changeRequests.decisionRemark,
      createdAt: changeRequests.createdAt,
      decidedAt: changeRequests.decidedAt,
      expiresAt: changeRequests.expiresAt,
    })
    .from(changeRequests)
    .innerJoin(companies, eq(companies.id, changeRequests.companyId))
    .innerJoin(maker, eq(maker.id, changeRequests.makerId))
    .leftJoin(target, eq(target.id, changeRequests.targetId))
    .leftJoin(checker, eq(checker.id, changeRequests.checkerId))
    .where(and(or(inReach, eq(changeRequests.makerId, readerId))))
    .orderBy(desc(changeRequests.createdAt), desc(changeRequests.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, mine: r.makerId === readerId }));
}

/** How many requests wait for this reader to decide (not their own): the navigation's count. */
export async function waitingForReader(ctx: AppContext, scope: StaffScope | null, readerId: number): Promise<number> {
  const companyIds = scope ? wideCompanyIds(scope) : [];
  if (!companyIds.length) return 0;
  // Both counts at once: over HTTP each read is a round trip (decision 103).
  const [[row], [own]] = await Promise.all([
    ctx.db
      .select({ n: count() })
      .from(changeRequests)
      .where(and(inArray(changeRequests.companyId, companyIds), eq(changeRequests.state, 'pending'))),
    ctx.db
      .select({ n: count() })
      .from(changeRequests)
      .where(and(inArray(changeRequests.companyId, companyIds), eq(changeRequests.state, 'pending'), eq(changeRequests.makerId, readerId))),
  ]);
  return row.n - own.n;
}
