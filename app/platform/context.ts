import type { AppDatabase } from '../../db/database';
import type { Cache } from './cache/cache';
import type { Clock } from './clock';
import type { ExportFileReader } from './files/export-storage';
import type { AppEnv } from './env';
import type { Logger } from './logger';
import type { TraceContext } from './trace-context';
import type { RateLimiter } from './rate-limit/limiter';
import type { WriteConfig, WriteTransaction } from './write-queue';

export type { AppDatabase };

/**
 * Everything a loader, action or core function needs from the outside world.
 * Built once per request by the host (server/node.ts or server/worker.ts), so app code never
 * asks where it runs.
 */
export interface AppContext {
  db: AppDatabase;
  /**
   * The write port: waits for this process's write turn, then runs `work` in one transaction on
   * `db` (app/platform/write-queue.ts; decision 084). Every write transaction goes through it.
   * A single write on `db` outside a transaction takes the turn by itself on a local file (the
   * database port, decision 124); inside `work`, write on `tx`: on `db` it would wait for this turn.
   */
  write<T>(work: (tx: WriteTransaction) => Promise<T>, config?: WriteConfig): Promise<T>;
  cache: Cache;
  /** Finished export files (decision 093): the Node host's directory or S3; absent where none is configured. */
  exportFiles?: ExportFileReader;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  env: AppEnv;
  /** The request's id: its W3C trace id (decision 094), kept by activity, audit, job and outbox rows. */
  requestId: string;
  /** The request's server span (trace id = requestId): jobs it queues continue it. */
  trace: TraceContext;
  host: 'node' | 'worker';
  /** Remote address as the host saw it (proxy-aware on each host). */
  clientIp: string;
  /** CSP nonce for this response's inline scripts. */
  cspNonce: string;
  /** Filled in as the request goes (the gate sets userId) and read by the access log. */
  state: {
    userId?: number;
    route?: string;
    companyIds?: number[];
    /** Set while an approval applies a maker-checker request: audit rows written meanwhile name it (decision 101). */
    changeRequestId?: number;
  };
}

declare module '@remix-run/server-runtime' {
  interface AppLoadContext {
    app: AppContext;
  }
}
