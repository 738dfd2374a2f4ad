/**
 * Spans through OpenTelemetry's API (decision 094). Runtime-neutral: only @opentelemetry/api.
 * `propagationOnly` (Workers, and Node without OTEL_EXPORTER_OTLP_ENDPOINT) makes the ids itself
 * and records nothing; `otelTracing(tracer)` starts real spans under an explicit parent, so a
 * request span, a job attempt and a NextBank call hang together without a context manager.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { childSpan, newSpanId, type TraceContext, type TraceParent } from './trace-context';

export type SpanRole = 'server' | 'client' | 'internal' | 'consumer';

export interface SpanHandle {
  /** This span's ids (what logs, rows and outbound headers carry). */
  readonly context: TraceContext;
  setAttributes(attributes: Attributes): void;
  /** Marks the span failed (the exporter keeps a failed span whatever the sampling said). */
  fail(error?: unknown): void;
  end(): void;
}

export interface Tracing {
  readonly kind: 'propagation' | 'otel';
  /**
   * A span under `parent` (our own TraceContext, or a TraceParent read from a header or a job row);
   * with no parent, the first span of a new trace.
   */
  startSpan(name: string, parent: TraceContext | TraceParent | null, options?: { role?: SpanRole; attributes?: Attributes }): SpanHandle;
}

const parentSpanIdOf = (p: TraceContext | TraceParent) => ('parentId' in p ? p.parentId : p.spanId);

/** Ids only: nothing recorded, nothing exported; the cost is a few random bytes per span. */
export const propagationOnly: Tracing = {
  kind: 'propagation',
  startSpan(_name, parent) {
    const context: TraceContext = parent
      ? { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parentSpanIdOf(parent), sampled: parent.sampled }
      : childSpan(null);
    return { context, setAttributes() {}, fail() {}, end() {} };
  },
};

const KINDS: Record<SpanRole, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  consumer: SpanKind.CONSUMER,
};

/** Real spans from an OpenTelemetry tracer (the SDK's sampler decides what is recorded). */
export function otelTracing(tracer: Tracer): Tracing {
  return {
    kind: 'otel',
    startSpan(name, parent, options = {}) {
      const parentContext = parent
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: parent.traceId,
            spanId: parentSpanIdOf(parent),
            traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
            isRemote: true,
          })
        : ROOT_CONTEXT;
      const span: Span = tracer.startSpan(name, { kind: KINDS[options.role ?? 'internal'], attributes: options.attributes }, parentContext);
      const sc = span.spanContext();
      // A tracer that records nothing hands back the parent's ids (or zeros): make our own then.
      const own = sc.spanId && !/^0+$/.test(sc.spanId) && sc.spanId !== (parent ? parentSpanIdOf(parent) : '');
      const context: TraceContext = own
        ? {
            traceId: sc.traceId,
            spanId: sc.spanId,
            ...(parent ? { parentSpanId: parentSpanIdOf(parent) } : {}),
            sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
          }
        : propagationOnly.startSpan(name, parent).context;
      return {
        context,
        setAttributes: (attributes) => void span.setAttributes(attributes),
        fail(error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : undefined });
          if (error instanceof Error) span.recordException({ name: error.name, message: error.message });
        },
        end: () => span.end(),
      };
    },
  };
}
