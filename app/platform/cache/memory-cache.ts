import { LRUCache } from 'lru-cache';
import type { Cache, CachePolicy } from './cache';

/** In-process cache for the embedded default (one Node process). Values are stored as JSON
 * so a cached object can never be mutated by its reader. */
export function createMemoryCache(maxEntries = 5000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries });
  return {
    kind: 'memory',
    async get<T>(key: string) {
      const raw = lru.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async set<T>(key: string, value: T, policy: CachePolicy) {
      lru.set(key, JSON.stringify(value), { ttl: policy.ttlSeconds * 1000 });
    },
    async delete(...keys: string[]) {
      for (const key of keys) lru.delete(key);
    },
    async ping() {},
  };
}
