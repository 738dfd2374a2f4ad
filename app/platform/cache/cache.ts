/**
 * The cache port. Values are JSON-serialisable. TTLs come from named policies, never loose numbers.
 */
export interface Cache {
  /** primary: the memory cache held by the cluster's primary, asked over IPC (decision 106). */
  readonly kind: 'memory' | 'upstash' | 'primary';
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, policy: CachePolicy): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Round trip to the store, for /status. Throws when unreachable. */
  ping(): Promise<void>;
}

/** Named TTLs (seconds), as Hydrogen names its cache policies. */
export const cachePolicies = {
  statusPage: { ttlSeconds: 5 },
  access: { ttlSeconds: 60 },
  dashboard: { ttlSeconds: 120 },
  lookups: { ttlSeconds: 300 },
  filterOptions: { ttlSeconds: 300 },
  /** Live branches and areas for option lists; their writes delete the key (app/core/org/live-branches.server.ts, live-areas.server.ts). */
  branchList: { ttlSeconds: 300 },
  settings: { ttlSeconds: 60 },
  /** Generation counters that name the current version of derived caches (dashboards). */
  generation: { ttlSeconds: 86_400 },
} as const;

export type CachePolicy = (typeof cachePolicies)[keyof typeof cachePolicies];

/** Reads through the cache: returns the cached value or computes, stores and returns it. */
export async function cached<T>(cache: Cache, key: string, policy: CachePolicy, compute: () => Promise<T>): Promise<T> {
  const hit = await cache.get<T>(key).catch(() => undefined);
  if (hit !== undefined) return hit;
  const value = await compute();
  await cache.set(key, value, policy).catch(() => undefined);
  return value;
}
