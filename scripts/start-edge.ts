// `npm run start:edge`: the Workers build under `wrangler dev` against the real sqld and the local
// Upstash REST endpoint over redis-server, all on 127.0.0.1 (docs/local-edge-stack.md).
// Builds the Worker if needed, seeds a fresh database (--clients N, default 20000), prints the URL
// and the demo logins. PORT (default 8787) is the Worker's port. Ctrl-C stops every process by PID.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEdgeStack, WORKER_BUILD, type EdgeStack } from '../tests/support/edge-stack';
import { stopAllProcesses } from '../tests/support/processes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { clients: { type: 'string', default: '20000' } } });
const clients = Number(values.clients);
const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(clients) || clients < 0) fail(`--clients must be a whole number, got "${values.clients}"`);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);

function fail(message: string): never {
  console.error(`[start:edge] ${message}`);
  process.exit(1);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const stale = () => Math.max(newestMtime(path.join(root, 'app')), newestMtime(path.join(root, 'server'))) > statSync(WORKER_BUILD).mtimeMs;
if (!existsSync(WORKER_BUILD) || stale()) {
  console.log('[start:edge] building the Worker…');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'worker'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let stack: EdgeStack | undefined;
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start:edge] stopping…');
  await stack?.stop();
  await stopAllProcesses(); // anything still starting when Ctrl-C came
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  stack = await startEdgeStack({
    port,
    clients,
    clock: 'real', // like `npm start`: data seeded for the real today, and the real clock
    env: { NODE_ENV: 'development', LOG_LEVEL: 'info' },
    onStep: (m) => console.log(`[start:edge] ${m}`),
  });
} catch (error) {
  console.error(`[start:edge] could not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // Ctrl-C came while starting; stop() exits

console.log(`
  Client Updater (Workers build, wrangler dev) is running at ${stack.url}
  Demo logins (password: demo-pass-2026):
    admin@demo.test            admin, both companies
    area.ncr@demo.test         area manager, NCR
    branch.mnla01@demo.test    branch officer, MNLA01
    tele.fcash@demo.test       FCASH tele agent
    viewer@demo.test           viewer
  Status: ${stack.url}/status    Worker log: ${stack.logFile}
  libSQL (sqld): ${stack.sqldUrl}    Upstash REST: ${stack.upstashUrl}
  Stop: Ctrl-C
`);
