/**
 * OpenTelemetry export for the Node hosts only (server/node.ts and the service; never imported by
 * the Workers build, which propagates only: decision 094). With an OTLP/HTTP endpoint, spans are
 * recorded by the SDK and exported as OTLP JSON to `<endpoint>/v1/traces`; without one,
 * `propagationOnly` makes ids and nothing else.
 *
 * Sampling: parent-based with a ratio for new traces. A trace the ratio left out is still recorded
 * in memory for a short while, so that a failed span keeps its trace: when a span of that trace
 * ends in error, its buffered spans and every later one of the trace are exported too.
 */
import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { otelTracing, propagationOnly, type Tracing } from './tracing';

export interface TracingSetup {
  tracing: Tracing;
  /** Sends what is buffered (tests, and before exit). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Records every span; the ratio only decides the sampled flag (what is exported unless it fails). */
class RecordAlways implements Sampler {
  constructor(private readonly inner: Sampler) {}
  shouldSample(...args: Parameters<Sampler['shouldSample']>) {
    const result = this.inner.shouldSample(...args);
    return result.decision === SamplingDecision.NOT_RECORD ? { ...result, decision: SamplingDecision.RECORD } : result;
  }
  toString() {
    return `RecordAlways{${this.inner.toString()}}`;
  }
}

const MAX_HELD_SPANS = 2_000;
const HOLD_MS = 60_000;

/** Batches sampled spans (and every span of a trace that failed) to the exporter. */
export class KeepFailedTracesProcessor implements SpanProcessor {
  private batch: ReadableSpan[] = [];
  private held = new Map<string, { at: number; spans: ReadableSpan[] }>();
  private heldCount = 0;
  private kept = new Map<string, number>();
  private timer: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly exporter: SpanExporter,
    private readonly flushMs = 1_000,
  ) {
    this.timer = setInterval(() => void this.forceFlush(), flushMs);
    this.timer.unref();
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const { traceId, traceFlags } = span.spanContext();
    const now = Date.now();
    if ((traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED || this.kept.has(traceId)) return void this.batch.push(span);
    if (span.status.code === SpanStatusCode.ERROR) {
      this.kept.set(traceId, now);
      const earlier = this.held.get(traceId);
      if (earlier) {
        this.batch.push(...earlier.spans);
        this.heldCount -= earlier.spans.length;
        this.held.delete(traceId);
      }
      this.batch.push(span);
      this.prune(now);
      return;
    }
    const entry = this.held.get(traceId) ?? { at: now, spans: [] };
    entry.spans.push(span);
    this.held.set(traceId, entry);
    this.heldCount++;
    this.prune(now);
  }

  private prune(now: number) {
    for (const [id, entry] of this.held) {
      if (this.heldCount <= MAX_HELD_SPANS && now - entry.at < HOLD_MS) break;
      this.held.delete(id);
      this.heldCount -= entry.spans.length;
    }
    for (const [id, at] of this.kept) {
      if (this.kept.size <= MAX_HELD_SPANS && now - at < HOLD_MS) break;
      this.kept.delete(id);
    }
  }

  forceFlush(): Promise<void> {
    const spans = this.batch;
    this.batch = [];
    if (spans.length > 0) {
      this.sending = this.sending.then(() => new Promise<void>((resolve) => this.exporter.export(spans, () => resolve())));
    }
    return this.sending;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.forceFlush();
    await this.exporter.shutdown();
  }
}

export function tracingSetup(options: { endpoint?: string; ratio?: number; serviceName: string }): TracingSetup {
  if (!options.endpoint) return { tracing: propagationOnly, flush: async () => {}, shutdown: async () => {} };
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const processor = new KeepFailedTracesProcessor(exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: new RecordAlways(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.ratio ?? 1) })),
    spanProcessors: [processor],
  });
  return {
    tracing: otelTracing(provider.getTracer('client-updater')),
    flush: () => processor.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
