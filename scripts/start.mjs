// `npm start`: the whole system on the embedded default (libSQL file, in-process cache and limits).
// Builds if needed, migrates and seeds an empty database, starts the web app and the Node service,
// prints the URL and demo logins. Ctrl-C stops both. This launcher is the demo (issue 14 item 8):
// only here are demo data seeded and the NextBank and Snowflake fakes started; the web app and the
// service themselves run in production mode (Remix, React, cookies, bcrypt floor) over plain http
// on 127.0.0.1. Set NODE_ENV=production to seed reference data only (no demo logins).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PORT: process.env.PORT ?? '3000',
  HOST: process.env.HOST ?? '127.0.0.1',
  DATABASE_URL: process.env.DATABASE_URL ?? 'file:data/app.db',
  NODE_ENV: process.env.NODE_ENV ?? 'production',
};
// Plain http on a loopback address for the demo; anything else sits behind TLS and keeps Secure cookies.
if (['127.0.0.1', 'localhost', '::1'].includes(env.HOST)) env.COOKIE_SECURE ??= 'false';
// Export download links are signed (decision 093); production requires a key: one per run for the demo.
env.EXPORT_LINK_SECRET ??= randomBytes(32).toString('hex');
// Demo data only when NODE_ENV was not set to production by hand.
const seedEnv = { ...env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
const tsx = ['--import', 'tsx'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildFile = path.join(root, 'build/node/index.js');
if (!existsSync(buildFile) || newestMtime(path.join(root, 'app')) > statSync(buildFile).mtimeMs) {
  console.log('[start] building the app…');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'node'], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const prep = spawnSync(process.execPath, [...tsx, path.join(root, 'scripts/prepare-db.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: seedEnv,
});
if (prep.status !== 0) process.exit(prep.status ?? 1);

const children = [];

/**
 * Starts a loopback fake (fakes/<name>/cli.ts) and resolves with the URL it prints when ready.
 * The demo needs no cloud account: the service talks to these unless the real endpoints are set.
 */
function startFake(name, args, extraEnv = {}) {
  const child = spawn(process.execPath, [...tsx, path.join(root, `fakes/${name}/cli.ts`), '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...env, ...extraEnv },
  });
  children.push([`${name} fake`, child]);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.includes('"url"'));
      if (!line) return;
      child.stdout.off('data', onData);
      child.stdout.resume(); // keep draining its request log
      resolve(JSON.parse(line).url);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} fake exited with ${code} before it was ready`)));
  });
}

// The service's integrations: the real ones when configured, otherwise the fakes (demo data only).
const serviceEnv = { ...env };
process.on('unhandledRejection', (error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  for (const [, child] of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
if (!env.NEXTBANK_URL) {
  const username = 'client-updater';
  const password = 'demo-nextbank-password';
  const url = await startFake('nextbank', ['--quiet'], { NEXTBANK_USERNAME: username, NEXTBANK_PASSWORD: password });
  Object.assign(serviceEnv, { NEXTBANK_URL: url, NEXTBANK_USERNAME: username, NEXTBANK_PASSWORD: password });
  console.log(`[start] NextBank fake at ${url} (set NEXTBANK_URL for the real one)`);
}
if (!env.SNOWFLAKE_ACCOUNT && !env.SNOWFLAKE_ACCESS_URL) {
  const account = 'CU_DEMO';
  const username = 'CLIENT_UPDATER_SVC';
  // Key-pair authentication, as production requires: the fake creates a demo key once and registers its public half.
  const keyPath = path.join(root, 'data', 'snowflake-demo-key.p8');
  const keyEnv = { SNOWFLAKE_ACCOUNT: account, SNOWFLAKE_USERNAME: username, SNOWFLAKE_PRIVATE_KEY_PATH: keyPath };
  // The warehouse's first rows are the seeded demo clients (same generator, seed and day).
  const url = await startFake(
    'snowflake',
    ['--rows', process.env.SNOWFLAKE_FAKE_ROWS ?? '20000', '--account', account, '--username', username, '--create-demo-key'],
    keyEnv,
  );
  Object.assign(serviceEnv, { ...keyEnv, SNOWFLAKE_ACCESS_URL: url, SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE_JWT' });
  console.log(`[start] Snowflake fake at ${url} (set SNOWFLAKE_ACCOUNT and the key-pair variables for the real one)`);
}

// The web app (server/cluster.ts): one process per core, on the embedded file too (decision 121: the
// primary grants the workers one write turn), or as WEB_PROCESSES says (decision 106; the primary
// also holds the cache and limits).
children.push(['web', spawn(process.execPath, [...tsx, path.join(root, 'server/cluster.ts')], { cwd: root, stdio: 'inherit', env })]);
children.push(['service', spawn(process.execPath, [...tsx, path.join(root, 'service/main.ts')], { cwd: root, stdio: 'inherit', env: serviceEnv })]);

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const [, child] of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map(([, c]) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}
for (const [name, child] of children) {
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`[start] ${name} exited with ${code}; stopping`);
      stop(code ?? 1);
    }
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const url = `http://${env.HOST}:${env.PORT}`;
// Print the banner once the web app answers, so the URL printed is one that works.
async function announceWhenReady() {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const r = await fetch(`${url}/status.json`, { signal: AbortSignal.timeout(1000) });
      await r.body?.cancel();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (stopping) return;
  console.log(`
  Client Updater is running at ${url}
  Demo logins (password: demo-pass-2026):
    admin@demo.test            admin, both companies
    area.ncr@demo.test         area manager, NCR
    branch.mnla01@demo.test    branch officer, MNLA01
    tele.fcash@demo.test       FCASH tele agent
    viewer@demo.test           viewer
  Status: ${url}/status    Stop: Ctrl-C
`);
}
announceWhenReady();
