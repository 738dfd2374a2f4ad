// Spans for the ports a request spends its time in (decision 094, addendum): a write transaction on a
// real libSQL file, the in-process cache and limiter, recorded by the OpenTelemetry SDK into memory.
// What an operator reads in a trace: which call, under which request, whether it failed; never a key.
import { afterEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { cachePolicies } from '../../app/platform/cache/cache';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import { childSpan } from '../../app/platform/trace-context';
import { tracedPorts } from '../../app/platform/traced-ports';
import { otelTracing } from '../../app/platform/tracing';
import { writePort } from '../../app/platform/write-queue';
import { createTestDb, type TestDb } from '../support/db';
import { testClock } from '../support/app-context';
import { sqlRows } from '../support/sql';

let testDb: TestDb | undefined;
afterEach(async () => {
  await testDb?.close();
  testDb = undefined;
});

async function setup() {
  testDb = await createTestDb({ seeded: false });
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const request = childSpan(null);
  const ports = tracedPorts(
    { write: writePort(testDb.db), cache: createMemoryCache(), limiter: createMemoryLimiter(testClock(), 'loginUser=1/60') },
    otelTracing(provider.getTracer('test')),
    request,
  );
  const spans = () =>
    exporter.getFinishedSpans().map((s) => ({
      name: s.name,
      traceId: s.spanContext().traceId,
      parent: s.parentSpanContext?.spanId,
      error: s.status.code === 2,
      attributes: s.attributes,
    }));
  return { ports, request, spans, db: testDb };
}

describe('traced ports', () => {
  it('a write transaction, a cache miss then hit, and a limiter check are spans of the request', async () => {
    const { ports, request, spans, db } = await setup();
    await ports.write((tx) => tx.run('CREATE TABLE notes (body TEXT)'));
    expect(await ports.cache.get('access:42')).toBeUndefined();
    await ports.cache.set('access:42', { ok: true }, cachePolicies.access);
    expect(await ports.cache.get('access:42')).toEqual({ ok: true });
    expect((await ports.limiter.limit('loginUser', 'someone@example.test')).success).toBe(true);
    expect((await ports.limiter.limit('loginUser', 'someone@example.test')).success).toBe(false);

    expect(await sqlRows(db.client, "SELECT name FROM sqlite_master WHERE name = 'notes'")).toHaveLength(1);
    const seen = spans();
    expect(seen.map((s) => s.name)).toEqual(['db write transaction', 'cache get', 'cache set', 'cache get', 'rate limit loginUser', 'rate limit loginUser']);
    for (const s of seen) expect(s).toMatchObject({ traceId: request.traceId, parent: request.spanId, error: false });
    expect(seen.filter((s) => s.name === 'cache get').map((s) => s.attributes['cache.hit'])).toEqual([false, true]);
    expect(seen[1].attributes['cache.key_prefix']).toBe('access');
    expect(seen.filter((s) => s.name === 'rate limit loginUser').map((s) => s.attributes['ratelimit.allowed'])).toEqual([true, false]);
    expect(JSON.stringify(seen)).not.toContain('someone@example.test'); // the limiter key (an email) is never in a span
    // The cache key's user id is never recorded: look in what the spans record (names, attributes),
    // not in the random hex trace and span ids, which contain "42" about one run in four.
    expect(JSON.stringify(seen.map((s) => [s.name, s.attributes]))).not.toContain('42');
  });

  it('a failed write transaction is a failed span; the error reaches the caller and nothing is written', async () => {
    const { ports, spans, db } = await setup();
    await ports.write((tx) => tx.run('CREATE TABLE notes (body TEXT NOT NULL)'));
    const failing = ports.write(async (tx) => {
      await tx.run("INSERT INTO notes (body) VALUES ('kept?')");
      await tx.run('INSERT INTO notes (body) VALUES (NULL)');
    });
    await expect(failing).rejects.toThrow(/Failed query: INSERT INTO notes \(body\) VALUES \(NULL\)/); // Drizzle's error, unchanged
    expect(await sqlRows(db.client, 'SELECT body FROM notes')).toEqual([]);
    expect(spans().map((s) => [s.name, s.error])).toEqual([
      ['db write transaction', false],
      ['db write transaction', true],
    ]);
  });
});
