// Which cache and rate limiter each host runs with (decision 080, addendum): Upstash when it is
// configured; otherwise the in-process adapters on Node, but a production Worker refuses to start
// rather than keep per-isolate limits.
import { Redis } from '@upstash/redis';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../app/platform/clock';
import { parseAppEnv } from '../../app/platform/env';
import { hostStores } from '../../app/platform/host-stores';

const env = (NODE_ENV: string) => parseAppEnv({ NODE_ENV });
// Constructing the client opens no connection; these tests never send a command.
const redis = () => new Redis({ url: 'http://127.0.0.1:9', token: 'unused', retry: false });
const kinds = (stores: ReturnType<typeof hostStores>) => [stores.cache.kind, stores.limiter.kind];

describe('hostStores', () => {
  it('a production Worker without Upstash refuses to start, naming the missing variables', () => {
    expect(() => hostStores('worker', env('production'), systemClock, undefined)).toThrow(
      /Refusing to start: the Workers host needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN in production/,
    );
  });

  it('a production Worker with Upstash uses it for cache and limits', () => {
    expect(kinds(hostStores('worker', env('production'), systemClock, redis()))).toEqual(['upstash', 'upstash']);
  });

  it('outside production a Worker may run without Upstash (local wrangler dev), per isolate', () => {
    expect(kinds(hostStores('worker', env('development'), systemClock, undefined))).toEqual(['memory', 'memory']);
    expect(kinds(hostStores('worker', env('test'), systemClock, undefined))).toEqual(['memory', 'memory']);
  });

  it('the Node host keeps its in-process adapters in production (the embedded default), Upstash when set', () => {
    expect(kinds(hostStores('node', env('production'), systemClock, undefined))).toEqual(['memory', 'memory']);
    expect(kinds(hostStores('node', env('production'), systemClock, redis()))).toEqual(['upstash', 'upstash']);
  });
});
