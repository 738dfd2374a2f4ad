// The built Node host in this test process for the fuzz suite's URL side (issue 19 item 6), as
// tests/support/node-host.ts starts it, but as production runs it (NODE_ENV=production: Remix in
// production mode, so what a body may hold is what ships; the real clock, bcrypt cost 10) and at
// LOG_LEVEL info (each request's JSON line is written), with every line the process writes captured
// while a request is answered.
import { startNodeServer } from '../../server/node';
import { createTestDb, type TestDb } from './db';
import { ensureNodeBuild } from './node-build';
import { startOnFreePort } from './ports';

export interface FuzzHost {
  url: string;
  db: TestDb;
  stop(): Promise<void>;
}

export async function startFuzzHost(): Promise<FuzzHost> {
  ensureNodeBuild();
  const db = await createTestDb();
  const server = await startOnFreePort(undefined, (port) =>
    startNodeServer({
      port,
      host: '127.0.0.1',
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        COOKIE_SECURE: 'false',
        LOG_LEVEL: 'info',
        EXPORT_LINK_SECRET: 'fuzz-host-export-link-secret-0123456789',
      },
    }),
  );
  return {
    url: server.url,
    db,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

/** Everything written to stdout/stderr (console.* or direct writes), in order, while `run` runs. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T; written: string[] }> {
  const written: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const text = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  for (const m of methods)
    console[m] = (...args: unknown[]) =>
      void written.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? String(a)) : JSON.stringify(a))).join(' '));
  process.stdout.write = ((chunk: unknown) => (written.push(text(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (written.push(text(chunk)), true)) as typeof process.stderr.write;
  try {
    return { result: await run(), written };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i] as never));
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
