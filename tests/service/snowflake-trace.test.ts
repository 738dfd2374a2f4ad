// The Snowflake sync carries the trace that queued it (decision 094): snowflake-sdk has no header
// hook, so the traceparent travels as QUERY_TAG, in the login's session parameters and in the source
// query's parameters. The loopback fake records both as it received them over the SDK's protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { childSpan, parseTraceparent } from '../../app/platform/trace-context';
import { otelTracing } from '../../app/platform/tracing';
import { createTestDb, type TestDb } from '../support/db';
import { startSyncHarness, type SyncHarness } from '../support/snowflake';
import { sqlRows } from '../support/sql';

let testDb: TestDb | undefined;
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  await testDb?.close();
  harness = undefined;
  testDb = undefined;
});

/** The traceparent inside a QUERY_TAG as the fake received it (the tag is JSON). */
const traceparentIn = (tag: string | null | undefined) => parseTraceparent((JSON.parse(tag ?? 'null') as { traceparent?: string } | null)?.traceparent);

describe('Snowflake sync: trace context through QUERY_TAG', () => {
  it("a sync queued by a request tags its Snowflake session and query with a child span of that request's trace", async () => {
    testDb = await createTestDb();
    harness = await startSyncHarness(testDb.db);
    const request = childSpan(null); // the admin's /admin/sync request
    const { outcome, job } = await harness.runSync({ mode: 'full', dryRun: true, trace: request });
    expect(outcome).toBe('done');

    const [attempt] = await sqlRows(testDb.client, 'SELECT trace_id, span_id FROM job_attempts WHERE job_id = ?', [job.id]);
    expect(attempt.trace_id).toBe(request.traceId);
    const login = traceparentIn(harness.fake.loginQueryTags.at(-1));
    const query = traceparentIn(harness.fake.statements.at(-1)?.queryTag);
    expect(login, `login tag: ${harness.fake.loginQueryTags.at(-1)}`).toMatchObject({ traceId: request.traceId });
    expect(query).toEqual(login); // one client span from the login to the last row
    expect(query!.parentId).not.toBe(attempt.span_id); // its own span, a child of the attempt
    expect(query!.parentId).not.toBe(request.spanId);
  });

  it('a sync with no trace (a scheduled tick before decision 094) still tags the query with its attempt’s own trace', async () => {
    testDb = await createTestDb();
    harness = await startSyncHarness(testDb.db);
    const { outcome, job } = await harness.runSync({ mode: 'full', dryRun: true, manual: false });
    expect(outcome).toBe('done');
    const [attempt] = await sqlRows(testDb.client, 'SELECT trace_id FROM job_attempts WHERE job_id = ?', [job.id]);
    expect(traceparentIn(harness.fake.statements.at(-1)?.queryTag)).toMatchObject({ traceId: attempt.trace_id });
  });

  it('with spans recorded, the Snowflake call is a client span of the attempt and the tag names that span', async () => {
    testDb = await createTestDb();
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    harness = await startSyncHarness(testDb.db, { tracing: otelTracing(provider.getTracer('test')) });
    const request = childSpan(null);
    expect((await harness.runSync({ mode: 'full', dryRun: true, trace: request })).outcome).toBe('done');

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === request.traceId);
    const attempt = spans.find((s) => s.name === 'job sync attempt');
    const query = spans.find((s) => s.name === 'Snowflake source query');
    expect(attempt?.parentSpanContext?.spanId).toBe(request.spanId);
    expect(query?.parentSpanContext?.spanId).toBe(attempt!.spanContext().spanId);
    expect(query).toMatchObject({ kind: 2 /* CLIENT */, status: { code: 0 } });
    expect(query!.attributes['db.response.returned_rows']).toBeGreaterThan(0);
    expect(traceparentIn(harness.fake.statements.at(-1)?.queryTag)?.parentId).toBe(query!.spanContext().spanId);
  });
});
