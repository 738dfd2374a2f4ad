import { and, asc, desc, eq, gt, inArray, isNull, like, lt, not, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { activityLogs, companies, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, scopeCoversEveryCompany, type StaffScope } from '../access/scope.server';
import { clampInt, defaultPageSize, maxPageSize } from '../paging/paging';
import { likeContains } from '../search/like.server';
import { visibleUserCondition } from '../users/user-admin-scope.server';
import { idField } from '../ids/record-id';
import { maxLengthOf } from '../config/form-fields';
import { searchField } from '../forms/search-fields';
import { auditFilterFields } from './audit-filter-fields';
import { approvalRequestOf, withApprovalTrails } from './approval-trail.server';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'is not a real date');
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const cursor = z.preprocess(blankToUndefined, idField('is not a page position').optional());

export const activityQuerySchema = z.object({
  user: z.preprocess(blankToUndefined, z.string().trim().max(maxLengthOf(auditFilterFields.user)!).optional()),
  action: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(maxLengthOf(auditFilterFields.action)!, 'is not an action name')
      .regex(/^[a-z_.]+$/, 'is not an action name')
      .optional(),
  ),
  resource: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(maxLengthOf(auditFilterFields.resource)!, 'is not a resource type (e.g. client, user, route)')
      .regex(/^[a-z_]+$/, 'is not a resource type (e.g. client, user, route)')
      .optional(),
  ),
  resourceId: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(maxLengthOf(auditFilterFields.resourceId)!, `is at most ${maxLengthOf(auditFilterFields.resourceId)} characters`)
      .optional(),
  ),
  q: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .min(2, 'needs at least 2 characters')
      .max(maxLengthOf(searchField)!, `is at most ${maxLengthOf(searchField)} characters`)
      .optional(),
  ),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  /** Keyset paging: rows older than this id (next page), or newer than this id (previous page). */
  before: cursor,
  after: cursor,
});

export type ActivityQuery = z.infer<typeof activityQuerySchema> & { pageSize: number };

export function parseActivityQuery(params: URLSearchParams): { ok: true; query: ActivityQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params);
  const r = activityQuerySchema.safeParse(raw);
  if (!r.success) return { ok: false, message: `Filter "${r.error.issues[0].path.join('.')}" ${r.error.issues[0].message}` };
  if (r.data.from && r.data.to && r.data.from > r.data.to) return { ok: false, message: `Filter "from" (${r.data.from}) is after "to" (${r.data.to}).` };
  return { ok: true, query: { ...r.data, pageSize: clampInt(raw.pageSize, defaultPageSize, 1, maxPageSize) } };
}

// Dates are Manila calendar days (UTC+8, no DST): a day starts at 16:00 UTC the day before.
const manilaDayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

/** Resource types of user events: sign-ins, sessions, refused routes, admin actions on a user. */
const USER_EVENT_RESOURCES = ['user', 'session', 'route'];

/**
 * Which activity rows a reader with this activity:read scope may see (decision 007):
 * - a row about a company's resource (company_id set: a client, a company's config row) when that
 *   company and branch lie inside the scope (a row with a company but no branch needs the company
 *   wide), whoever wrote it;
 * - a user event (no company; about a user, a session or a route) when its actor and, for rows
 *   about a user, that user are visible to the reader; with no actor (a failed sign-in for an
 *   unknown email), only for a company-wide reader;
 * - any other row without a company (system rows: jobs, schedules, periods, shared config) only
 *   for a reader whose scope covers every company.
 */
