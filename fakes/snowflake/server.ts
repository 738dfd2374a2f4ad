// A loopback Snowflake that the real snowflake-sdk 3.3.0 talks to (accessUrl http://127.0.0.1:PORT):
// POST /session/v1/login-request, /telemetry/send, /queries/v1/query-request, /session?delete=true,
// GET /queries/<id>/result (the SDK's refresh) and GET /chunks/<queryId>/<n> (result chunks).
// The caller starts and stops it; counters say what it was asked; failure switches break it on demand.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { handleControl } from './control-api';
import { FailureSwitches, type FailureSwitch, type FailureTarget } from './failure-switches';
import { checkLogin, type LoginPolicy } from './login-check';
import { CHUNK_KEY_HEADER, chunkBounds, newSnapshot, queryReply, writeChunk, writeRows, type ResultLayout, type ResultSnapshot } from './result-sets';
import { parseSelect, SqlCompilationError, type Binding } from './select-statement';
import { Warehouse, type WarehouseOptions } from './warehouse';

export interface SnowflakeFakeOptions {
  /** Default 0 (a free port). Always bound to 127.0.0.1. */
  port?: number;
  /** The data; or options to generate it (default 1,000 rows, seed 42, today 2026-11-15). */
  warehouse?: Warehouse | WarehouseOptions;
  account?: string;
  username?: string;
  /** Accepted password (default: any). */
  password?: string;
  /** Registered RSA public keys (PEM) for SNOWFLAKE_JWT; default: any well-formed JWT. */
  publicKeys?: string[];
  view?: string;
  /** Rows inline in the query reply (default 1,000) and per chunk (default 10,000). */
  inlineRows?: number;
  chunkRows?: number;
  /** Serve /__fake/* (mutate, fail, counters) for out-of-process callers. Default false. */
  controlApi?: boolean;
}

export interface FakeCounters {
  logins: number;
  loginsRefused: number;
  telemetry: number;
  queries: number;
  queryErrors: number;
  resultRefreshes: number;
  chunks: number;
  rowsServed: number;
  sessionsDeleted: number;
  other: number;
}

