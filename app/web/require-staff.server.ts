import { asc } from "drizzle-orm";
import { redirect, type LoaderFunctionArgs } from "@remix-run/server-runtime";
import { companies } from "../../db/schema";
import { loadAccess } from "../core/access/access.server";
import { scopeCoversEveryCompany, scopeFor, type StaffScope } from "../core/access/scope.server";
import { findActiveSession, type ActiveSession } from "../core/access/sessions.server";
import { logActivity } from "../core/audit/activity-log.server";
import type { AppContext } from "../platform/context";
import { checkLimit } from "../platform/rate-limit/check-limit";
import { retryAfterSeconds } from "../platform/rate-limit/limiter";
import type { LimitPolicyName } from "../platform/rate-limit/policies";
import { forbidden, serviceUnavailable, tooManyRequests } from "./http-errors.server";
import { clearedSessionCookie, readSessionToken } from "./session-cookie.server";

type Args = Pick<LoaderFunctionArgs, "request" | "context">;

export interface Staff extends SignedIn {
  scope: StaffScope;
}

/** The session is looked up once per request even when root and route loaders both ask. */
const sessionMemo = new WeakMap<AppContext["state"], Promise<ActiveSession | null>>();

export function currentSession(args: Args): Promise<ActiveSession | null> {
  const ctx = args.context.app;
  let pending = sessionMemo.get(ctx.state);
  if (!pending) {
    pending = findActiveSession(ctx, readSessionToken(ctx, args.request));
    sessionMemo.set(ctx.state, pending);
  }
  return pending;
}

/** For the layout: who is signed in, if anyone. No permission, no limit. */
export async function optionalStaff(args: Args) {
  return currentSession(args);
}

export interface SignedIn {
  user: ActiveSession["user"];
  sessionId: number;
}

/**
 * Authenticated and within the rate limit, no permission asked: for the user's own account pages.
 * A user who must change the password is sent to that screen from everywhere else.
 */
export async function requireSignedIn(args: Args, options: { limit?: LimitPolicyName } = {}): Promise<SignedIn> {
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const session = await currentSession(args);
  if (!session) {
    const next = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(next)}`, {
      headers: readSessionToken(ctx, args.request) ? { "Set-Cookie": clearedSessionCookie(ctx) } : {},
    });
  }
  ctx.state.userId = session.user.id;
  if (session.user.mustChangePassword && url.pathname !== "/account/password") {
    throw redirect("/account/password");
  }
  const policy = options.limit ?? (args.request.method === "GET" || args.request.method === "HEAD" ? "read" : "write");
  const limit = await checkLimit(ctx, policy, `user:${session.user.id}`);
  if (!limit.success) {
    if (limit.storeDown) serviceUnavailable("This action is paused while the rate limiter is unreachable. Please try again shortly.");
    ctx.logger.warn("rate limited", { policy, userId: session.user.id });
    tooManyRequests(retryAfterSeconds(limit, ctx.clock.now().getTime()));
  }
  return { user: session.user, sessionId: session.sessionId };
}

/**
 * The one gate every loader and action passes: authenticates, applies the per-loader rate limit,
 * checks the permission and returns the user with the scope every query must take.
 */
export async function requireStaff(
  args: Args,
  options: {
    permission: string;
    limit?: LimitPolicyName;
    /** The action reaches every company's data (e.g. period initialization): the scope must be 'all' in every company. */
    everyCompany?: true;
  },
): Promise<Staff> {
  const ctx = args.context.app;
  const signedIn = await requireSignedIn(args, { limit: options.limit });
  const access = await loadAccess(ctx, signedIn.user.id);
  const scope = scopeFor(access, options.permission);
  const allCompanyIds = scope && options.everyCompany ? (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id) : [];
  if (!scope || (options.everyCompany && !scopeCoversEveryCompany(scope, allCompanyIds))) {
    await logActivity(ctx, {
      userId: signedIn.user.id, action: "access.denied", resourceType: "route", resourceId: new URL(args.request.url).pathname,
      details: { permission: options.permission, method: args.request.method, ...(scope ? { needs: "scope all in every company" } : {}) },
      userAgent: args.request.headers.get("user-agent"),
    });
    forbidden();
  }
  return { ...signedIn, scope };
}

/** The permission codes a signed-in user holds in any company (for the navigation). */
export async function permissionCodes(args: Args, userId: number): Promise<string[]> {
  const access = await loadAccess(args.context.app, userId);
  return [...new Set(access.grants.map((g) => g.permission))].sort();
}

/** The scope a second permission gives the same user (e.g. users:manage on a users:read page), or null. */
export async function scopeOf(args: Args, userId: number, permission: string): Promise<StaffScope | null> {
  return scopeFor(await loadAccess(args.context.app, userId), permission);
}

/** Codes of the companies whose workspace the user may open (status:read), for the navigation. */
export async function workspaceCompanies(args: Args, userId: number): Promise<string[]> {
  const scope = await scopeOf(args, userId, "status:read");
  if (!scope) return [];
  const ids = scope.companies.map((c) => c.companyId);
  const rows = await args.context.app.db.select({ id: companies.id, code: companies.code }).from(companies).orderBy(asc(companies.sortOrder));
  return rows.filter((r) => ids.includes(r.id)).map((r) => r.code);
}
