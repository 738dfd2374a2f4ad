/**
 * Spans where a request's time goes besides rendering (decision 094, addendum): each write
 * transaction (with its wait for this process's write turn), each cache call and each rate-limit
 * check, as children of the request's server span. A host wraps its ports with these only when it
 * records spans (`tracing.kind === 'otel'`): with no exporter configured the ports are the plain
 * ones and cost nothing. Keys never go into a span: a limiter key can be an email.
 */
import type { Attributes } from '@opentelemetry/api';
import type { AppContext } from './context';
import type { Cache } from './cache/cache';
import type { RateLimiter } from './rate-limit/limiter';
import type { TraceContext } from './trace-context';
import type { Tracing } from './tracing';

type Ports = Pick<AppContext, 'write' | 'cache' | 'limiter'>;

async function inSpan<T>(
  tracing: Tracing,
  parent: TraceContext,
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  after?: (value: T) => Attributes,
) {
  const span = tracing.startSpan(name, parent, { role: 'client', attributes });
  try {
    const value = await work();
    if (after) span.setAttributes(after(value));
    return value;
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}

/** The part of a cache key before its first ':' (the key's kind, never its user or client). */
const prefixOf = (key: string) => key.split(':', 1)[0].slice(0, 40);

export function tracedPorts(ports: Ports, tracing: Tracing, parent: TraceContext): Ports {
  const { cache, limiter, write } = ports;
  const db = { 'db.system': 'sqlite' };
  const tracedCache: Cache = {
    kind: cache.kind,
    get: <T>(key: string) =>
      inSpan(
        tracing,
        parent,
        'cache get',
        { 'cache.kind': cache.kind, 'cache.key_prefix': prefixOf(key) },
        () => cache.get<T>(key),
        (v) => ({ 'cache.hit': v !== undefined }),
      ),
    set: (key, value, policy) =>
      inSpan(tracing, parent, 'cache set', { 'cache.kind': cache.kind, 'cache.key_prefix': prefixOf(key) }, () => cache.set(key, value, policy)),
    delete: (...keys) => inSpan(tracing, parent, 'cache delete', { 'cache.kind': cache.kind, 'cache.keys': keys.length }, () => cache.delete(...keys)),
    ping: () => cache.ping(),
  };
  const tracedLimiter: RateLimiter = {
    kind: limiter.kind,
    policies: limiter.policies,
    limit: (policy, key) =>
      inSpan(
        tracing,
        parent,
        `rate limit ${policy}`,
        { 'ratelimit.kind': limiter.kind, 'ratelimit.policy': policy },
        () => limiter.limit(policy, key),
        (r) => ({
          'ratelimit.allowed': r.success,
        }),
      ),
  };
  const tracedWrite: AppContext['write'] = (work, config) => inSpan(tracing, parent, 'db write transaction', db, () => write(work, config));
  return { cache: tracedCache, limiter: tracedLimiter, write: tracedWrite };
}