export interface SnowflakeFake {
  url: string;
  port: number;
  warehouse: Warehouse;
  account: string;
  username: string;
  view: string;
  counters: FakeCounters;
  failures: FailureSwitches;
  /** The last few statements received (sqlText + bindings + the QUERY_TAG parameter), newest last. */
  statements: { sqlText: string; bindings?: Record<string, Binding>; queryTag: string | null }[];
  /** The QUERY_TAG of the last few logins' SESSION_PARAMETERS (null when none), newest last. */
  loginQueryTags: (string | null)[];
  /** The last refused JWT's problem (for tests of the key-pair login). */
  lastJwtProblem: string | null;
  fail(spec: FailureSwitch): void;
  clearFailures(): void;
  resetCounters(): void;
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** QUERY_TAG from a parameters map, as Snowflake keeps it (a string up to 2,000 characters). */
function queryTagOf(parameters: unknown): string | null {
  const tag = parameters && typeof parameters === 'object' ? (parameters as Record<string, unknown>).QUERY_TAG : undefined;
  return typeof tag === 'string' ? tag.slice(0, 2000) : null;
}
const MAX_SNAPSHOTS = 16;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const failureBody = (code: string, message: string, sqlState?: string) => ({
  success: false,
  code,
  message,
  data: { errorCode: code, sqlState, internalError: false, age: 0 },
});

export async function startSnowflakeFake(options: SnowflakeFakeOptions = {}): Promise<SnowflakeFake> {
  const warehouse = options.warehouse instanceof Warehouse ? options.warehouse : new Warehouse(options.warehouse ?? { rows: 1000 });
  const policy: LoginPolicy = {
    account: options.account ?? 'CU_DEMO',
    username: options.username ?? 'CLIENT_UPDATER_SVC',
    password: options.password,
    publicKeys: options.publicKeys ?? [],
  };
  const view = options.view ?? 'CLIENT_UPDATER.CLIENTS_VIEW';
  const layout: ResultLayout = { inlineRows: options.inlineRows ?? 1000, chunkRows: options.chunkRows ?? 10_000 };
  if (layout.chunkRows < 1 || layout.inlineRows < 0) throw new Error('chunkRows must be ≥ 1 and inlineRows ≥ 0');
  const zero = (): FakeCounters => ({
    logins: 0,
    loginsRefused: 0,
    telemetry: 0,
    queries: 0,
    queryErrors: 0,
    resultRefreshes: 0,
    chunks: 0,
    rowsServed: 0,
    sessionsDeleted: 0,
    other: 0,
  });
  const failures = new FailureSwitches();
  const tokens = new Set<string>();
  const snapshots = new Map<string, ResultSnapshot>();
  const sessionContext = { warehouse: 'CU_WH', role: 'CU_SYNC_ROLE' };
  let baseUrl = '';

  const fake: SnowflakeFake = {
    url: '',
    port: 0,
    warehouse,
    account: policy.account,
    username: policy.username,
    view,
    counters: zero(),
    failures,
    statements: [],
    loginQueryTags: [],
    lastJwtProblem: null,
    fail: (spec) => failures.arm(spec),
    clearFailures: () => failures.clear(),
    resetCounters: () => {
      fake.counters = zero();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  /** Applies a switch that ends the request without a normal reply; true if it did. */
  const failed = (target: FailureTarget, res: ServerResponse): FailureSwitch | 'handled' | undefined => {
    const hit = failures.take(target);
    if (!hit) return undefined;
    if (hit.kind === 'status') {
      res.writeHead(hit.status ?? 503, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>${hit.status ?? 503} Service Unavailable</h1></body></html>`);
      return 'handled';
    }
    if (hit.kind === 'hang') return 'handled'; // never answered; stop() closes the socket
    if (hit.kind === 'drop' && target === 'login') {
      res.socket?.destroy();
      return 'handled';
    }
    return hit;
  };

  const authorised = (req: IncomingMessage) => {
    const m = /^Snowflake Token="([^"]+)"$/.exec(req.headers.authorization ?? '');
    return m !== null && tokens.has(m[1]);
  };

  const remember = (snapshot: ResultSnapshot) => {
    snapshots.set(snapshot.queryId, snapshot);
    while (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
  };

  const sendResult = (res: ServerResponse, snapshot: ResultSnapshot, drop?: FailureSwitch) => {
    const reply = queryReply(snapshot, layout, { baseUrl, view, ...sessionContext });
    const dropAfter = drop?.kind === 'drop' ? (drop.afterRows ?? Math.floor(reply.rows.length / 2)) : undefined;
    fake.counters.rowsServed += dropAfter ?? reply.rows.length;
    writeRows(res, reply, dropAfter);
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const raw = await readBody(req);
    const body = () => JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8') || '{}');

    if (options.controlApi && path.startsWith('/__fake/')) return handleControl(fake, path, req.method ?? 'GET', raw, res);

    if (req.method === 'POST' && path === '/session/v1/login-request') {
      const hit = failed('login', res);
      if (hit === 'handled') return;
      const verdict =
        hit?.kind === 'login_error'
          ? { ok: false as const, code: '390100', message: 'Incorrect username or password was specified.' }
          : checkLogin(body().data, policy, Date.now());
      if (!verdict.ok) {
        fake.counters.loginsRefused++;
        fake.lastJwtProblem = 'jwtProblem' in verdict ? (verdict.jwtProblem ?? null) : null;
        return json(res, 200, failureBody(verdict.code, verdict.message));
      }
      fake.counters.logins++;
      fake.loginQueryTags.push(queryTagOf((body() as { data?: { SESSION_PARAMETERS?: unknown } }).data?.SESSION_PARAMETERS));
      if (fake.loginQueryTags.length > 20) fake.loginQueryTags.shift();
      const token = `ST-${randomBytes(18).toString('hex')}`;
      tokens.add(token);
      return json(res, 200, {
        success: true,
        code: null,
        message: null,
        data: {
          token,
          masterToken: `MT-${randomBytes(18).toString('hex')}`,
          validityInSeconds: 3600,
          masterValidityInSeconds: 14_400,
          sessionId: Math.floor(Math.random() * 1e12),
          displayUserName: policy.username,
          serverVersion: '9.99.0-fake',
          parameters: [
            { name: 'TIMEZONE', value: 'UTC' },
            { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
          ],
          sessionInfo: { databaseName: null, schemaName: null, warehouseName: sessionContext.warehouse, roleName: sessionContext.role },
        },
      });
    }
    if (req.method === 'POST' && path === '/telemetry/send') {
      fake.counters.telemetry++;
      return json(res, 200, { success: true, data: 'Log Received', code: null, message: null });
    }
    if (req.method === 'POST' && path === '/session' && url.searchParams.get('delete') === 'true') {
      fake.counters.sessionsDeleted++;
      const m = /^Snowflake Token="([^"]+)"$/.exec(req.headers.authorization ?? '');
      if (m) tokens.delete(m[1]);
      return json(res, 200, { success: true, data: null, code: null, message: null });
    }
    if (req.method === 'POST' && path === '/queries/v1/query-request') {
      fake.counters.queries++;
      if (!authorised(req)) return json(res, 200, failureBody('390104', 'Authentication token is invalid or expired. Please log in again.'));
      const hit = failed('query', res);
      if (hit === 'handled') return;
      const request = body() as { sqlText?: string; bindings?: Record<string, Binding>; parameters?: unknown };
      fake.statements.push({ sqlText: String(request.sqlText ?? ''), bindings: request.bindings, queryTag: queryTagOf(request.parameters) });
      if (fake.statements.length > 20) fake.statements.shift();
      try {
        const parsed = parseSelect(String(request.sqlText ?? ''), request.bindings, view);
        if (parsed.kind === 'ping') {
          return writeRows(res, queryReply({ ...newSnapshot(['CLIENT_CODE'], ['["1"]'], Date.now()) }, layout, { baseUrl, view, ...sessionContext }));
        }
        const indices = warehouse.select(parsed, parsed.orderBy);
        const snapshot = newSnapshot(
          parsed.columns,
          indices.map((i) => warehouse.encodedAt(i)),
          Date.now(),
        );
        remember(snapshot);
        return sendResult(res, snapshot, hit);
      } catch (error) {
        if (!(error instanceof SqlCompilationError)) throw error;
        fake.counters.queryErrors++;
        return json(res, 200, failureBody(error.code, error.message, error.sqlState));
      }
    }
    const resultPath = /^\/queries\/([0-9a-f-]+)\/result$/.exec(path);
    if (req.method === 'GET' && resultPath) {
      fake.counters.resultRefreshes++;
      const snapshot = snapshots.get(resultPath[1]);
      if (!authorised(req) || !snapshot) return json(res, 200, failureBody('000709', `Statement ${resultPath[1]} not found`));
      return sendResult(res, snapshot);
    }
    const chunkPath = /^\/chunks\/([0-9a-f-]+)\/(\d+)$/.exec(path);
    if (req.method === 'GET' && chunkPath) {
      fake.counters.chunks++;
      const snapshot = snapshots.get(chunkPath[1]);
      const bounds = snapshot ? chunkBounds(snapshot, layout)[Number(chunkPath[2])] : undefined;
      if (!snapshot || !bounds || req.headers[CHUNK_KEY_HEADER] !== snapshot.chunkKey) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        return void res.end('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>');
      }
      const hit = failed('chunk', res);
      if (hit === 'handled') return;
      const dropAfter = hit?.kind === 'drop' ? (hit.afterRows ?? Math.floor((bounds.end - bounds.start) / 2)) : undefined;
      fake.counters.rowsServed += dropAfter ?? bounds.end - bounds.start;
      return writeChunk(res, snapshot, bounds, dropAfter);
    }
    if (req.method === 'POST' && (/^\/queries\/[^/]+\/abort-request$/.test(path) || path === '/session/heartbeat' || path === '/session/token-request')) {
      fake.counters.other++;
      return json(res, 200, { success: true, data: null, code: null, message: null });
    }
    fake.counters.other++;
    json(res, 404, { success: false, code: '404', message: `no route ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { success: false, code: '000500', message: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  fake.url = baseUrl;
  fake.port = port;
  return fake;
}
