// A loopback OTLP/HTTP receiver: records every POST /v1/traces body (the exporter sends OTLP JSON)
// and answers 200 {}; `spans()` flattens what arrived into one list with hex ids.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  statusCode: number;
  /** Attribute values by key (string, int, bool or double values as JS values). */
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  url: string;
  posts: number;
  spans(): ReceivedSpan[];
  stop(): Promise<void>;
}

type OtlpJson = {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        kind?: number;
        status?: { code?: number };
        attributes?: Array<{ key: string; value: Record<string, unknown> }>;
      }>;
    }>;
  }>;
};

/** An OTLP JSON AnyValue as a JS value (intValue comes as a string or a number). */
function valueOf(v: Record<string, unknown>): unknown {
  if ('intValue' in v) return Number(v.intValue);
  return v.stringValue ?? v.boolValue ?? v.doubleValue ?? null;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: OtlpJson[] = [];
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        posts++;
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          bodies.push(JSON.parse(text) as OtlpJson);
        } catch {
          bodies.push({}); // protobuf: counted, not decoded
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get posts() {
      return posts;
    },
    spans: () =>
      bodies.flatMap((b) =>
        (b.resourceSpans ?? []).flatMap((rs) => {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          return (rs.scopeSpans ?? []).flatMap((ss) =>
            (ss.spans ?? []).map((s) => ({
              service,
              name: s.name,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              kind: s.kind ?? 0,
              statusCode: s.status?.code ?? 0,
              attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
            })),
          );
        }),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
