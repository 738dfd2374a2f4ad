import type { ServerBuild } from '@remix-run/server-runtime';

/**
 * A loader's rate-limit check runs beside its reads instead of before them (decision 103): at the
 * edge the check is a round trip to Upstash that needs the session's user, so waiting for it before
 * the route's reads costs one sequential step per page. The loader's answer (data or a thrown
 * response) is held until the check is back; a refused check replaces it with the 429 (or 503), as
 * when it ran first. Only loaders, which read: an action checks its limit before any write.
 */
const pendingByCall = new WeakMap<object, Array<Promise<void>>>();

/** For the gate: holds the check for the loader call `args` belongs to; false when it must be awaited now. */
export function deferLimitCheck(args: object, check: Promise<void>): boolean {
  const pending = pendingByCall.get(args);
  if (!pending) return false;
  check.catch(() => {}); // awaited by the wrapper; this only marks it handled meanwhile
  pending.push(check);
  return true;
}

/** Waits for the checks deferred so far in this loader call (before anything the limit must precede). */
export async function settleDeferredLimits(args: object): Promise<void> {
  await Promise.all(pendingByCall.get(args) ?? []);
}

type DataFunction = (args: { context: unknown; request: Request }) => unknown;

function holdingForLimits(loader: DataFunction): DataFunction {
  return async (args) => {
    pendingByCall.set(args, []);
    let answer: unknown;
    try {
      answer = await loader(args);
    } catch (error) {
      await settleDeferredLimits(args);
      throw error;
    }
    await settleDeferredLimits(args);
    return answer;
  };
}

/** The build with every loader's limit check beside its reads (the Workers host uses it). */
export function withLimitsBesideReads(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown>;
    if (typeof module.loader === 'function') module.loader = holdingForLimits(module.loader as DataFunction);
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  return { ...build, routes };
}
