import type { ServerBuild } from '@remix-run/server-runtime';
import type { AppContext } from '../platform/context';
import { serviceUnavailable } from './http-errors.server';

/**
 * The database could not be reached or stayed locked (issue 14, "Faults"): the file locked by another
 * writer past the busy timeout (SQLITE_BUSY / SQLITE_LOCKED), or the libSQL server (sqld, Turso)
 * not answering, or a cluster worker not granted the write turn in time (decision 121). Nothing was
 * written (the transaction did not commit, or never began), so the person gets a 503 with
 * Retry-After and the friendly page, not a 500: the same request works once the store is back.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (
      /^SQLITE_(BUSY|LOCKED)/.test(code) ||
      code === 'CU_WRITE_TURN_UNAVAILABLE' ||
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET' ||
      code === 'UND_ERR_SOCKET'
    )
      return true;
    const message = String((e as { message?: unknown }).message ?? '');
    // @libsql/client/web over HTTP: fetch's own failure (workerd and undici word it differently).
    if (code === 'SERVER_ERROR' || code === 'HRANA_WEBSOCKET_ERROR' || /fetch failed|Network connection lost|connection refused/i.test(message)) return true;
  }
  return false;
}

const RETRY_AFTER_SECONDS = 5;

/** What the person reads: a form learns that nothing was saved; a page that only showed something is not told about saving. */
export function unavailableMessage(method: string): string {
  const reading = method === 'GET' || method === 'HEAD';
  return `The database is busy or out of reach for a moment. ${reading ? 'Please' : 'Nothing was saved; please'} try again shortly.`;
}

type DataFunction = (args: { context: unknown; request: Request }) => unknown;

function answering503(fn: DataFunction): DataFunction {
  return async (args) => {
    try {
      return await fn(args);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      const app = (args.context as { app?: AppContext } | undefined)?.app;
      const code = (error as { code?: unknown }).code;
      app?.logger.error('database unavailable: answered 503', { path: new URL(args.request.url).pathname, code: typeof code === 'string' ? code : undefined });
      return serviceUnavailable(unavailableMessage(args.request.method), RETRY_AFTER_SECONDS);
    }
  };
}

/** The build with every loader and action answering 503 when the database is unavailable (both hosts use it). */
export function withStoreUnavailableAs503(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown>;
    for (const name of ['loader', 'action'] as const) {
      if (typeof module[name] === 'function') module[name] = answering503(module[name] as DataFunction);
    }
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  return { ...build, routes };
}
