import { and, desc, eq, gte, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { activityLogs, users } from "../../../db/schema";
import type { AppContext } from "../../platform/context";
import type { StaffScope } from "../access/scope";
import { pageCount, pagingFrom } from "../paging/paging";
import { likeContains } from "../search/like";
import { visibleUserCondition } from "../users/user-admin-scope";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .refine((d) => { const t = new Date(`${d}T00:00:00Z`); return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d); }, "is not a real date");
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const activityQuerySchema = z.object({
  user: z.preprocess(blankToUndefined, z.string().trim().max(254).optional()),
  action: z.preprocess(blankToUndefined, z.string().regex(/^[a-z_.]{1,60}$/, "is not an action name").optional()),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
});

export type ActivityQuery = z.infer<typeof activityQuerySchema> & { page: number; pageSize: number };

export function parseActivityQuery(params: URLSearchParams): { ok: true; query: ActivityQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params);
  const r = activityQuerySchema.safeParse(raw);
  if (!r.success) return { ok: false, message: `Filter "${r.error.issues[0].path.join(".")}" ${r.error.issues[0].message}` };
  if (r.data.from && r.data.to && r.data.from > r.data.to) return { ok: false, message: `Filter "from" (${r.data.from}) is after "to" (${r.data.to}).` };
  return { ok: true, query: { ...r.data, ...pagingFrom(raw) } };
}

// Dates are Manila calendar days (UTC+8, no DST): a day starts at 16:00 UTC the day before.
const manilaDayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

/**
 * Activity the admin may read: rows by users inside the admin's scope; rows with no user (failed
 * sign-ins for unknown emails) only for company-wide readers. Newest first, paged by id.
 */
export async function activityInScope(ctx: AppContext, scope: StaffScope, q: ActivityQuery) {
  const wide = scope.companies.some((c) => c.branchIds === "all");
  // Both ends must be visible: who did it, and the user it was done to (if it was about a user).
  const aboutUser = sql`cast(${activityLogs.resourceId} as integer)`;
  const parts: SQL[] = [
    or(visibleUserCondition(ctx.db, scope), wide ? isNull(activityLogs.userId) : sql`0`)!,
    or(sql`coalesce(${activityLogs.resourceType}, '') <> 'user'`, visibleUserCondition(ctx.db, scope, aboutUser))!,
  ];
  if (q.user) {
    parts.push(/^\d+$/.test(q.user) ? eq(activityLogs.userId, Number(q.user)) : likeContains(users.email, q.user.toLowerCase()));
  }
  if (q.action) parts.push(like(activityLogs.action, `${q.action}%`));
  if (q.from) parts.push(gte(activityLogs.createdAt, manilaDayStart(q.from)));
  if (q.to) parts.push(lt(activityLogs.createdAt, new Date(manilaDayStart(q.to).getTime() + 86_400_000)));
  const where = and(...parts);
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select({
        id: activityLogs.id, action: activityLogs.action, userId: activityLogs.userId, userEmail: users.email,
        resourceType: activityLogs.resourceType, resourceId: activityLogs.resourceId, ip: activityLogs.ip,
        requestId: activityLogs.requestId, createdAt: activityLogs.createdAt, details: activityLogs.details,
      })
      .from(activityLogs).leftJoin(users, eq(users.id, activityLogs.userId))
      .where(where).orderBy(desc(activityLogs.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    ctx.db.select({ total: sql<number>`count(*)` }).from(activityLogs).leftJoin(users, eq(users.id, activityLogs.userId)).where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize, pages: pageCount(total, q.pageSize) };
}
