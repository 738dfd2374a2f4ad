/**
 * The Cloudflare Workers host: static files come from wrangler's [assets]; everything else reaches
 * the same Remix app with an AppContext built from the Worker's bindings.
 */
import { createRequestHandler } from '@remix-run/cloudflare';
import * as build from '@remix-run/dev/server-build';
import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import { Redis } from '@upstash/redis/cloudflare';
import * as schema from '../db/schema';
import { cookieIsSecure, parseAppEnv, type AppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { clockFromEnv } from '../app/platform/clock';
import { hostStores } from '../app/platform/host-stores';
import { formatTraceparent, traceAtDoor } from '../app/platform/trace-context';
import { propagationOnly } from '../app/platform/tracing';
import { hostErrorPage } from '../app/platform/host-error-page';
import { isCrossSiteWrite } from '../app/platform/origin-check';
import { randomNonce, securityHeaders } from '../app/platform/security-headers';
import type { AppContext } from '../app/platform/context';
import { writePort } from '../app/platform/write-queue';
import { withStoreUnavailableAs503 } from '../app/web/store-unavailable.server';
import { withLimitsBesideReads } from '../app/web/limits-beside-reads.server';

type Ports = Omit<AppContext, 'requestId' | 'trace' | 'logger' | 'clientIp' | 'cspNonce' | 'state'>;

// Per isolate: the parsed env, the logger, the clock, and (only without Upstash, never in production)
// the in-memory cache and limits, which hold plain data.
let isolate: { env: AppEnv; clock: ReturnType<typeof clockFromEnv>; memoryStores?: ReturnType<typeof hostStores> } | undefined;
let rootLogger: ReturnType<typeof createLogger> | undefined;

/**
 * The request's ports. The libSQL and Upstash clients are made per request: Workers do not let one
 * request wait on I/O another request started, and these clients keep promises between calls (the
 * libSQL client's server-version probe, a pipeline), so an isolate-wide client made 99% of requests
 * fail with "the Worker's code had hung" under 50 concurrent users (decision 098). Both are plain
 * fetch wrappers: making one costs no round trip.
 */
function portsFor(bindings: Record<string, unknown>): Ports {
  if (!isolate) {
    const env: AppEnv = parseAppEnv(bindings);
    rootLogger = createLogger({ level: env.LOG_LEVEL, base: { host: 'worker' } });
    const clock = clockFromEnv(env.APP_FIXED_NOW, env.NODE_ENV);
    // Production without Upstash throws here: every request fails with that one message, never per-isolate limits.
    const memoryStores = env.UPSTASH_REDIS_REST_URL ? undefined : hostStores('worker', env, clock, undefined);
    if (memoryStores) rootLogger.warn('no Upstash configured: cache and limits are per isolate only (not allowed in production)');
    isolate = { env, clock, memoryStores };
  }
  const { env, clock, memoryStores } = isolate;
  const client = createClient({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  const db = drizzle(client, { schema });
  const stores =
    memoryStores ?? hostStores('worker', env, clock, new Redis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN!, retry: false }));
  return { db, write: writePort(db), clock, env, host: 'worker', ...stores };
}

// Loaders check their rate limit beside their reads: one Upstash round trip less per page (decision 103).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the virtual build module is untyped
const handleRemix = createRequestHandler(withStoreUnavailableAs503(withLimitsBesideReads(build as any)));

export default {
  async fetch(request: Request, bindings: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const p = portsFor(bindings);
    // Propagation only on Workers (decision 094): the ids of W3C trace context, no span export.
    const door = traceAtDoor(request.headers.get('traceparent'), p.env.TRUST_TRACEPARENT);
    const trace = propagationOnly.startSpan('request', door.parent, { role: 'server' }).context;
    const requestId = trace.traceId;
    const nonce = randomNonce();
    const url = new URL(request.url);
    const logger = rootLogger!.child({ trace_id: trace.traceId, span_id: trace.spanId });
    if (door.ignored === 'malformed') logger.info('traceparent ignored: not a valid W3C traceparent');
    const state: AppContext['state'] = {};
    let response: Response;
    if (isCrossSiteWrite(request.method, request.headers, url.origin)) {
      logger.warn('cross-site write refused', { path: url.pathname, origin: request.headers.get('origin') });
      response = new Response('Cross-site request refused.', { status: 403 });
    } else {
      const clientIp = request.headers.get('cf-connecting-ip') ?? 'unknown';
      const app: AppContext = { ...p, requestId, trace, logger, clientIp, cspNonce: nonce, state };
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- AppLoadContext is not augmented for the worker
        response = await handleRemix(request, { app } as any);
      } catch (error) {
        logger.error('unhandled host error', { error });
        response = new Response(hostErrorPage(trace.traceId), { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' } });
      }
      void ctx;
    }
    const headers = new Headers(response.headers);
    headers.set('x-request-id', requestId);
    headers.set('traceparent', formatTraceparent(trace));
    for (const [k, v] of Object.entries(securityHeaders(nonce, { https: cookieIsSecure(p.env) }))) headers.set(k, v);
    logger.info('request', {
      method: request.method,
      path: url.pathname,
      status: response.status,
      durationMs: Date.now() - started,
      route: state.route,
      user_id: state.userId,
      company_ids: state.companyIds,
    });
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
};
