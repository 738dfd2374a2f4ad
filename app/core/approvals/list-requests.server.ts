import { alias } from 'drizzle-orm/sqlite-core';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { preparedPerDatabase } from '../../../db/prepared';
import { changeRequests, companies, users, type ChangeRequest } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffAccess } from '../access/staff-access.server';
import { CHECKED_HANDLERS, handlerOf } from './handlers.server';

const maker = alias(users, 'maker');
const target = alias(users, 'target');
const checker = alias(users, 'checker');

/** Companies where the reader holds some checker permission: the SQL's first cut, each handler's covers() decides. */
function checkerCompanyIds(access: StaffAccess): number[] {
  const ids = new Set<number>();
  for (const handler of Object.values(CHECKED_HANDLERS)) for (const c of access.scope(handler.permission)?.companies ?? []) ids.add(c.companyId);
  return [...ids];
}

const covered = (access: StaffAccess, row: ChangeRequest) => Boolean(handlerOf(row.action)?.covers(access, row));

/**
 * The approvals list: requests whose action's handler covers the reader (its permission over the
 * target, company and territory; waiting ones and decided ones), and the reader's own requests
 * wherever they were made. Newest first, capped; each with its diff (old → new).
 */
export async function listRequests(ctx: AppContext, access: StaffAccess, readerId: number, limit = 100) {
  const companyIds = checkerCompanyIds(access);
  const inReach = companyIds.length ? inArray(changeRequests.companyId, companyIds) : undefined;
  const rows = await ctx.db
    .select({
      request: changeRequests,
      company: companies.code,
      targetName: target.fullName,
      makerName: maker.fullName,
      checkerName: checker.fullName,
    })
    .from(changeRequests)
    .innerJoin(companies, eq(companies.id, changeRequests.companyId))
    .innerJoin(maker, eq(maker.id, changeRequests.makerId))
    .leftJoin(target, and(eq(changeRequests.targetType, 'user'), eq(target.id, changeRequests.targetId)))
    .leftJoin(checker, eq(checker.id, changeRequests.checkerId))
    .where(or(inReach, eq(changeRequests.makerId, readerId)))
    .orderBy(desc(changeRequests.createdAt), desc(changeRequests.id))
    .limit(limit * 2);
  return rows
    .filter((r) => r.request.makerId === readerId || covered(access, r.request))
    .slice(0, limit)
    .map(({ request: r, ...names }) => ({
      id: r.id,
      action: r.action,
      state: r.state,
      targetType: r.targetType,
      targetId: r.targetId,
      remark: r.remark,
      makerId: r.makerId,
      decisionRemark: r.decisionRemark,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      expiresAt: r.expiresAt,
      ...names,
      diff: handlerOf(r.action)?.diff(r) ?? [],
      mine: r.makerId === readerId,
    }));
}

/**
 * The pending requests of some companies (a JSON array of ids), its SQL built once per database: the
 * navigation's count runs on every signed-in page of a checker (decision 131).
 */
const preparedPendingIn = preparedPerDatabase((db) =>
  db
    .select()
    .from(changeRequests)
    .where(and(sql`${changeRequests.companyId} in (select value from json_each(${sql.placeholder('companyIds')}))`, eq(changeRequests.state, 'pending')))
    .limit(1000)
    .prepare(),
);

/** How many requests wait for this reader to decide (covered, pending, not their own): the navigation's count. */
export async function waitingForReader(ctx: AppContext, access: StaffAccess | null, readerId: number): Promise<number> {
  const companyIds = access ? checkerCompanyIds(access) : [];
  if (!access || !companyIds.length) return 0;
  const rows = await preparedPendingIn(ctx.db).all({ companyIds: JSON.stringify(companyIds) });
  return rows.filter((r) => r.makerId !== readerId && covered(access, r)).length;
}

/** The pending requests about one target the reader may see (covered, or their own): the maker's screen lists them. */
export async function pendingRequestsAbout(ctx: AppContext, access: StaffAccess, readerId: number, targetType: string, targetId: number) {
  const rows = await ctx.db
    .select({ request: changeRequests, makerName: maker.fullName })
    .from(changeRequests)
    .innerJoin(maker, eq(maker.id, changeRequests.makerId))
    .where(and(eq(changeRequests.targetType, targetType), eq(changeRequests.targetId, targetId), eq(changeRequests.state, 'pending')))
    .orderBy(desc(changeRequests.id))
    .limit(50);
  return rows
    .filter((r) => r.request.makerId === readerId || covered(access, r.request))
    .map(({ request: r, makerName }) => ({
      id: r.id,
      action: r.action,
      remark: r.remark,
      makerName,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      diff: handlerOf(r.action)?.diff(r) ?? [],
      mine: r.makerId === readerId,
    }));
}
