// Reads the source view through the real snowflake-sdk: connect and execute each under the
// Snowflake integration policy (timeout, retry, breaker), then stream the rows (`streamResult`,
// `streamRows()`: the SDK fetches result chunks a few ahead and frees each after use, so memory
// stays flat however many rows come). A watchdog abandons a stream that delivers no row for
// `idleTimeoutMs` while we wait: the SDK retries a dropped chunk for minutes on its own.
import snowflake from 'snowflake-sdk';
import type { Readable } from 'node:stream';
import type { Logger } from '../../app/platform/logger';
import {
  BrokenCircuitError,
  CallerAbortedError,
  describeCallFailure,
  IsolatedCircuitError,
  TaskCancelledError,
  type IntegrationPolicy,
} from '../resilience/integration-policies';
import { connectionOptions, type SnowflakeConfig } from './config';
import { formatTraceparent, type TraceContext } from '../../app/platform/trace-context';
import type { SpanHandle, Tracing } from '../../app/platform/tracing';
import { SOURCE_COLUMNS, type SourceQuery } from './source-query';

export type SourceRow = unknown[];

export interface WarehouseRows {
  /** Rows the query returned, as the service reported them. */
  total: number;
  queryId: string;
  /** The next row (values in SOURCE_COLUMNS order), or null once every row has come. */
  next(): Promise<SourceRow | null>;
  /** Rows handed out so far. */
  readonly delivered: number;
  close(): Promise<void>;
}

/** An error the sync explains to the operator; `retryable: false` tells the policy not to retry it. */
export class SnowflakeSyncError extends Error {
  override name = 'SnowflakeSyncError';
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

let sdkLogger: Logger | null = null;
let sdkConfigured = false;

/** The SDK logs through ours (warnings and errors only; its messages are already secret-masked). */
function configureSdk(logger: Logger): void {
  sdkLogger = logger;
  if (sdkConfigured) return;
  sdkConfigured = true;
  const forward = (level: 'warn' | 'error') => (message: string) => sdkLogger?.[level]('snowflake-sdk', { detail: String(message).slice(0, 500) });
  const quiet = () => {};
  snowflake.configure({ logLevel: 'WARN', customLogger: { error: forward('error'), warn: forward('warn'), info: quiet, debug: quiet, trace: quiet } });
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);

function destroyQuietly(connection: snowflake.Connection): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5_000); // a server that never answers the logout must not hold the job
    try {
      connection.destroy(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * snowflake-sdk has no per-request header hook (decision 094): the trace travels as the session's
 * QUERY_TAG, which the SDK sends in the login's SESSION_PARAMETERS and in every statement's
 * `parameters`, and which Snowflake keeps in QUERY_HISTORY. JSON, so it can be read with PARSE_JSON.
 */
export const queryTagOf = (span: TraceContext) => JSON.stringify({ traceparent: formatTraceparent(span) });

function connect(config: SnowflakeConfig, signal: AbortSignal, queryTag: string | undefined): Promise<snowflake.Connection> {
  const connection = snowflake.createConnection({ ...connectionOptions(config), ...(queryTag ? { queryTag } : {}) });
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void destroyQuietly(connection);
      reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    connection.connect((error) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return;
      if (!error) return resolve(connection);
      void destroyQuietly(connection);
      // success:false on login is a definite answer (credentials, key, account): another try cannot change it.
      const refused = Boolean(error.data) || /incorrect|jwt|password|authenticat/i.test(error.message);
      reject(new SnowflakeSyncError(`Snowflake login failed: ${describe(error)}`, !refused));
    });
  });
}

function execute(connection: snowflake.Connection, query: SourceQuery, signal: AbortSignal, queryTag: string | undefined): Promise<snowflake.RowStatement> {
  return new Promise((resolve, reject) => {
    let statement: snowflake.RowStatement | undefined;
    const onAbort = () => {
      statement?.cancel(() => {});
      reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    statement = connection.execute({
      sqlText: query.sqlText,
      binds: query.binds,
      // Explicitly: the SDK (3.3) copies `parameters` into the request before it adds the connection's queryTag.
      ...(queryTag ? { parameters: { QUERY_TAG: queryTag } } : {}),
      streamResult: true,
      rowMode: 'array',
      fetchAsString: ['Number'], // NUMBER(14,2) amounts arrive as exact text, never a float
      complete: (error, stmt) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        if (!error) return resolve(stmt as snowflake.RowStatement);
        // A SQL error (missing view or column, bad bind) is a definite answer: not worth a retry.
        reject(new SnowflakeSyncError(`Snowflake query failed: ${describe(error)}`, !error.sqlState));
      },
    }) as snowflake.RowStatement;
  });
}

