/**
 * The Node host (embedded default): Express serves the built assets and public/, then hands every
 * request to the Remix build with an AppContext made for that request.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express from 'express';
import compression from 'compression';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/server-runtime';
import { Redis } from '@upstash/redis';
import { openDatabase } from '../db/client';
import { exportLinkSecret, parseAppEnv, type AppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { clockFromEnv } from '../app/platform/clock';
import { hostStores } from '../app/platform/host-stores';
import { requestIdFrom } from '../app/platform/request-id';
import { isCrossSiteWrite } from '../app/platform/origin-check';
import { randomNonce, securityHeaders } from '../app/platform/security-headers';
import type { AppContext } from '../app/platform/context';
import { writePort } from '../app/platform/write-queue';
import { exportStorageFromEnv } from '../app/platform/files/node-export-storage';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface NodeServerOptions {
  port: number;
  host: string;
  env?: Record<string, string | undefined>;
}

export async function startNodeServer(options: NodeServerOptions) {
  const env: AppEnv = parseAppEnv(options.env ?? process.env);
  exportLinkSecret(env); // production without EXPORT_LINK_SECRET: fail at start, not at the first download
  const logger = createLogger({ level: env.LOG_LEVEL, base: { host: 'node' } });
  const clock = clockFromEnv(env.APP_FIXED_NOW, env.NODE_ENV);
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  const write = writePort(db);
  const redis = env.UPSTASH_REDIS_REST_URL ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN!, retry: false }) : undefined;
  const { cache, limiter } = hostStores('node', env, clock, redis);
  const exportFiles = exportStorageFromEnv(env);

  const build = (await import(pathToFileURL(path.join(root, 'build/node/index.js')).href)) as ServerBuild;
  const app = express();
  app.disable('x-powered-by');
  if (env.TRUST_PROXY) app.set('trust proxy', env.TRUST_PROXY);
  app.use(compression());

  app.use((req, res, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.get('x-request-id'));
    const nonce = randomNonce();
    res.locals.requestId = requestId;
    res.locals.nonce = nonce;
    res.locals.state = {};
    res.setHeader('x-request-id', requestId);
    for (const [k, v] of Object.entries(securityHeaders(nonce))) res.setHeader(k, v);
    res.on('finish', () => {
      const state = res.locals.state as AppContext['state'];
      logger.info('request', {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        userId: state.userId,
        route: state.route,
      });
    });
    const selfOrigin = `${req.protocol}://${req.get('host')}`;
    if (isCrossSiteWrite(req.method, new Headers(req.headers as Record<string, string>), selfOrigin)) {
      logger.warn('cross-site write refused', { requestId, path: req.path, origin: req.get('origin') });
      res.status(403).type('text/plain').send('Cross-site request refused.');
      return;
    }
    next();
  });

  app.use('/build', express.static(path.join(root, 'build/node/public/build'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }));

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req, res) => {
        const appContext: AppContext = {
          db,
          write,
          cache,
          exportFiles,
          limiter,
          clock,
          env,
          host: 'node',
          logger: logger.child({ requestId: res.locals.requestId }),
          requestId: res.locals.requestId,
          clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
          cspNonce: res.locals.nonce,
          state: res.locals.state,
        };
        return { app: appContext };
      },
    }),
  );

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
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.close();
    },
  };
}

// Run directly: `tsx server/node.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
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