export async function activityReachCondition(ctx: AppContext, scope: StaffScope, everyCompanyId?: readonly number[]): Promise<SQL> {
  // Every company's id: the request's company list when the caller has it (no read, one round trip fewer at the edge).
  const companyIds = everyCompanyId ?? (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  const everyCompany = scopeCoversEveryCompany(scope, companyIds);
  const wide = scope.companies.some((c) => c.branchIds === 'all');
  // The visible users are computed once (a non-correlated IN list), not per activity row.
  const visible = ctx.db.select({ id: users.id }).from(users).where(visibleUserCondition(ctx.db, scope));
  const aboutUser = sql`cast(${activityLogs.resourceId} as integer)`;
  // Unary + keeps SQLite off the user_id index for the scope check: walking the primary key newest
  // first and stopping after one page beats collecting and sorting every visible row (decision 074).
  const actor = sql`+${activityLogs.userId}`;
  const userEvent = or(isNull(activityLogs.resourceType), inArray(activityLogs.resourceType, USER_EVENT_RESOURCES))!;
  const userEventVisible = and(
    or(inArray(actor, visible), wide ? sql`${actor} is null` : sql`0`),
    // Both ends must be visible: who did it, and the user it was done to (if it was about a user).
    or(sql`coalesce(${activityLogs.resourceType}, '') <> 'user'`, isNull(activityLogs.resourceId), inArray(aboutUser, visible)),
  );
  return or(
    scopeCondition(scope, { companyId: activityLogs.companyId, branchId: activityLogs.branchId }),
    and(isNull(activityLogs.companyId), userEvent, userEventVisible),
    everyCompany ? and(isNull(activityLogs.companyId), not(userEvent)) : sql`0`,
  )!;
}

/**
 * Activity the admin may read (activityReachCondition). Newest first, paged by id (keyset: a
 * page costs the same on row 1 and row 500,000; no total is counted — decision 074).
 */
/** Reach and filters of the activity viewer; the activity export (app/core/exports) takes the same. */
export async function activityConditions(ctx: AppContext, scope: StaffScope, q: Omit<ActivityQuery, 'before' | 'after' | 'pageSize'>): Promise<SQL> {
  const actor = sql`+${activityLogs.userId}`;
  const parts: Array<SQL | undefined> = [await activityReachCondition(ctx, scope)];
  if (q.user) {
    // Also off the index: a busy user's rows are found newest first at once, a quiet user's by one scan (≈ 70 ms at 500k).
    parts.push(
      /^\d+$/.test(q.user)
        ? sql`${actor} = ${Number(q.user)}`
        : inArray(actor, ctx.db.select({ id: users.id }).from(users).where(likeContains(users.email, q.user.toLowerCase()))),
    );
  }
  if (q.action) parts.push(like(activityLogs.action, `${q.action}%`));
  if (q.resource) parts.push(eq(activityLogs.resourceType, q.resource));
  if (q.resourceId) parts.push(eq(activityLogs.resourceId, q.resourceId));
  if (q.q) {
    parts.push(
      or(...[activityLogs.action, activityLogs.resourceId, activityLogs.ip, activityLogs.requestId, activityLogs.details].map((c) => likeContains(c, q.q!))),
    );
  }
  // A short closed range reads the created_at index; a long or open one walks the primary key instead.
  const shortRange = q.from && q.to && Date.parse(q.to) - Date.parse(q.from) <= 31 * 86_400_000;
  const created = shortRange ? sql`${activityLogs.createdAt}` : sql`+${activityLogs.createdAt}`;
  if (q.from) parts.push(sql`${created} >= ${manilaDayStart(q.from).getTime()}`);
  if (q.to) parts.push(sql`${created} < ${manilaDayStart(q.to).getTime() + 86_400_000}`);
  return and(...parts)!;
}

export async function activityInScope(ctx: AppContext, scope: StaffScope, q: ActivityQuery) {
  const filters = await activityConditions(ctx, scope, q);
  const newerPage = q.after !== undefined && q.before === undefined;
  const page = await ctx.db
    .select({
      id: activityLogs.id,
      action: activityLogs.action,
      userId: activityLogs.userId,
      userEmail: users.email,
      resourceType: activityLogs.resourceType,
      resourceId: activityLogs.resourceId,
      ip: activityLogs.ip,
      requestId: activityLogs.requestId,
      createdAt: activityLogs.createdAt,
      details: activityLogs.details,
    })
    .from(activityLogs)
    .leftJoin(users, eq(users.id, activityLogs.userId))
    .where(and(filters, q.before !== undefined ? lt(activityLogs.id, q.before) : undefined, newerPage ? gt(activityLogs.id, q.after!) : undefined))
    .orderBy(newerPage ? asc(activityLogs.id) : desc(activityLogs.id))
    .limit(q.pageSize + 1);
  const more = page.length > q.pageSize;
  const rows = more ? page.slice(0, q.pageSize) : page;
  if (newerPage) rows.reverse();
  const first = rows[0]?.id;
  const last = rows[rows.length - 1]?.id;
  return {
    rows: await withApprovalTrails(ctx, rows, approvalRequestOf),
    pageSize: q.pageSize,
    /** Cursor of the next (older) page, if there is one. */
    olderBefore: rows.length && (newerPage || more) ? last : null,
    /** Cursor of the previous (newer) page, if this is not the first. */
    newerAfter: rows.length && (q.before !== undefined || (newerPage && more)) ? first : null,
  };
}