/** One call under the policy, its failure said in the operator's words (which step, timeout or breaker). */
async function guarded<T>(policy: IntegrationPolicy, step: 'login' | 'query', call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await policy.execute(call, signal);
  } catch (error) {
    if (error instanceof SnowflakeSyncError) throw error;
    if (error instanceof CallerAbortedError)
      throw new SnowflakeSyncError(`sync aborted during the Snowflake ${step}: ${describe(signal.reason ?? error)}`, false);
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw new SnowflakeSyncError(describeCallFailure('snowflake', error));
    if (error instanceof TaskCancelledError) {
      const attempts = policy.options.retries + 1;
      throw new SnowflakeSyncError(
        `Snowflake ${step} did not answer within ${policy.options.timeoutMs / 1000} s (timed out${attempts > 1 ? `, ${attempts} attempts` : ''}; the SDK retries 5xx and network errors inside that time)`,
      );
    }
    throw new SnowflakeSyncError(`Snowflake ${step} failed: ${describe(error)}`);
  }
}

export async function openWarehouseRows(
  config: SnowflakeConfig,
  policy: IntegrationPolicy,
  query: SourceQuery,
  options: { signal: AbortSignal; idleTimeoutMs: number; logger: Logger; trace?: { tracing: Tracing; parent: TraceContext } },
): Promise<WarehouseRows> {
  configureSdk(options.logger);
  // One client span from the login to the last row, a child of the job attempt.
  const span: SpanHandle | undefined = options.trace?.tracing.startSpan('Snowflake source query', options.trace.parent, {
    role: 'client',
    attributes: { 'db.system': 'snowflake', 'db.operation.name': 'SELECT' },
  });
  const queryTag = span && queryTagOf(span.context);
  let connection: snowflake.Connection;
  try {
    connection = await guarded(policy, 'login', (signal) => connect(config, signal, queryTag), options.signal);
  } catch (error) {
    span?.fail(error);
    span?.end();
    throw error;
  }
  let stream: Readable | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  try {
    const statement = await guarded(policy, 'query', (signal) => execute(connection, query, signal, queryTag), options.signal);
    const names = (statement.getColumns() ?? []).map((c) => c.getName());
    if (names.join() !== SOURCE_COLUMNS.join()) {
      throw new SnowflakeSyncError(`Snowflake view returned columns ${names.join(', ').slice(0, 300)}; expected ${SOURCE_COLUMNS.join(', ')}`, false);
    }
    const total = statement.getNumRows();
    const rows = statement.streamRows() as unknown as Readable;
    stream = rows;
    // The SDK may emit a late error after we stopped listening (a chunk retry ending): never let it go uncaught.
    rows.on('error', () => {});
    const iterator = rows[Symbol.asyncIterator]();
    let delivered = 0;
    let waitingSince: number | null = null;
    const stall = () =>
      rows.destroy(
        new SnowflakeSyncError(
          `Snowflake result stream stalled: no row for ${Math.round(options.idleTimeoutMs / 1000)} s after ${delivered} of ${total} rows (connection dropped, chunk download failing)`,
        ),
      );
    watchdog = setInterval(
      () => {
        if (waitingSince !== null && Date.now() - waitingSince > options.idleTimeoutMs) stall();
      },
      Math.max(50, Math.min(5_000, Math.floor(options.idleTimeoutMs / 4))),
    );
    watchdog.unref();
    const onAbort = () => rows.destroy(new SnowflakeSyncError(`sync aborted: ${describe(options.signal.reason ?? 'signal')}`, false));
    options.signal.addEventListener('abort', onAbort, { once: true });
    return {
      total,
      queryId: statement.getQueryId(),
      get delivered() {
        return delivered;
      },
      next: async () => {
        waitingSince = Date.now();
        try {
          const step = await iterator.next();
          if (step.done) return null;
          delivered += 1;
          return step.value as SourceRow;
        } catch (error) {
          span?.fail(error);
          if (error instanceof SnowflakeSyncError) throw error;
          throw new SnowflakeSyncError(`Snowflake result stream failed after ${delivered} of ${total} rows: ${describe(error)}`);
        } finally {
          waitingSince = null;
        }
      },
      close: async () => {
        clearInterval(watchdog);
        options.signal.removeEventListener('abort', onAbort);
        if (!rows.destroyed) rows.destroy();
        await destroyQuietly(connection);
        span?.setAttributes({ 'db.response.returned_rows': delivered });
        span?.end();
      },
    };
  } catch (error) {
    clearInterval(watchdog);
    stream?.destroy();
    await destroyQuietly(connection);
    span?.fail(error);
    span?.end();
    throw error;
  }
}
