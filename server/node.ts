/**
 * The Node host (embedded default): Express serves the built assets and public/, then hands every
 * request to the Remix build with an AppContext made for that request.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express from 'express';
import compression from 'compression';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/server-runtime';
import { Redis } from '@upstash/redis';
import { openDatabase } from '../db/client';
import { cookieIsSecure, exportLinkSecret, parseAppEnv, type AppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { clockFromEnv } from '../app/platform/clock';
import { hostStores } from '../app/platform/host-stores';
import { traceAtDoor, formatTraceparent, type TraceContext } from '../app/platform/trace-context';
import { tracingSetup } from '../app/platform/otel-export.server';
import { hostErrorPage } from '../app/platform/host-error-page';
import { isCrossSiteWrite } from '../app/platform/origin-check';
import { randomNonce, securityHeaders } from '../app/platform/security-headers';
import type { AppContext } from '../app/platform/context';
import { shareFileWriteTurn, writePort } from '../app/platform/write-queue';
import { tracedPorts } from '../app/platform/traced-ports';
import { exportStorageFromEnv } from '../app/platform/files/node-export-storage';
import { withStoreUnavailableAs503 } from '../app/web/store-unavailable.server';
import { connectToPrimaryStores } from './cluster-stores';
import { connectToPrimaryWriteTurn } from './cluster-write-turn';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface NodeServerOptions {
  port: number;
  host: string;
  env?: Record<string, string | undefined>;
  /** Where log lines go (default: stdout); tests collect them. */
  writeLog?: (line: string) => void;
  /**
   * A cluster worker (server/cluster.ts) on the embedded default: the cache and the limiter are the
   * primary's, asked over IPC (decision 106). Upstash, when configured, is used directly regardless.
   */
  storesFromPrimary?: boolean;
  /**
   * A cluster worker on a local database file: its writes also hold the cluster's write turn, which
   * the primary grants (server/cluster-write-turn.ts, decision 121).
   */
  writeTurnFromPrimary?: boolean;
}

/**
 * Tests only (NODE_ENV=test): every ctx.write transaction stays open `holdMs` longer before it commits,
 * holding the file's write lock while its event loop is free: the cluster test's long transaction.
 */
function testWriteHold(write: AppContext['write'], holdMs: number): AppContext['write'] {
  if (!(holdMs > 0)) return write;
  return (work, config) =>
    write(async (tx) => {
      const result = await work(tx);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      return result;
    }, config);
}

