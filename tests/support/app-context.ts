// A real AppContext for calling route loaders/actions in-process, on a real libSQL test database.
// Only the process-level adapters are the in-process ones (memory cache and limiter): never a mock.
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { users } from '../../db/schema';
import { startSession } from '../../app/core/access/sessions.server';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import type { Cache } from '../../app/platform/cache/cache';
import type { ExportFileReader } from '../../app/platform/files/export-storage';
import type { Clock } from '../../app/platform/clock';
import type { AppContext } from '../../app/platform/context';
import { parseAppEnv } from '../../app/platform/env';
import { writePort } from '../../app/platform/write-queue';
import { createLogger } from '../../app/platform/logger';
import { childSpan } from '../../app/platform/trace-context';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import type { RateLimiter } from '../../app/platform/rate-limit/limiter';
import { sessionCookieName } from '../../app/web/session-cookie.server';
import { TEST_NOW } from './app-server';

export const TEST_ORIGIN = 'http://localhost';

/** A clock the test moves by hand: "now" never comes from the wall. */
export interface TestClock extends Clock {
  advance(ms: number): void;
  set(at: Date | string): void;
}

export function testClock(at: Date | string = TEST_NOW): TestClock {
  let ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new Error(`testClock: not a date: ${String(at)}`);
  return {
    now: () => new Date(ms),
    advance: (by) => {
      ms += by;
    },
    set: (to) => {
      ms = new Date(to).getTime();
    },
  };
}

export interface TestAppContext extends AppContext {
  clock: TestClock;
  /** Every JSON line the logger wrote, in order (assert that no secret is ever among them). */
  logLines: string[];
}

/**
 * A real AppContext: the given database, the in-process cache and limiter adapters, a logger that
 * collects lines, and a fixed clock at TEST_NOW. `env` goes through the real env parser.
 */
export function testContext(options: {
  db: AppDatabase;
  clock?: TestClock;
  env?: Record<string, string>;
  limiter?: RateLimiter;
  cache?: Cache;
  exportFiles?: ExportFileReader;
}): TestAppContext {
  const env = parseAppEnv({ NODE_ENV: 'test', ...options.env });
  const clock = options.clock ?? testClock();
  const logLines: string[] = [];
  const trace = childSpan(null);
  return {
    db: options.db,
    write: writePort(options.db),
    cache: options.cache ?? createMemoryCache(),
    exportFiles: options.exportFiles,
    limiter: options.limiter ?? createMemoryLimiter(clock, env.RATE_LIMITS),
    clock,
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    env,
    requestId: trace.traceId,
    trace,
    host: 'node',
    clientIp: '127.0.0.1',
    cspNonce: 'dGVzdC1ub25jZQ==',
    state: {},
    logLines,
  };
}

/** The same shared adapters, with what a host makes fresh per request (request id, state). */
export function perRequest(ctx: TestAppContext, overrides: Partial<Pick<AppContext, 'clientIp'>> = {}): TestAppContext {
  const trace = childSpan(null);
  return { ...ctx, ...overrides, requestId: trace.traceId, trace, state: {} };
}

export async function userIdByEmail(db: AppDatabase, email: string): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!row) throw new Error(`no user ${email} in the test database`);
  return row.id;
}

export function absoluteUrl(url: string): string {
  return new URL(url, TEST_ORIGIN).href;
}

/** Starts a real session (as login does) and returns its cookie token and header. */
export async function startTestSession(ctx: TestAppContext, email: string) {
  const userId = await userIdByEmail(ctx.db, email);
  const { token } = await startSession(perRequest(ctx), userId, { userAgent: 'vitest' });
  return { userId, token, cookie: `${sessionCookieName(ctx)}=${token}` };
}

export function requestWithCookie(cookie: string, url: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  return new Request(absoluteUrl(url), { ...init, headers });
}

/** A request from a signed-in demo user: a session is started for them and its cookie attached. */
export async function signedInRequest(ctx: TestAppContext, email: string, url: string, init: RequestInit = {}): Promise<Request> {
  const { cookie } = await startTestSession(ctx, email);
  return requestWithCookie(cookie, url, init);
}

/** A POST with an urlencoded form body, as a browser submits a <Form method="post">. */
export function formInit(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

export interface RouteAnswer<T = any> {
  status: number;
  headers: Headers;
  data: T;
}

type RouteFunction = (args: { request: Request; params: Record<string, string | undefined>; context: any }) => unknown;

/**
 * Calls a route's exported loader/action as Remix would, with a fresh per-request context, and
 * turns a returned or thrown Response (404, 403, 429, redirects) into { status, headers, data }.
 * Anything else thrown (a 500 in production) is rethrown so the test fails.
 */
export async function callRoute<T = any>(
  fn: RouteFunction,
  ctx: TestAppContext,
  request: Request,
  params: Record<string, string | undefined> = {},
): Promise<RouteAnswer<T>> {
  let outcome: unknown;
  try {
    outcome = await fn({ request, params, context: { app: perRequest(ctx) } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    outcome = thrown;
  }
  if (!(outcome instanceof Response)) return { status: 200, headers: new Headers(), data: outcome as T };
  const type = outcome.headers.get('content-type') ?? '';
  const text = await outcome.text();
  const data = type.includes('json') && text ? JSON.parse(text) : text || null;
  return { status: outcome.status, headers: outcome.headers, data };
}
