import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOnFreePort } from './ports';
import { spawnLogged, waitForPort, waitUntil, type ManagedProcess } from './processes';
import { RedisConnection } from './upstash-rest/redis-connection';

// A throwaway redis-server on 127.0.0.1. Not daemonized, so the PID we hold is the
// server's own and stop() really stops it. No persistence: nothing lands in the repo.

export interface StartedRedis {
  port: number;
  url: string;
  pid: number;
  logFile: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

export function findRedisServer(): string {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  const candidates = fromEnv ? [fromEnv] : (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'redis-server'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* try the next one */
    }
  }
  throw new Error(`redis-server was not found on PATH. Install it with: ${REDIS_INSTALL_HINT}`);
}

export async function startRedis(options: { port?: number; timeoutMs?: number } = {}): Promise<StartedRedis> {
  const bin = findRedisServer();
  return startOnFreePort(options.port, async (port) => {
    const proc = spawnLogged({
      name: `redis-${port}`,
      command: bin,
      // --dir: if anything ever does get written, it goes to tmp, not the cwd.
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', os.tmpdir()],
    });
    try {
      const timeoutMs = options.timeoutMs ?? 15_000;
      await waitForPort(port, { process: proc, timeoutMs });
      await waitUntil(`PONG from redis on port ${port}`, () => answersPing(port), { process: proc, timeoutMs });
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return { port, url: `redis://127.0.0.1:${port}`, pid: proc.pid, logFile: proc.logFile, process: proc, stop: () => proc.stop() };
  });
}

async function answersPing(port: number): Promise<boolean> {
  try {
    const connection = await RedisConnection.open({ host: '127.0.0.1', port });
    try {
      const [reply] = await connection.send([['PING']]);
      return reply === 'PONG';
    } finally {
      connection.close();
    }
  } catch {
    return false;
  }
}