export async function startNodeServer(options: NodeServerOptions) {
  const env: AppEnv = parseAppEnv(options.env ?? process.env);
  exportLinkSecret(env); // production without EXPORT_LINK_SECRET: fail at start, not at the first download
  // A cluster worker's lines name its process: two workers write to one stdout.
  const logger = createLogger({
    level: env.LOG_LEVEL,
    base: cluster.isWorker ? { host: 'node', pid: process.pid } : { host: 'node' },
    write: options.writeLog,
  });
  const clock = clockFromEnv(env.APP_FIXED_NOW, env.NODE_ENV);
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  if (options.writeTurnFromPrimary && client.protocol === 'file') shareFileWriteTurn(connectToPrimaryWriteTurn());
  const write = testWriteHold(writePort(db), env.NODE_ENV === 'test' ? Number((options.env ?? process.env).CU_TEST_WRITE_HOLD_MS ?? 0) : 0);
  const redis = env.UPSTASH_REDIS_REST_URL ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN!, retry: false }) : undefined;
  const { cache, limiter } =
    options.storesFromPrimary && !redis ? connectToPrimaryStores({ rateLimits: env.RATE_LIMITS }) : hostStores('node', env, clock, redis);
  // Tests only: which worker answered (the cluster tests show that both did). Never in production.
  const workerPidHeader = env.NODE_ENV === 'test' && cluster.isWorker ? String(process.pid) : null;
  const telemetry = tracingSetup({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, ratio: env.OTEL_TRACES_SAMPLER_ARG, serviceName: 'client-updater-web' });
  const { tracing } = telemetry;
  const exportFiles = exportStorageFromEnv(env);

  // A locked or unreachable database answers 503 with Retry-After, never 500 (issue 14, "Faults").
  const build = withStoreUnavailableAs503((await import(pathToFileURL(path.join(root, 'build/node/index.js')).href)) as ServerBuild);
  const app = express();
  app.disable('x-powered-by');
  if (env.TRUST_PROXY) app.set('trust proxy', env.TRUST_PROXY);
  // Brotli (what browsers ask for) at quality 3, not the package's 4: half the CPU on our pages for
  // 3 to 6 % more bytes (decision 112: users 55.8 kB -> 8.2 kB at 4, 8.5 kB at 3). gzip stays at 6.
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3 } } }));

  app.use((req, res, next) => {
    const started = performance.now();
    // The trace at the door (decision 094): a trusted upstream's traceparent is continued, anything
    // else starts a new trace. The header itself is never logged.
    const door = traceAtDoor(req.get('traceparent'), env.TRUST_TRACEPARENT);
    const span = tracing.startSpan(`${req.method} ${req.path.startsWith('/build/') ? '/build' : 'request'}`, door.parent, {
      role: 'server',
      attributes: { 'http.request.method': req.method },
    });
    const trace: TraceContext = span.context;
    const nonce = randomNonce();
    const requestLogger = logger.child({ trace_id: trace.traceId, span_id: trace.spanId });
    res.locals.trace = trace;
    res.locals.logger = requestLogger;
    res.locals.nonce = nonce;
    res.locals.state = {};
    res.setHeader('x-request-id', trace.traceId);
    if (workerPidHeader) res.setHeader('x-worker-pid', workerPidHeader);
    res.setHeader('traceparent', formatTraceparent(trace));
    for (const [k, v] of Object.entries(securityHeaders(nonce, { https: cookieIsSecure(env) }))) res.setHeader(k, v);
    if (door.ignored === 'malformed') requestLogger.info('traceparent ignored: not a valid W3C traceparent');
    res.on('finish', () => {
      const state = res.locals.state as AppContext['state'];
      const durationMs = Math.round(performance.now() - started);
      span.setAttributes({ 'http.response.status_code': res.statusCode, ...(state.route ? { 'http.route': state.route } : {}) });
      if (res.statusCode >= 500) span.fail();
      span.end();
      requestLogger.info('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs,
        route: state.route,
        user_id: state.userId,
        company_ids: state.companyIds,
      });
    });
    const selfOrigin = `${req.protocol}://${req.get('host')}`;
    if (isCrossSiteWrite(req.method, new Headers(req.headers as Record<string, string>), selfOrigin)) {
      requestLogger.warn('cross-site write refused', { path: req.path, origin: req.get('origin') });
      res.status(403).type('text/plain').send('Cross-site request refused.');
      return;
    }
    next();
  });

  app.use('/build', express.static(path.join(root, 'build/node/public/build'), { immutable: true, maxAge: '1y' }));
  // public/ holds files only (favicon.svg): a path without an extension never stats the disk, which
  // every page request did before reaching Remix (issue 13 item 3).
  const publicFiles = express.static(path.join(root, 'public'), { maxAge: '1h' });
  app.use((req, res, next) => (path.posix.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.all(
    '*',
    createRequestHandler({
      build,
      // Development mode serialises an unexpected error's message and stack into the page's data:
      // only `npm run dev`-style development gets it; tests see what production serves (decision 094).
      mode: env.NODE_ENV === 'development' ? 'development' : 'production',
      getLoadContext: (req, res) => {
        const trace = res.locals.trace as TraceContext;
        // Spans for writes, cache and limiter calls only when spans are recorded (decision 094).
        const ports = tracing.kind === 'otel' ? tracedPorts({ write, cache, limiter }, tracing, trace) : { write, cache, limiter };
        const appContext: AppContext = {
          db,
          ...ports,
          exportFiles,
          clock,
          env,
          host: 'node',
          logger: res.locals.logger,
          requestId: trace.traceId,
          trace,
          clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
          cspNonce: res.locals.nonce,
          state: res.locals.state,
        };
        return { app: appContext };
      },
    }),
  );

  // An error Express meets before or after Remix. A 4xx of its own (a path that is not valid
  // percent-encoding makes its router's decodeURIComponent throw: issue 19 item 6) answers a plain
  // line; anything else is a 500 page with the reference (decision 094). Never a stack: Express's own
  // handler would print it into the page outside production and onto stderr in it. One JSON log line.
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const declared = Number((error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode);
    const status = declared >= 400 && declared < 500 ? declared : 500;
    const trace = res.locals.trace as TraceContext | undefined;
    if (status === 500) ((res.locals.logger as typeof logger | undefined) ?? logger).error('unhandled host error', { path: req.path, error });
    if (res.headersSent) return void res.end();
    if (status < 500) {
      res
        .status(status)
        .type('text/plain')
        .send(status === 400 ? 'That address could not be read.' : 'That request was refused.');
      return;
    }
    res
      .status(500)
      .type('html')
      .send(hostErrorPage(trace?.traceId ?? null));
  });

  const server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info('web app listening', { url: `http://${options.host}:${port}`, cache: cache.kind, limiter: limiter.kind });
  return {
    url: `http://${options.host}:${port}`,
    /** Sends the spans recorded so far (OTLP export on); for tests. */
    flushSpans: () => telemetry.flush(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await telemetry.shutdown();
      client.close();
    },
  };
}

// Run directly: `tsx server/node.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Unset means production, also for React and Remix, which read process.env.NODE_ENV themselves
  // (the build is imported after this line).
  process.env.NODE_ENV ??= 'production';
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  startNodeServer({ port, host }).then(
    (s) => {
      const stop = () => s.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
