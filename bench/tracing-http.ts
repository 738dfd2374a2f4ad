// What tracing costs a request (issue 17, decision 094): req/s on /clients through the built Node host
// in production mode, signed in as the admin, in three settings measured in one run, interleaved
// round by round so that the machine's drift hits each alike:
//   off          no OpenTelemetry SDK (OTEL_EXPORTER_OTLP_ENDPOINT unset): W3C ids at the door only
//   on, no export the SDK records every span (ratio 0: none sampled, held 60 s in case one fails),
//                exporter pointed at the loopback receiver, which must receive nothing
//   on, export   the SDK records and exports every span (ratio 1) to the loopback OTLP/HTTP receiver
// Load: autocannon (`npx -y autocannon@8.0.0`, its own process, like Lighthouse in pages.ts).
//   node --import tsx bench/tracing-http.ts [--clients 3000 --seconds 8 --rounds 3 --connections 4]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startNodeServer } from '../server/node';
import { ensureNodeBuild } from '../tests/support/node-build';
import { prepareDatabase } from '../tests/support/app-server';
import { startOtlpReceiver } from '../tests/support/otlp-receiver';
import { AUTOCANNON, autocannon, signIn, type AutocannonRun } from './http-client';
import { table } from './stats';

const opts = z
  .object({
    clients: z.coerce.number().int().min(100).default(3000),
    seconds: z.coerce.number().int().min(2).max(60).default(8),
    rounds: z.coerce.number().int().min(1).max(10).default(3),
    connections: z.coerce.number().int().min(1).max(64).default(4),
  })
  .parse(
    parseArgs({ options: { clients: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' } } }).values,
  );

type Mode = 'off' | 'on, no export' | 'on, export';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** One autocannon run on /clients as the signed-in admin (autocannon's own errors shown). */
const load = (url: string, cookie: string, seconds: number) =>
  autocannon(`${url}/clients`, { cookie, seconds, connections: opts.connections, stderr: 'inherit' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  ensureNodeBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tracing-'));
  const databaseUrl = `file:${path.join(dir, 'app.db')}`;
  prepareDatabase(databaseUrl, { clients: opts.clients });
  const receiver = await startOtlpReceiver();
  const base: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    EXPORT_LINK_SECRET: 'bench-tracing-export-link-secret-0123456789',
    DATABASE_URL: databaseUrl,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'error',
    RATE_LIMITS: 'read=100000000/60',
  };
  delete base.OTEL_EXPORTER_OTLP_ENDPOINT;
  const settings: Record<Mode, Record<string, string>> = {
    off: {},
    'on, no export': { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: '0' },
    'on, export': { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: '1' },
  };
  const modes = Object.keys(settings) as Mode[];
  const servers = new Map<Mode, Awaited<ReturnType<typeof startNodeServer>>>();
  const results = new Map<Mode, AutocannonRun[]>(modes.map((m) => [m, []]));
  const posts = new Map<Mode, number>();
  try {
    for (const mode of modes) servers.set(mode, await startNodeServer({ port: 0, host: '127.0.0.1', env: { ...base, ...settings[mode] } }));
    const cookies = new Map<Mode, string>();
    for (const mode of modes) cookies.set(mode, await signIn(servers.get(mode)!.url, 'admin@demo.test', 'tracing'));
    for (const mode of modes) await load(servers.get(mode)!.url, cookies.get(mode)!, 2); // warm-up
    await sleep(3_000);
    for (let round = 0; round < opts.rounds; round++) {
      // A different order each round: no setting always runs first or last.
      const order = modes.map((_, i) => modes[(i + round) % modes.length]);
      for (const mode of order) {
        await servers.get(mode)!.flushSpans();
        const before = receiver.posts;
        const r = await load(servers.get(mode)!.url, cookies.get(mode)!, opts.seconds);
        await sleep(3_000); // the requests autocannon left in flight finish before the next setting's run
        await servers.get(mode)!.flushSpans();
        posts.set(mode, (posts.get(mode) ?? 0) + receiver.posts - before);
        if (r.non2xx || r.errors) throw new Error(`bench tracing: ${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        results.get(mode)!.push(r);
        console.error(`  round ${round + 1} ${mode}: ${r.rps.toFixed(1)} req/s p50 ${r.p50} ms`);
      }
    }
  } finally {
    for (const server of servers.values()) await server.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const offRuns = results.get('off')!;
  const off = median(offRuns.map((r) => r.rps));
  // Paired by round (the runs of one round are seconds apart): the machine's drift between rounds cancels out.
  const vsOff = (mode: Mode) => median(results.get(mode)!.map((r, i) => r.rps / offRuns[i].rps - 1)) * 100;
  const rows = modes.map((mode) => {
    const rs = results.get(mode)!;
    const rps = median(rs.map((r) => r.rps));
    return [
      mode,
      rs.map((r) => r.rps.toFixed(1)).join(' / '),
      rps.toFixed(1),
      `${(((rps - off) / off) * 100).toFixed(1)} %`,
      mode === 'off' ? '—' : `${vsOff(mode).toFixed(1)} %`,
      String(median(rs.map((r) => r.p50))),
      String(median(rs.map((r) => r.p99))),
      String(posts.get(mode) ?? 0),
    ];
  });
  console.log(
    [
      `### Tracing on /clients (issue 17, decision 094)`,
      '',
      `\`node --import tsx bench/tracing-http.ts --clients ${opts.clients} --seconds ${opts.seconds} --rounds ${opts.rounds} --connections ${opts.connections}\`: ` +
        `the built Node host in production mode on ${opts.clients} demo clients, admin's /clients (first page), ${AUTOCANNON} with ${opts.connections} connections, ` +
        `${opts.seconds} s a run, the three settings interleaved over ${opts.rounds} rounds in one process; median of the rounds.`,
      '',
      table(['tracing', 'req/s per round', 'req/s (median)', 'medians vs off', 'same-round vs off (median)', 'p50 ms', 'p99 ms', 'OTLP posts received'], rows),
    ].join('\n'),
  );
}

await main();
