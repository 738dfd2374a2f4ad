// W3C traceparent at the door (decision 094): strict parsing, fresh ids, trust, and the reference.
import { describe, expect, it } from 'vitest';
import {
  childSpan,
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  shortReference,
  traceAtDoor,
  traceIdOf,
} from '../../app/platform/trace-context';
import { propagationOnly } from '../../app/platform/tracing';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;

describe('parseTraceparent', () => {
  it('reads a valid version-00 header: trace, parent and the sampled flag', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: true });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: false });
  });

  it('reads a later version by its first four fields, extra fields allowed', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-what-the-future-adds`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: true });
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello'],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['short parent id', `00-${TRACE}-${PARENT.slice(1)}-01`],
    ['non-hex', `00-${TRACE.replace('4', 'g')}-${PARENT}-01`],
    ['extra fields on version 00', `${VALID}-extra`],
    ['two headers joined', `${VALID},${VALID}`],
    ['leading space', ` ${VALID}`],
    ['missing flags', `00-${TRACE}-${PARENT}`],
    ['wrong separators', `00_${TRACE}_${PARENT}_01`],
  ])('refuses a malformed header: %s', (_label, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('refuses all-zero trace and parent ids', () => {
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${PARENT}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE}-${'0'.repeat(16)}-01`)).toBeNull();
  });

  it('refuses version ff (forbidden by the spec)', () => {
    expect(parseTraceparent(`ff-${TRACE}-${PARENT}-01`)).toBeNull();
  });

  it('refuses upper case (the spec allows lower-case hex only)', () => {
    expect(parseTraceparent(VALID.toUpperCase())).toBeNull();
    expect(parseTraceparent(`00-${TRACE.toUpperCase()}-${PARENT}-01`)).toBeNull();
  });

  it('refuses an oversize header, even one that starts well', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-${'a'.repeat(300)}`)).toBeNull();
    expect(parseTraceparent('x'.repeat(100_000))).toBeNull();
  });

  it('never throws on what is not a string', () => {
    expect(parseTraceparent(null)).toBeNull();
    expect(parseTraceparent(undefined)).toBeNull();
  });
});

describe('fresh ids', () => {
  it('makes 16-byte trace ids and 8-byte span ids in lower-case hex, each new', () => {
    const traces = new Set(Array.from({ length: 50 }, newTraceId));
    const spans = new Set(Array.from({ length: 50 }, newSpanId));
    expect(traces.size).toBe(50);
    expect(spans.size).toBe(50);
    for (const t of traces) expect(t).toMatch(/^[0-9a-f]{32}$/);
    for (const s of spans) expect(s).toMatch(/^[0-9a-f]{16}$/);
  });

  it('stays new across many draws of the random pool (4 KiB a draw, each byte used once)', () => {
    // 20,000 span ids and 5,000 trace ids take 240 kB of random bytes: ~60 refills of the pool.
    const spans = Array.from({ length: 20_000 }, newSpanId);
    const traces = Array.from({ length: 5_000 }, newTraceId);
    expect(new Set(spans).size).toBe(spans.length);
    expect(new Set(traces).size).toBe(traces.length);
    for (const s of spans) expect(s).toMatch(/^(?!0{16}$)[0-9a-f]{16}$/);
    for (const t of traces) expect(t).toMatch(/^(?!0{32}$)[0-9a-f]{32}$/);
    // Every hex digit shows up in every position: the bytes are not reused or stuck.
    for (let i = 0; i < 16; i++) expect(new Set(spans.map((s) => s[i])).size).toBe(16);
  });

  it('formats a span as a header that parses back to it', () => {
    const span = childSpan(null);
    expect(parseTraceparent(formatTraceparent(span))).toEqual({ traceId: span.traceId, parentId: span.spanId, sampled: true });
    expect(traceIdOf(formatTraceparent(span))).toBe(span.traceId);
  });

  it('a child span keeps the trace and names its parent', () => {
    const parent = childSpan(null);
    const child = childSpan(parent);
    expect(child).toMatchObject({ traceId: parent.traceId, parentSpanId: parent.spanId });
    expect(child.spanId).not.toBe(parent.spanId);
  });
});

describe('traceAtDoor', () => {
  it('continues a valid header only from a trusted upstream', () => {
    expect(traceAtDoor(VALID, true)).toEqual({ parent: { traceId: TRACE, parentId: PARENT, sampled: true } });
    expect(traceAtDoor(VALID, false)).toEqual({ parent: null, ignored: 'untrusted' });
  });

  it('starts a new trace for a bad header, even when trusting, and says why without the header', () => {
    for (const bad of ['nonsense', `00-${'0'.repeat(32)}-${PARENT}-01`, 'x'.repeat(5000), VALID.toUpperCase()]) {
      const door = traceAtDoor(bad, true);
      expect(door).toEqual({ parent: null, ignored: 'malformed' });
      expect(JSON.stringify(door)).not.toContain(bad.slice(0, 20));
    }
    expect(traceAtDoor(null, true)).toEqual({ parent: null });
  });

  it('the server span of a continued trace is a child of the upstream span', () => {
    const span = propagationOnly.startSpan('request', traceAtDoor(VALID, true).parent).context;
    expect(span).toMatchObject({ traceId: TRACE, parentSpanId: PARENT, sampled: true });
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanId).not.toBe(PARENT);
  });
});

it('a reference is the first 8 hex characters of the trace id', () => {
  expect(shortReference(TRACE)).toBe('4bf92f35');
});

describe('span export setting', () => {
  it('without OTEL_EXPORTER_OTLP_ENDPOINT nothing is recorded or exported: ids only', async () => {
    const { tracingSetup } = await import('../../app/platform/otel-export.server');
    const setup = tracingSetup({ serviceName: 'test' });
    expect(setup.tracing.kind).toBe('propagation');
    expect(setup.tracing).toBe(propagationOnly);
  });
});
