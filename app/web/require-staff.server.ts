import { asc } from 'drizzle-orm';
import { redirect, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { preparedPerDatabase } from '../../db/prepared';
import { companies } from '../../db/schema';
import { loadAccess } from '../core/access/access.server';
import type { StaffScope } from '../core/access/scope.server';
import { staffAccess, type StaffAccess } from '../core/access/staff-access.server';
import { findActiveSession, type ActiveSession } from '../core/access/sessions.server';
import { findSessionWithAccess, type CompanyRow } from '../core/access/session-access.server';
import { logActivity } from '../core/audit/activity-log.server';
import type { AppContext } from '../platform/context';
import { checkLimit } from '../platform/rate-limit/check-limit';
import { retryAfterSeconds } from '../platform/rate-limit/limiter';
import type { LimitPolicyName } from '../platform/rate-limit/policies';
import { forbidden, serviceUnavailable, tooManyRequests } from './http-errors.server';
import { readSessionToken } from './session-cookie.server';
import { clearedSessionCookies, hintedUserId } from './session-hint.server';
import { deferLimitCheck, settleDeferredLimits } from './limits-beside-reads.server';

type Args = Pick<LoaderFunctionArgs, 'request' | 'context'>;

export interface SignedIn {
  user: ActiveSession['user'];
  sessionId: number;
}

export interface Staff extends SignedIn {
  /** The scope of the permission the gate checked: every query of the route takes it. */
  scope: StaffScope;
  /** Any other scope or permission question, from the access the gate loaded. */
  access: StaffAccess;
  /** Spends one more limit policy for this user (an intent that costs more, e.g. starting a sync). */
  spend(policy: LimitPolicyName): Promise<void>;
}

export interface GateOptions {
  /** The route's name in logs (ctx.state.route). */
  route: string;
  /** The rate-limit policy this loader or action spends. */
  limit: LimitPolicyName;
}

/** The session, the access and the company list are looked up once per request, even when root and route loaders both ask. */
const sessionMemo = new WeakMap<AppContext['state'], Promise<ActiveSession | null>>();
const accessMemo = new WeakMap<AppContext['state'], Promise<StaffAccess>>();
const companiesMemo = new WeakMap<AppContext['state'], Promise<CompanyRow[]>>();

/**
 * Over HTTP (sqld, Turso) every read is a round trip: the session, the access and the companies come
 * in one batch (decision 103). On the local file a read costs no trip: the session read and the
 * cached access stay as they were (decision 088).
 */
const readsInOneBatch = (ctx: AppContext) => ctx.db.$client.protocol !== 'file';

export function currentSession(args: Args): Promise<ActiveSession | null> {
  const ctx = args.context.app;
  let pending = sessionMemo.get(ctx.state);
  if (!pending) {
    const token = readSessionToken(ctx, args.request);
    pending = readsInOneBatch(ctx)
      ? findSessionWithAccess(ctx, token).then((found) => {
          if (!found) return null;
          const companies = Promise.resolve(found.companies);
          companiesMemo.set(ctx.state, companies);
          accessMemo.set(ctx.state, Promise.resolve(staffAccess(found.access, async () => (await companies).map((c) => c.id))));
          return found.session;
        })
      : findActiveSession(ctx, token);
    sessionMemo.set(ctx.state, pending);
  }
  return pending;
}

/** The company list's query, its SQL built once per database (decision 112). */
const preparedCompanies = preparedPerDatabase((db) =>
  db.select({ id: companies.id, code: companies.code, name: companies.name }).from(companies).orderBy(asc(companies.sortOrder)).prepare(),
);

/** Every company (id, code, name) in display order, read once per request (at the edge it came with the session: no trip). */
export function requestCompanies(args: Args): Promise<CompanyRow[]> {
  const ctx = args.context.app;
  let pending = companiesMemo.get(ctx.state);
  if (!pending) {
    pending = preparedCompanies(ctx.db).all();
    companiesMemo.set(ctx.state, pending);
  }
  return pending;
}

/** The signed-in user's access for this request: loaded (cache, then database) once per request. */
export function requestAccess(args: Args, userId: number): Promise<StaffAccess> {
  const ctx = args.context.app;
  let pending = accessMemo.get(ctx.state);
  if (!pending) {
    const allCompanyIds = async () => (await requestCompanies(args)).map((c) => c.id);
    pending = loadAccess(ctx, userId).then((access) => staffAccess(access, allCompanyIds));
    accessMemo.set(ctx.state, pending);
  }
  return pending;
}

/** For the layout: who is signed in, if anyone. No permission, no limit. */
export async function optionalStaff(args: Args) {
  return currentSession(args);
}

/** The limit check of the gate: 429 with the wait, or 503 when a fail-closed store is down. */
async function spendLimit(ctx: AppContext, policy: LimitPolicyName, userId: number): Promise<void> {
  const limit = await checkLimit(ctx, policy, `user:${userId}`);
  if (limit.success) return;
  if (limit.storeDown) serviceUnavailable('This action is paused while the rate limiter is unreachable. Please try again shortly.');
  ctx.logger.warn('rate limited', { policy, userId });
  tooManyRequests(retryAfterSeconds(limit, ctx.clock.now().getTime()));
}

/** The limit check for the user the request's signed hint names, started now (null: no valid hint). */
async function hintedLimit(args: Args, policy: LimitPolicyName): Promise<{ userId: number; check: Promise<void> } | null> {
  const ctx = args.context.app;
  const userId = await hintedUserId(ctx, args.request, readSessionToken(ctx, args.request)).catch(() => null);
  if (userId === null) return null;
  const check = spendLimit(ctx, policy, userId);
  check.catch(() => {}); // awaited once the session names the same user; otherwise dropped
  return { userId, check };
}

/**
 * Authenticated and within the rate limit, no permission asked: for the user's own account pages.
 * A user who must change the password is sent to that screen from everywhere else.
 */
export async function requireSignedIn(args: Args, options: GateOptions): Promise<SignedIn> {
  const ctx = args.context.app;
  ctx.state.route = options.route;
  const url = new URL(args.request.url);
  // With a valid signed user-id hint the limit check starts beside the session read (decision 109).
  const hinted = hintedLimit(args, options.limit);
  const session = await currentSession(args);
  if (!session) {
    const next = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(next)}`, {
      headers: readSessionToken(ctx, args.request) ? clearedSessionCookies(ctx).map((c): [string, string] => ['Set-Cookie', c]) : {},
    });
  }
  ctx.state.userId = session.user.id;
  if (session.user.mustChangePassword && url.pathname !== '/account/password') {
    throw redirect('/account/password');
  }
  // A loader's check goes beside its reads at the edge (limits-beside-reads.server.ts); here otherwise.
  const early = await hinted;
  const check = early?.userId === session.user.id ? early.check : spendLimit(ctx, options.limit, session.user.id);
  if (!deferLimitCheck(args, check)) await check;
  return { user: session.user, sessionId: session.sessionId };
}

/**
 * The one gate every loader and action passes: authenticates, applies the route's rate limit,
 * checks the permission and returns the user, the scope every query must take, and the request's
 * access for any other question.
 */
export async function requireStaff(
  args: Args,
  options: GateOptions & {
    /** The permission; or a list, of which the user needs one (the first held gives `scope`; e.g. the approvals screen). */
    permission: string | readonly string[];
    /** The action reaches every company's data (e.g. period initialization): the scope must be 'all' in every company. */
    everyCompany?: true;
    /** Where a user without the permission goes instead of a 403 (e.g. home → their workspace). */
    otherwise?: (access: StaffAccess) => Promise<Response>;
  },
): Promise<Staff> {
  const ctx = args.context.app;
  const signedIn = await requireSignedIn(args, options);
  const access = await requestAccess(args, signedIn.user.id);
  const asked = options.permission;
  const permission = typeof asked === 'string' ? asked : (asked.find((p) => access.can(p)) ?? asked.join(' or '));
  const scope = access.scope(permission);
  if (scope) ctx.state.companyIds = scope.companies.map((c) => c.companyId); // the request's log line
  if (!scope && options.otherwise) throw await options.otherwise(access);
  if (!scope || (options.everyCompany && !(await access.coversEveryCompany(permission)))) {
    await settleDeferredLimits(args); // a refused limit answers first, as when it was checked first
    await logActivity(ctx, {
      userId: signedIn.user.id,
      action: 'access.denied',
      resourceType: 'route',
      resourceId: new URL(args.request.url).pathname,
      details: { permission, method: args.request.method, ...(scope ? { needs: 'scope all in every company' } : {}) },
      userAgent: args.request.headers.get('user-agent'),
    });
    forbidden();
  }
  return { ...signedIn, scope, access, spend: (policy) => spendLimit(ctx, policy, signedIn.user.id) };
}

/** Codes of the companies whose workspace the user may open (status:read), for the navigation. */
export async function workspaceCompanies(args: Args, access: StaffAccess): Promise<string[]> {
  const scope = access.scope('status:read');
  if (!scope) return [];
  const ids = scope.companies.map((c) => c.companyId);
  return (await requestCompanies(args)).filter((r) => ids.includes(r.id)).map((r) => r.code);
}

/** The id of the company with this code when the scope reaches it (null: unknown or out of scope), from the request's company list. */
export async function companyInScope(args: Args, scope: StaffScope, code: string): Promise<number | null> {
  const company = (await requestCompanies(args)).find((c) => c.code === code);
  return company && scope.companies.some((c) => c.companyId === company.id) ? company.id : null;
}
