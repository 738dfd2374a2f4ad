import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestError, CommandTranslator, toCommandArgs, type Translation } from './commands';
import { parseRedisUrl, RedisConnection, type RedisTarget } from './redis-connection';
import { RespError, type RespReply } from './resp';
import { toResultEntry, type ResultEntry } from './reply-json';

// A local Upstash REST endpoint in front of a real redis-server: only what
// @upstash/redis 1.39 sends (POST /, /pipeline, /multi-exec). See docs/local-edge-stack.md.

export interface UpstashRestOptions {
  /** redis://[user:pass@]host:port[/db]; or give redisPort for 127.0.0.1. */
  redisUrl?: string;
  redisPort?: number;
  /** 0 or omitted: any free port. */
  port?: number;
  token: string;
}

export interface UpstashRestServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startUpstashRest(options: UpstashRestOptions): Promise<UpstashRestServer> {
  if (!options.token) throw new Error('startUpstashRest: a non-empty token is required');
  const target = redisTarget(options);
  const redis = new ReconnectingRedis(target);
  await redis.get(); // fail fast when redis is not there
  const translator = new CommandTranslator();
  const expectedAuth = Buffer.from(`Bearer ${options.token}`);

  const server = http.createServer((req, res) => {
    handle(req).then(
      ({ status, body }) => sendJson(res, status, body),
      (error: unknown) => {
        if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
        else if (error instanceof BadRequestError) sendJson(res, 400, { error: error.message });
        else sendJson(res, 503, { error: `local Upstash stand-in: ${(error as Error).message}` });
      },
    );
  });

  async function handle(req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (req.method !== 'POST') throw new HttpError(405, 'ERR only POST is supported');
    if (!isAuthorized(req.headers.authorization, expectedAuth)) throw new HttpError(401, 'Unauthorized');
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const body = await readJsonBody(req);
    const path = new URL(req.url ?? '/', 'http://local').pathname.replace(/\/+$/, '');
    const connection = await redis.get();
    if (path === '') return runSingle(connection, body, base64);
    if (path === '/pipeline') return { status: 200, body: await runPipeline(connection, body, base64) };
    if (path === '/multi-exec') return runMultiExec(connection, body, base64);
    throw new HttpError(404, `ERR unknown path ${path}; this stand-in serves /, /pipeline and /multi-exec`);
  }

  async function runSingle(connection: RedisConnection, body: unknown, base64: boolean) {
    const [entry] = await execute(connection, [translator.translate(body)], base64);
    return { status: 'error' in entry ? 400 : 200, body: entry };
  }

  async function runPipeline(connection: RedisConnection, body: unknown, base64: boolean): Promise<ResultEntry[]> {
    return execute(
      connection,
      commandList(body).map((c) => translator.translate(c)),
      base64,
    );
  }

  async function runMultiExec(connection: RedisConnection, body: unknown, base64: boolean) {
    const translations = commandList(body).map((c) => translator.translate(c));
    const rejected = translations.find((t) => t.kind === 'reject');
    if (rejected?.kind === 'reject') return { status: 400, body: { error: rejected.error } };
    const sends = translations as Extract<Translation, { kind: 'send' }>[];
    // One write, so no other request's command can land between MULTI and EXEC.
    const replies = await connection.send([['MULTI'], ...sends.map((t) => t.args), ['EXEC']]);
    const execReply = replies.at(-1) ?? null;
    if (!Array.isArray(execReply)) {
      const queueError = replies.slice(1, -1).find((r) => r instanceof RespError);
      const reason = queueError instanceof RespError ? queueError : execReply;
      const message = reason instanceof RespError ? reason.message : 'EXECABORT transaction discarded';
      return { status: 400, body: { error: message } };
    }
    return { status: 200, body: execReply.map((reply, i) => toResultEntry(fix(sends[i], reply), base64)) };
  }

  async function execute(connection: RedisConnection, translations: Translation[], base64: boolean): Promise<ResultEntry[]> {
    const sends = translations.filter((t) => t.kind === 'send');
    const replies = await connection.send(sends.map((t) => t.args));
    let next = 0;
    return translations.map((t) => {
      if (t.kind === 'reject') return { error: t.error };
      return toResultEntry(fix(t, replies[next++]), base64);
    });
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      redis.close();
    },
  };
}

function redisTarget(options: UpstashRestOptions): RedisTarget {
  if (options.redisUrl) return parseRedisUrl(options.redisUrl);
  if (options.redisPort) return { host: '127.0.0.1', port: options.redisPort };
  throw new Error('startUpstashRest: give redisUrl or redisPort');
}

function fix(translation: Extract<Translation, { kind: 'send' }>, reply: RespReply): RespReply {
  return translation.fixReply ? translation.fixReply(reply) : reply;
}

function commandList(body: unknown): unknown[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new BadRequestError('ERR expected a non-empty JSON array of commands like [["SET","k","v"],["GET","k"]]');
  }
  body.forEach((command) => toCommandArgs(command)); // reject a malformed batch before running any of it
  return body;
}

function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'ERR request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'ERR request body is not valid JSON');
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reopens the shared connection if redis restarted, instead of failing every later request. */
class ReconnectingRedis {
  private current: RedisConnection | undefined;
  private opening: Promise<RedisConnection> | undefined;

  constructor(private readonly target: RedisTarget) {}

  get(): Promise<RedisConnection> {
    if (this.current && !this.current.closed) return Promise.resolve(this.current);
    this.opening ??= RedisConnection.open(this.target)
      .then((connection) => (this.current = connection))
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  close(): void {
    this.current?.close();
  }
}
