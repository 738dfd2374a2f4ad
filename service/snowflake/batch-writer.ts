// Where the sync's chunks are written. On a local file with more than one chunk to write, a writer
// thread (batch-writer-thread.ts) commits chunk N on its own connection while this thread reads and
// checks chunk N+1 from Snowflake: the two used to take turns on one thread (decision 130). This
// thread holds the process's write turn for each chunk the writer runs, as it would for its own
// transaction. Otherwise (one chunk, HTTP, a dry run) the chunk is written here, as before.
import type { AppDatabase } from '../../db/database';
import { localFileUrlOf } from '../../db/client';
import { inWriteTurn } from '../../app/platform/write-queue';
import { startTsWorker } from '../threads/ts-worker';
import { addResult, writeBatchInTransaction } from './batch-transaction';
import { applyClientBatch, type BatchContext, type BatchResult } from './client-batch';
import type { ClientValues } from './code-maps';
import { writeProgress, type SyncCounters, type SyncRun } from './sync-job-record';

export interface WriterSetup {
  url: string;
  context: BatchContext;
  sync: Pick<SyncRun, 'id' | 'startedAt'>;
}
export interface WriterRequest {
  id: number;
  rows: ClientValues[];
  counters: SyncCounters;
}
export type WriterReply = { id: number; result: BatchResult } | { id: number; error: { name: string; message: string } };

export interface BatchWriter {
  /** Whether chunks are written on the writer thread (they then overlap the reading). */
  readonly threaded: boolean;
  /** Writes one chunk (in one write transaction with the progress, unless a dry run). One at a time. */
  write(rows: ClientValues[], counters: SyncCounters): Promise<BatchResult>;
  close(): Promise<void>;
}

/** A writer thread started early (with the Snowflake query), kept or stopped once the row count is known. */
export interface StartedBatchWriter {
  /**
   * The writer for `expectedRows` rows: the thread if more than one chunk will be written and it started,
   * else this thread's. `threadFailed` hears why a thread that was wanted could not be used.
   */
  choose(size: { expectedRows: number; batchRows: number }, threadFailed?: (reason: string) => void): Promise<BatchWriter>;
  close(): Promise<void>;
}

/** How long choose() waits for a started writer thread to open its connection. */
const THREAD_START_WAIT_MS = 30_000;

/**
 * Starts the writer thread now when it may be needed (a local file, not a dry run), so its start
 * (~0.2 s: tsx compiles its modules) overlaps the Snowflake login and query.
 */
export function startBatchWriter(db: AppDatabase, setup: Omit<WriterSetup, 'url'>, entry: URL = WRITER_THREAD_ENTRY): StartedBatchWriter {
  const url = localFileUrlOf(db.$client);
  const thread = !setup.context.dryRun && url !== null ? threadWriter(db, { ...setup, url }, entry) : null;
  return {
    async choose({ expectedRows, batchRows }, threadFailed) {
      if (thread && expectedRows > batchRows) {
        const started = await thread.started;
        if (started === true) return thread;
        threadFailed?.(started);
      }
      await thread?.close();
      return serviceThreadWriter(db, setup);
    },
    close: async () => thread?.close(),
  };
}

function serviceThreadWriter(db: AppDatabase, setup: Omit<WriterSetup, 'url'>): BatchWriter {
  return {
    threaded: false,
    async write(rows, counters) {
      if (setup.context.dryRun) {
        const result = await applyClientBatch(db.$client, rows, setup.context);
        await writeProgress(db.$client, setup.sync, addResult({ ...counters }, result));
        return result;
      }
      return inWriteTurn(db, () => writeBatchInTransaction(db.$client, rows, setup.context, setup.sync, counters));
    },
    close: async () => {},
  };
}

/** How long close() waits for the writer to close its connection before stopping the thread. */
const CLOSE_WAIT_MS = 5_000;

export const WRITER_THREAD_ENTRY = new URL('./batch-writer-thread.ts', import.meta.url);

function threadWriter(db: AppDatabase, setup: WriterSetup, entry: URL): BatchWriter & { started: Promise<true | string> } {
  const worker = startTsWorker(entry, { workerData: setup });
  let markStarted: (result: true | string) => void = () => {};
  const started = new Promise<true | string>((resolve) => {
    markStarted = resolve;
    setTimeout(() => resolve(`the writer thread did not start within ${THREAD_START_WAIT_MS / 1000} s`), THREAD_START_WAIT_MS).unref();
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let broken: Error | null = null;
  let closed: Promise<void> | null = null;
  const failAll = (error: Error) => {
    markStarted(error.message);
    broken ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: WriterReply | 'closed' | 'ready' | { failed: string }) => {
    if (reply === 'closed') return;
    if (reply === 'ready') return markStarted(true);
    if ('failed' in reply) return markStarted(`the writer thread could not open the database: ${reply.failed}`);
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!w) return;
    if ('result' in reply) w.resolve(reply.result);
    else w.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the sync's writer thread stopped (exit code ${code})`)));
  return {
    threaded: true,
    started,
    write(rows, counters) {
      if (broken) return Promise.reject(broken);
      return inWriteTurn(
        db,
        () =>
          new Promise<BatchResult>((resolve, reject) => {
            const id = ++nextId;
            waiting.set(id, { resolve, reject });
            worker.postMessage({ id, rows, counters } satisfies WriterRequest);
          }),
      );
    },
    async close() {
      if (closed) return closed;
      closed = closeThread();
      return closed;
    },
  };
  /** Lets the writer close its connection (at most CLOSE_WAIT_MS), then stops the thread. */
  async function closeThread() {
    if (!broken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_WAIT_MS);
        worker.on('message', (m) => {
          if (m === 'closed') {
            clearTimeout(timer);
            resolve();
          }
        });
        worker.postMessage('close');
      });
    }
    broken ??= new Error("the sync's writer is closed");
    await worker.terminate();
  }
}
