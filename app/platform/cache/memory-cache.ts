import { LRUCache } from 'lru-cache';
import type { Cache, CachePolicy } from './cache';

/** The store under the memory cache: JSON text by key, each with its TTL. The cluster's primary
 * holds one for all its workers (server/cluster-stores.ts), which send and receive the text as is. */
export function createMemoryStore(maxEntries = 5000) {
  // Each value carries a stamp, new at every set: a cluster worker that holds the text of a stamp is
  // answered "unchanged" instead of the text again (server/cluster-stores.ts).
  const lru = new LRUCache<string, { json: string; stamp: number }>({ max: maxEntries });
  let stamps = 0;
  return {
    get: (key: string) => lru.get(key)?.json,
    entry: (key: string) => lru.get(key),
    set: (key: string, json: string, ttlSeconds: number) => void lru.set(key, { json, stamp: ++stamps }, { ttl: ttlSeconds * 1000 }),
    delete: (keys: string[]) => {
      for (const key of keys) lru.delete(key);
    },
  };
}

/** In-process cache for the embedded default (one Node process). Values are stored as JSON
 * so a cached object can never be mutated by its reader. */
export function createMemoryCache(maxEntries = 5000): Cache {
  const store = createMemoryStore(maxEntries);
  return {
    kind: 'memory',
    async get<T>(key: string) {
      const raw = store.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async set<T>(key: string, value: T, policy: CachePolicy) {
      store.set(key, JSON.stringify(value), policy.ttlSeconds);
    },
    async delete(...keys: string[]) {
      store.delete(keys);
    },
    async ping() {},
  };
}
