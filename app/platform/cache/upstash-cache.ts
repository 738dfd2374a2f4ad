import type { Redis } from '@upstash/redis';
import type { Cache, CachePolicy } from './cache';

/** Upstash Redis cache; the host passes the Redis client made for its runtime. */
export function createUpstashCache(redis: Redis, prefix = 'cache:'): Cache {
  return {
    kind: 'upstash',
    async get<T>(key: string) {
      const raw = await redis.get<string>(prefix + key);
      if (raw === null || raw === undefined) return undefined;
      return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;
    },
    async set<T>(key: string, value: T, policy: CachePolicy) {
      await redis.set(prefix + key, JSON.stringify(value), { ex: policy.ttlSeconds });
    },
    async delete(...keys: string[]) {
      if (keys.length) await redis.del(...keys.map((k) => prefix + k));
    },
    async ping() {
      await redis.ping();
    },
  };
}
