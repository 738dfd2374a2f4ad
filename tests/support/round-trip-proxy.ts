import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A counting (and optionally delaying) HTTP proxy at the Worker's process boundary: one listener in
// front of sqld and one in front of the Upstash REST endpoint, sharing one log of request intervals.
// It forwards bytes as they are (the real libSQL and Upstash clients run unchanged) and records when
// each request arrived and when its answer was sent, so the sequential round trips of one page can
// be counted: requests that overlap (Promise.all, one pipeline) are one step, a request that starts
// after another ended is the next step.

export type Upstream = 'libsql' | 'upstash';

export interface RoundTrip {
  upstream: Upstream;
  path: string;
  /** The SQL (first 60 characters of each statement) or the Redis commands it carried, for failure messages. */
  what: string;
  start: number;
  /** Infinity while the answer is not sent yet. */
  end: number;
}

export interface RoundTripProxies {
  libsqlUrl: string;
  upstashUrl: string;
  /** Milliseconds added before each request is forwarded (a round trip's latency). */
  delayMs: number;
  /** Forgets what was recorded (call before the request to measure). */
  reset(): void;
  /** What was recorded since the last reset, in arrival order. */
  trips(): RoundTrip[];
  stop(): Promise<void>;
}

/** The longest chain of round trips where each starts after the previous one ended: the sequential steps. */
export function sequentialSteps(trips: RoundTrip[]): number {
  const sorted = [...trips].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let longest = 0;
  sorted.forEach((trip, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= trip.start) before = Math.max(before, depth[j]);
    depth[i] = before + 1;
    longest = Math.max(longest, depth[i]);
  });
  return longest;
}

export async function startRoundTripProxies(targets: { libsql: string; upstash: string }, options: { delayMs?: number } = {}): Promise<RoundTripProxies> {
  let log: RoundTrip[] = [];
  const state = { delayMs: options.delayMs ?? 0 };
  const now = () => performance.now();
  const servers = await Promise.all(
    (['libsql', 'upstash'] as const).map((upstream) => listen(new URL(targets[upstream]), upstream, (trip) => log.push(trip), state, now)),
  );
  return {
    libsqlUrl: servers[0].url,
    upstashUrl: servers[1].url,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    reset: () => {
      log = [];
    },
    trips: () => log.map((t) => ({ ...t })),
    stop: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

function listen(target: URL, upstream: Upstream, record: (trip: RoundTrip) => void, state: { delayMs: number }, now: () => number) {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const trip: RoundTrip = { upstream, path: req.url ?? '/', what: '', start: now(), end: Infinity };
    record(trip);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      trip.what = describeBody(upstream, Buffer.concat(chunks).toString('utf8'));
      setTimeout(() => {
        const headers = { ...req.headers, host: target.host };
        const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', (error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`round-trip proxy: ${error.message}`);
        });
        out.end(Buffer.concat(chunks));
      }, state.delayMs);
    });
    res.on('finish', () => {
      trip.end = now();
    });
  });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The statements of a Hrana pipeline (JSON) or the commands of an Upstash request, shortened. */
function describeBody(upstream: Upstream, body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (upstream === 'upstash') {
      const commands = Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[][]) : [parsed as unknown[]];
      return commands.map((c) => c.slice(0, 2).join(' ').slice(0, 60)).join(' | ');
    }
    const requests = (parsed as { requests?: Array<{ stmt?: { sql?: string }; batch?: { steps: Array<{ stmt: { sql?: string } }> } }> }).requests ?? [];
    const sqls = requests.flatMap((r) => (r.stmt ? [r.stmt.sql] : (r.batch?.steps.map((s) => s.stmt.sql) ?? [])));
    return sqls.map((q) => (q ?? '?').replace(/\s+/g, ' ').slice(0, 60)).join(' | ');
  } catch {
    return `${body.length} bytes`;
  }
}
