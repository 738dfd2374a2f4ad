/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) at the door (decision 094): parse a
 * `traceparent` header strictly, make fresh ids, and decide for each request whether it continues
 * an upstream trace or starts its own. Runtime-neutral: crypto.getRandomValues exists on Node 20
 * and in workerd. The trace id is the request id: activity, audit, job and outbox rows keep it.
 */

/** A span in a trace: the ids that go into logs, rows and outbound `traceparent` headers. */
export interface TraceContext {
  /** 32 lowercase hex characters, not all zero. */
  traceId: string;
  /** 16 lowercase hex characters, not all zero: this span. */
  spanId: string;
  /** The span this one continues (an upstream's, or our own parent's), if any. */
  parentSpanId?: string;
  /** The upstream's (or our sampler's) "sampled" flag. */
  sampled: boolean;
}

/** What a valid header says: the caller's span, which becomes the parent of ours. */
export interface TraceParent {
  traceId: string;
  parentId: string;
  sampled: boolean;
}

/** Past this length a header is not looked at (version 00 is exactly 55 characters). */
export const TRACEPARENT_MAX_LENGTH = 256;

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// A later version may append fields after the flags ("-…"); its first four fields read the same.
const LATER_VERSION = /^([0-9a-e][0-9a-f]|f[0-9a-e])-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;
export const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The header's trace and parent, or null for anything not exactly valid: wrong length, upper case
 * (the spec allows lower case only), version ff, all-zero ids, more than 256 characters, or a
 * repeated header joined with commas. Never throws.
 */
export function parseTraceparent(header: string | null | undefined): TraceParent | null {
  if (typeof header !== 'string' || header.length < 55 || header.length > TRACEPARENT_MAX_LENGTH) return null;
  const v00 = VERSION_00.exec(header);
  const m = v00 ? [header, '00', v00[1], v00[2], v00[3]] : header.startsWith('00-') ? null : LATER_VERSION.exec(header);
  if (!m) return null;
  const [, , traceId, parentId, flags] = m;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return null;
  return { traceId, parentId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

// Random bytes are drawn 4 KiB at a time and each byte is used once: a span id for every traced step
// made one getRandomValues call (a system call on Node) each, ~1.4 % of a signed-in page's CPU.
const pool = new Uint8Array(4096);
let poolAt = pool.length;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function randomHex(bytes: number): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      crypto.getRandomValues(pool);
      poolAt = 0;
    }
    const start = poolAt;
    poolAt += bytes;
    let out = '';
    let zero = true;
    for (let i = start; i < start + bytes; i++) {
      out += HEX[pool[i]];
      if (pool[i] !== 0) zero = false;
    }
    if (!zero) return out;
  }
}

/** A random 16-byte trace id (32 hex), never all zero. */
export const newTraceId = () => randomHex(16);
/** A random 8-byte span id (16 hex), never all zero. */
export const newSpanId = () => randomHex(8);

/** The `traceparent` header value that makes a callee's span a child of `span`. */
export function formatTraceparent(span: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): string {
  return `00-${span.traceId}-${span.spanId}-${span.sampled ? '01' : '00'}`;
}

/** A new span under `parent` (same trace), or the first span of a new trace. */
export function childSpan(parent: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'> | null, sampled = true): TraceContext {
  if (!parent) return { traceId: newTraceId(), spanId: newSpanId(), sampled };
  return { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.spanId, sampled: parent.sampled };
}

export interface DoorTrace {
  /** The upstream span to continue, or null: the request starts a new trace. */
  parent: TraceParent | null;
  /** Why an incoming header was not continued (for a log line; the header itself is never logged). */
  ignored?: 'untrusted' | 'malformed';
}

/**
 * What a request continues: a valid header from a trusted upstream (TRUST_TRACEPARENT=true: a proxy
 * or gateway we run strips or sets it); anything else starts a new trace. An untrusted client could
 * otherwise pick the id its actions are filed under, or join someone else's trace.
 */
export function traceAtDoor(header: string | null | undefined, trustUpstream: boolean): DoorTrace {
  if (header === null || header === undefined || header === '') return { parent: null };
  if (!trustUpstream) return { parent: null, ignored: 'untrusted' };
  const parent = parseTraceparent(header);
  return parent ? { parent } : { parent: null, ignored: 'malformed' };
}

/** A trace id as a person reads it out: the first 8 hex characters. */
export function shortReference(traceId: string): string {
  return traceId.slice(0, 8);
}

/** The trace id inside a stored `traceparent` (job_queue.trace_parent), or null. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  return parseTraceparent(traceparent)?.traceId ?? null;
}
