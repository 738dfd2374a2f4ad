/**
 * The Node host as one process per core (issue 13 item 3, decision 106); `npm start` runs this.
 * On a local database file too (decision 121): the primary grants one write turn to the workers
 * (server/cluster-write-turn.ts), so no worker waits for SQLite's lock inside native code, which
 * stalled its event loop when two wrote at once (decision 116). The primary forks WEB_PROCESSES
 * workers that share the port (node:cluster hands connections out round-robin), starts a new one
 * when one dies (back-off, logged), and stops them all on SIGTERM or SIGINT. On the embedded
 * default it holds the one memory cache and the one memory limiter, which the workers ask over IPC
 * (server/cluster-stores.ts); with Upstash configured the workers use Upstash directly.
 * WEB_PROCESSES=1 runs today's single process.
 *   node --import tsx server/cluster.ts   (PORT, HOST and the app's variables as server/node.ts)
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { clockFromEnv } from '../app/platform/clock';
import { parseAppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { isFileUrl } from '../db/client';
import { createPrimaryStores } from './cluster-stores';
import { createPrimaryWriteTurn } from './cluster-write-turn';
import { startNodeServer } from './node';

const webProcessesSchema = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(64).optional());

/**
 * WEB_PROCESSES: 1 to 64. Unset: one per core the process may use, whatever the database: on a local
 * file the primary's write turn orders the workers' writes (decision 121, which lifts decision 116's
 * one process there), a database server (sqld, Turso) orders them itself.
 */
export function webProcessCount(raw: string | undefined, cores = availableParallelism()): number {
  const parsed = webProcessesSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid environment:\n  WEB_PROCESSES: must be a whole number from 1 to 64, got "${raw}"`);
  return parsed.data ?? cores;
}

/** A worker that dies is replaced after a pause that doubles while it keeps dying young. */
export const RESTART_BACKOFF = { firstMs: 100, maxMs: 10_000, healthyAfterMs: 30_000 } as const;
/** How long SIGTERM waits for the workers to finish their requests before SIGKILL. */
const STOP_GRACE_MS = 10_000;

function runPrimary(count: number) {
  const env = parseAppEnv(process.env); // a bad variable fails here once, not in every worker in a loop
  const logger = createLogger({ level: env.LOG_LEVEL, base: { host: 'node', role: 'primary', pid: process.pid } });
  const stores = env.UPSTASH_REDIS_REST_URL ? null : createPrimaryStores(clockFromEnv(env.APP_FIXED_NOW, env.NODE_ENV), env.RATE_LIMITS);
  // On a local file the workers write only while holding the one turn held here (decision 121).
  const writeTurn = isFileUrl(env.DATABASE_URL) ? createPrimaryWriteTurn() : null;
  let stopping = false;
  let anyListened = false;
  let announced = false;
  const listening = new Set<number>();
  const restartTimers = new Set<NodeJS.Timeout>();
  /** Per slot: when its current worker started and the pause before the next restart. */
  const slots = Array.from({ length: count }, () => ({ startedAt: 0, nextDelayMs: RESTART_BACKOFF.firstMs as number }));

  function fork(slot: number) {
    const worker = cluster.fork({ CU_WEB_WORKER_SLOT: String(slot) });
    slots[slot].startedAt = Date.now();
    stores?.serve(worker);
    writeTurn?.serve(worker);
    worker.once('listening', (address) => {
      anyListened = true;
      listening.add(worker.id);
      if (!announced && listening.size === count) {
        announced = true;
        const url = `http://${process.env.HOST ?? '127.0.0.1'}:${address.port}`;
        logger.info('web cluster listening', { url, processes: count, stores: stores ? 'primary' : 'upstash' });
      }
    });
    worker.once('exit', (code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      if (!anyListened) {
        // Not one worker ever started (bad build, port taken): restarting would loop for ever.
        logger.error('web worker failed before listening; stopping', { pid: worker.process.pid, code, signal });
        stop(1);
        return;
      }
      const s = slots[slot];
      if (Date.now() - s.startedAt >= RESTART_BACKOFF.healthyAfterMs) s.nextDelayMs = RESTART_BACKOFF.firstMs;
      const delayMs = s.nextDelayMs;
      s.nextDelayMs = Math.min(RESTART_BACKOFF.maxMs, s.nextDelayMs * 2);
      logger.warn('web worker exited; restarting', { pid: worker.process.pid, code, signal, slot, restartInMs: delayMs });
      const timer = setTimeout(() => {
        restartTimers.delete(timer);
        if (!stopping) fork(slot);
      }, delayMs);
      restartTimers.add(timer);
    });
  }

  function stop(exitCode: number) {
    if (stopping) return;
    stopping = true;
    for (const timer of restartTimers) clearTimeout(timer);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    const gone = workers.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    void Promise.all(gone).then(() => {
      clearTimeout(force);
      logger.info('web cluster stopped', { exitCode });
      process.exit(exitCode);
    });
  }

  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  // Asked for, so written at any LOG_LEVEL: the store requests answered so far (the HTTP bench
  // divides it by the requests served: the IPC round trips one request costs).
  const asked = createLogger({ level: 'info', base: { host: 'node', role: 'primary', pid: process.pid } });
  process.on('SIGUSR2', () =>
    asked.info('store requests answered', { answered: stores?.answered() ?? 0, messages: stores?.messages() ?? 0, writeTurns: writeTurn?.granted() ?? 0 }),
  );
  for (let slot = 0; slot < count; slot++) fork(slot);
}

async function runWorker() {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const server = await startNodeServer({ port, host, storesFromPrimary: true, writeTurnFromPrimary: true });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The primary is gone (killed without stopping us): nobody answers the stores or restarts us.
  process.on('disconnect', stop);
  // SIGUSR2 is the primary's question (its line counts the stores' trips); a worker sent it by a
  // process-group signal must not die of Node's default for it.
  process.on('SIGUSR2', () => {});
}

/** Runs the host: the cluster's primary, one of its workers, or (WEB_PROCESSES=1) one plain process. */
export async function main() {
  // Unset means production, also for React and Remix, which read process.env.NODE_ENV themselves.
  process.env.NODE_ENV ??= 'production';
  if (cluster.isWorker) return runWorker();
  const count = webProcessCount(process.env.WEB_PROCESSES);
  if (count > 1) return runPrimary(count);
  const server = await startNodeServer({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The primary's SIGUSR2 line, so an operator's signal does not end the host (Node's default for it):
  // one process asks no other for its stores.
  const asked = createLogger({ level: 'info', base: { host: 'node', pid: process.pid } });
  process.on('SIGUSR2', () => asked.info('store requests answered', { answered: 0, messages: 0 }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
