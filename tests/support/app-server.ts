import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort } from './ports';
import { spawnNodeScript, waitForHttp, type ManagedProcess } from './processes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The fixed "today" of test data: seeds and the app's clock agree on the current period. */
export const TEST_TODAY = '2026-11-15';
export const TEST_NOW = '2026-11-15T02:00:00.000Z';

/** Migrates and seeds a database through the same script `npm start` uses. */
export function prepareDatabase(databaseUrl: string, options: { clients: number; env?: Record<string, string> }) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts/prepare-db.ts'), '--clients', String(options.clients), '--today', TEST_TODAY],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', ...options.env } },
  );
  if (r.status !== 0) throw new Error(`prepare-db failed for ${databaseUrl}:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Starts the built Node host (build/node) on 127.0.0.1; the PID held is the server's own. `cluster`:
 * the host `npm start` runs (server/cluster.ts: a primary and WEB_PROCESSES workers, one per core by
 * default), stopped through its primary.
 */
export async function startNodeApp(options: {
  databaseUrl: string;
  port?: number;
  env?: Record<string, string>;
  cluster?: boolean;
  /** How long to wait for its first answer (default 30 s; a cluster started beside other tests may need more). */
  readyTimeoutMs?: number;
}): Promise<{ url: string; process: ManagedProcess }> {
  const port = options.port ?? (await getFreePort());
  const proc = spawnNodeScript({
    name: options.cluster ? 'node-cluster' : 'node-app',
    script: path.join(root, options.cluster ? 'server/cluster.ts' : 'server/node.ts'),
    nodeArgs: ['--import', 'tsx'],
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      COOKIE_SECURE: 'false',
      APP_FIXED_NOW: TEST_NOW,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/status.json`, { process: proc, timeoutMs: options.readyTimeoutMs ?? 30_000 });
  return { url, process: proc };
}
