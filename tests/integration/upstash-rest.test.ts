import { createClient } from '@libsql/client';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../support/ports';
import { isPidAlive, spawnLogged, spawnNodeScript, waitForPort, waitUntil } from '../support/processes';
import { startRedis, type StartedRedis } from '../support/redis';
import { startSqld, type StartedSqld } from '../support/sqld';
import { createUpstashLimiter } from '../../app/platform/rate-limit/upstash-limiter';
import { systemClock } from '../../app/platform/clock';
import { msToWindowEdge, worstStretch, type Attempt } from '../support/limit-runs';
import { sha1Hex, startUpstashRest, type UpstashRestServer } from '../support/upstash-rest';
import { RedisConnection } from '../support/upstash-rest/redis-connection';
import { RespError, RespParser, type RespReply } from '../support/upstash-rest/resp';

// Real redis-server + our Upstash REST endpoint, driven by the real @upstash/redis
// and @upstash/ratelimit; real sqld driven by @libsql/client.

const TOKEN = `test-${randomUUID()}`;
let redisServer: StartedRedis;
let rest: UpstashRestServer;
let sqld: StartedSqld;
const key = (name: string) => `itest:${randomUUID()}:${name}`;

beforeAll(async () => {
  redisServer = await startRedis();
  rest = await startUpstashRest({ redisPort: redisServer.port, token: TOKEN });
  sqld = await startSqld();
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await redisServer?.stop();
  await sqld?.stop();
  for (const pid of [redisServer?.pid, sqld?.pid].filter((p): p is number => p !== undefined)) {
    expect(isPidAlive(pid)).toBe(false);
  }
}, 30_000);

function rawCall(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${rest.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

// Auto-pipelining (the default) sends almost everything to /pipeline; without it each call goes to /.
describe.each([
  { mode: 'single commands on /', enableAutoPipelining: false },
  { mode: 'auto-pipelined on /pipeline', enableAutoPipelining: true },
])('@upstash/redis, $mode', ({ enableAutoPipelining }) => {
  const redis = () => new Redis({ url: rest.url, token: rest.token, enableAutoPipelining });

  it('round-trips set/get/incr/expire/hset/hgetall/del, with null for missing', async () => {
    const r = redis();
    const [k, counter, hash] = [key('k'), key('counter'), key('hash')];
    expect(await r.set(k, 'value')).toBe('OK');
    expect(await r.get(k)).toBe('value');
    expect(await r.get(key('missing'))).toBeNull();
    expect(await r.incr(counter)).toBe(1);
    expect(await r.incrby(counter, 41)).toBe(42);
    expect(await r.expire(counter, 60)).toBe(1);
    expect(await r.ttl(counter)).toBeGreaterThan(50);
    expect(await r.hset(hash, { name: 'Ana', visits: 3, nested: { a: [1, 2] } })).toBe(3);
    expect(await r.hgetall(hash)).toEqual({ name: 'Ana', visits: 3, nested: { a: [1, 2] } });
    expect(await r.hgetall(key('missing-hash'))).toBeNull();
    expect(await r.set(key('obj'), { id: 7, tags: ['x'] })).toBe('OK');
    expect(await r.del(k, counter, hash, key('missing'))).toBe(3);
    expect(await r.exists(k)).toBe(0);
  });

  it('keeps unicode, control characters and look-alike strings exact', async () => {
    const r = new Redis({ url: rest.url, token: rest.token, enableAutoPipelining, automaticDeserialization: false });
    const tricky = ['OK', 'QUEUED', 'PONG', '', 'null', '123', 'aGVsbG8=', '{"a":1}', '\u0000\r\n\t\\"\u007f', 'ñandú ₱1,234.50 日本語 🎉'];
    const keys = tricky.map((_, i) => key(`tricky-${i}`));
    for (const [i, value] of tricky.entries()) expect(await r.set(keys[i], value)).toBe('OK');
    for (const [i, value] of tricky.entries()) expect(await r.get(keys[i])).toBe(value);
    expect(await r.mget(...keys)).toEqual(tricky); // strings inside an array reply
    const hash = key('tricky-hash');
    await r.hset(hash, Object.fromEntries(tricky.map((v, i) => [`f${i}`, v])));
    expect(await r.hget(hash, 'f0')).toBe('OK');
    // Without deserialization HGETALL stays the flat [field, value, ...] reply (a listpack keeps insertion order).
    expect(await r.hgetall(hash)).toEqual(tricky.flatMap((v, i) => [`f${i}`, v]));
  });
});

describe('Upstash REST wire protocol', () => {
  it('base64-encodes bytes that are not UTF-8 exactly, and leaves the OK status literal', async () => {
    const k = key('bytes');
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0d, 0x0a]);
    const direct = await RedisConnection.open({ host: '127.0.0.1', port: redisServer.port });
    await direct.send([['SET', k, bytes]]);
    direct.close();
    const encoded = { 'upstash-encoding': 'base64' };
    const get = await rawCall('/', ['GET', k], encoded);
    expect(get.status).toBe(200);
    expect(Buffer.from(((await get.json()) as { result: string }).result, 'base64')).toEqual(bytes);
    expect(await (await rawCall('/', ['SET', key('x'), 'v'], encoded)).json()).toEqual({ result: 'OK' });
    expect(await (await rawCall('/', ['PING'], encoded)).json()).toEqual({ result: Buffer.from('PONG').toString('base64') });
    expect(await (await rawCall('/', ['PING'])).json()).toEqual({ result: 'PONG' });
    expect(await (await rawCall('/', ['INCR', key('n')], encoded)).json()).toEqual({ result: 1 });
  });

  it('answers a command error with status 400 and {"error"}', async () => {
    const k = key('not-a-number');
    await rawCall('/', ['SET', k, 'abc']);
    const response = await rawCall('/', ['INCR', k]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/not an integer/) });
    const r = new Redis({ url: rest.url, token: rest.token, enableAutoPipelining: false });
    await expect(r.incr(k)).rejects.toThrow(/not an integer/);
  });

  it('rejects a wrong or missing token with 401', async () => {
    const wrong = new Redis({ url: rest.url, token: 'wrong-token', enableAutoPipelining: false, retry: false });
    await expect(wrong.get(key('any'))).rejects.toThrow(/Unauthorized/);
    const response = await fetch(rest.url, { method: 'POST', body: '["PING"]' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });

  it('tolerates the upstash-sync-token header', async () => {
    const response = await rawCall('/', ['PING'], { 'upstash-sync-token': 'anything' });
    expect(response.status).toBe(200);
  });

  it('runs a pipeline with a per-command error in place', async () => {
    const r = new Redis({ url: rest.url, token: rest.token });
    const k = key('pipe');
    const results = await r.pipeline().set(k, 'text').incr(k).get(k).exec({ keepErrors: true });
    expect(results).toEqual([
      { result: 'OK', error: undefined },
      { result: undefined, error: expect.stringMatching(/not an integer/) },
      { result: 'text', error: undefined },
    ]);
    await expect(r.pipeline().incr(k).exec()).rejects.toThrow(/Command 1 \[ incr \] failed/);
    expect(await r.pipeline().set(key('a'), 1).incr(key('b')).exec()).toEqual(['OK', 1]);
  });

  it('runs multi-exec as a transaction, with per-command errors', async () => {
    const r = new Redis({ url: rest.url, token: rest.token });
    const k = key('tx');
    expect(await r.multi().set(k, 1).incr(k).get(k).hset(key('h'), { a: 'ü' }).exec()).toEqual(['OK', 2, 2, 1]);
    const results = await r.multi().set(k, 'text').incr(k).get(k).exec({ keepErrors: true });
    expect(results.map((x) => x.error === undefined)).toEqual([true, false, true]);
    expect(results[2].result).toBe('text');
  });

  it('keeps concurrent transactions and pipelines apart on the shared connection', async () => {
    const r = new Redis({ url: rest.url, token: rest.token });
    const counter = key('concurrent');
    const runs = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? r.multi().incr(counter).incr(counter).exec() : r.pipeline().incr(counter).exec()));
    await Promise.all(runs);
    expect(await r.get(counter)).toBe(30);
  });

  it('runs scripts with the Upstash-only allow-key-locking flag under the client SHA', async () => {
    const r = new Redis({ url: rest.url, token: rest.token, enableAutoPipelining: false });
    const script = `#!lua flags=allow-key-locking,no-writes\nreturn {ARGV[1], redis.call('GET', KEYS[1])}`;
    const sha = sha1Hex(script);
    expect(await r.scriptExists(sha)).toEqual([0]);
    await expect(r.evalsha(sha, [key('s')], ['x'])).rejects.toThrow(/NOSCRIPT/);
    expect(await r.scriptLoad(script)).toBe(sha);
    expect(await r.scriptExists(sha, '0'.repeat(40))).toEqual([1, 0]);
    const k = key('s');
    await r.set(k, 'stored');
    expect(await r.evalsha(sha, [k], ['arg'])).toEqual(['arg', 'stored']);
    expect(await r.eval(script, [k], ['again'])).toEqual(['again', 'stored']);
  });
});

describe('RESP parser', () => {
  it('reassembles nested replies fed one byte at a time', () => {
    const wire = Buffer.concat([
      Buffer.from('+OK\r\n-ERR bad\r\n:-42\r\n$-1\r\n*-1\r\n*0\r\n$5\r\nOK\r\n\xff\r\n', 'latin1'),
      Buffer.from('*3\r\n$1\r\na\r\n*2\r\n:1\r\n$0\r\n\r\n+QUEUED\r\n'),
    ]);
    const replies: RespReply[] = [];
    const parser = new RespParser((reply) => replies.push(reply));
    for (const byte of wire) parser.push(Buffer.from([byte]));
    expect(replies).toEqual([
      'OK',
      new RespError('ERR bad'),
      -42,
      null,
      null,
      [],
      Buffer.from('OK\r\n\xff', 'latin1'),
      [Buffer.from('a'), [1, Buffer.alloc(0)], 'QUEUED'],
    ]);
  });
});

describe('commands the shared connection cannot serve', () => {
  it('refuses them per command in a pipeline and for the whole transaction', async () => {
    const pipeline = await (await rawCall('/pipeline', [['SUBSCRIBE', 'ch'], ['PING']])).json();
    expect(pipeline).toEqual([{ error: expect.stringMatching(/not supported/) }, { result: 'PONG' }]);
    const tx = await rawCall('/multi-exec', [['SET', key('tx'), '1'], ['MULTI']]);
    expect(tx.status).toBe(400);
    expect(await (await rawCall('/', ['BLPOP', key('q'), '0'])).json()).toEqual({ error: expect.stringMatching(/not supported/) });
  });

  it('rejects malformed bodies with 400', async () => {
    expect((await rawCall('/', { not: 'a command' })).status).toBe(400);
    expect((await rawCall('/pipeline', [['PING'], 'GET'])).status).toBe(400);
    expect((await rawCall('/', [['nested']])).status).toBe(400);
  });
});

describe('@upstash/ratelimit 2.2.0 through the endpoint', () => {
  // A window boundary in the middle of the 4 calls would legitimately let the 4th through.
  async function awayFromWindowEdge(windowMs: number) {
    await waitUntil('a fresh rate-limit window', async () => Date.now() % windowMs < windowMs - 3000, { timeoutMs: 5000 });
  }

  it.each([
    { name: 'slidingWindow', limiter: Ratelimit.slidingWindow(3, '10 s') },
    { name: 'fixedWindow', limiter: Ratelimit.fixedWindow(3, '10 s') },
  ])(
    '$name(3, 10 s) allows 3, refuses the 4th with a reset time, and can be reset',
    async ({ limiter }) => {
      const redis = new Redis({ url: rest.url, token: rest.token });
      const ratelimit = new Ratelimit({ redis, limiter, prefix: key('rl') });
      const id = 'staff-42';
      await awayFromWindowEdge(10_000);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await ratelimit.limit(id));
      expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
      expect(results[3].limit).toBe(3);
      expect(results[3].reset).toBeGreaterThan(Date.now());
      expect(results[3].reset).toBeLessThanOrEqual(Date.now() + 10_000);

      const remaining = await ratelimit.getRemaining(id);
      expect(remaining.remaining).toBe(0);
      expect(remaining.reset).toBeGreaterThan(Date.now());

      await ratelimit.resetUsedTokens(id);
      expect((await ratelimit.getRemaining(id)).remaining).toBe(3);
      expect((await ratelimit.limit(id)).success).toBe(true);
    },
    20_000,
  );
});

describe("the app's Upstash limiter keeps decision 080's bound, across a boundary on purpose", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const limiterWith = (overrides: string) => createUpstashLimiter(new Redis({ url: rest.url, token: rest.token }), systemClock, overrides);
  const pattern = (attempts: Attempt[]) => attempts.map((a) => (a.admitted ? 1 : 0)).join('');

  /** Requests every `everyMs` until one is refused at least `afterMs` past `mark` (bounded: 200). */
  async function runAcross(limit: () => Promise<boolean>, everyMs: number, mark: number, afterMs: number) {
    const attempts: Attempt[] = [];
    while (attempts.length < 200) {
      const sentAt = Date.now();
      const admitted = await limit();
      attempts.push({ sentAt, answeredAt: Date.now(), admitted });
      if (!admitted && sentAt > mark + afterMs) break;
      await sleep(everyMs);
    }
    return attempts;
  }

  // One share of the window (1 s) is longer than each run, so the bound is max + 1: what the
  // algorithms admit at their worst edge. Lowering the bound by one makes these tests fail.
  it('sliding window (read 4 / 4 s): a burst from just before a window edge to past it', async () => {
    const limiter = limiterWith('read=4/4');
    const policy = limiter.policies.read;
    const user = key('reader');
    const windowMs = policy.windowSeconds * 1000;
    // Start 300 ms before a multiple of the window (Upstash aligns its windows to the epoch).
    await sleep((msToWindowEdge(windowMs) + windowMs - 300) % windowMs);
    const edge = Date.now() + msToWindowEdge(windowMs);
    const attempts = await runAcross(async () => (await limiter.limit('read', user)).success, 20, edge, 100);
    expect(attempts[0].sentAt).toBeLessThan(edge);
    expect(attempts.at(-1)!.sentAt).toBeGreaterThan(edge);
    const worst = worstStretch(attempts, policy);
    expect(worst.admitted, pattern(attempts)).toBeLessThanOrEqual(worst.bound);
    expect(attempts.filter((a) => a.admitted).length).toBeGreaterThanOrEqual(policy.max);
  }, 15_000);

  it('token bucket (loginUser 3 / 3 s): exactly 3 at once, then 429 with the time of the next token', async () => {
    const limiter = limiterWith('loginUser=3/3');
    const user = key('signer');
    const first = Date.now();
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push(await limiter.limit('loginUser', user));
    expect(burst.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(burst[3].resetAt).toBeGreaterThan(Date.now());
    expect(burst[3].resetAt).toBeLessThanOrEqual(first + 1_000 + 50);
  }, 15_000);

  it('token bucket (loginUser 3 / 3 s): the worst case on purpose, a full bucket just before a refill', async () => {
    const limiter = limiterWith('loginUser=3/3');
    const policy = limiter.policies.loginUser;
    const user = key('signer');
    const first = Date.now();
    expect((await limiter.limit('loginUser', user)).success).toBe(true); // refills at +1 s, +2 s, +3 s
    await sleep(first + 1_000 - 150 - Date.now());
    expect((await limiter.limit('loginUser', user)).success).toBe(true); // keeps the bucket (full from +2 s) until ≈ +2.85 s
    await sleep(first + 3_000 - 400 - Date.now()); // 400 ms before the +3 s refill
    const attempts = await runAcross(async () => (await limiter.limit('loginUser', user)).success, 20, first + 3_000, 300);
    const worst = worstStretch(attempts, policy);
    expect(worst.admitted, pattern(attempts)).toBeLessThanOrEqual(worst.bound);
    expect(attempts.filter((a) => a.admitted).length).toBeGreaterThanOrEqual(policy.max);
  }, 15_000);
});

describe('sqld (libSQL over HTTP)', () => {
  it('runs create/insert/select and a batch transaction', async () => {
    const db = createClient({ url: sqld.url });
    try {
      await db.execute('create table client (id integer primary key, name text not null unique, balance_cents integer)');
      await db.execute({ sql: 'insert into client (name, balance_cents) values (?, ?)', args: ['Ana Cruz', 123450] });
      const selected = await db.execute({ sql: 'select name, balance_cents from client where name = :name', args: { name: 'Ana Cruz' } });
      expect(selected.rows.map((row) => ({ ...row }))).toEqual([{ name: 'Ana Cruz', balance_cents: 123450 }]);

      await db.batch(
        [
          { sql: 'insert into client (name) values (?)', args: ['Ben'] },
          { sql: 'update client set balance_cents = 0 where name = ?', args: ['Ben'] },
        ],
        'write',
      );
      // The second statement violates UNIQUE, so the whole batch rolls back.
      await expect(
        db.batch(
          [
            { sql: 'insert into client (name) values (?)', args: ['Cara'] },
            { sql: 'insert into client (name) values (?)', args: ['Ana Cruz'] },
          ],
          'write',
        ),
      ).rejects.toThrow(/UNIQUE/);
      const names = await db.execute('select name from client order by name');
      expect(names.rows.map((row) => row.name)).toEqual(['Ana Cruz', 'Ben']);
    } finally {
      db.close();
    }
  });
});

describe('process helpers', () => {
  it('runs the Upstash CLI as its own process and stops it by PID', async () => {
    const port = await getFreePort();
    const cli = fileURLToPath(new URL('../support/upstash-rest/cli.ts', import.meta.url));
    const proc = spawnNodeScript({
      name: 'upstash-rest-cli',
      script: cli,
      nodeArgs: ['--import', 'tsx'],
      args: ['--port', String(port), '--redis-port', String(redisServer.port)],
      env: { UPSTASH_REDIS_REST_TOKEN: TOKEN },
    });
    await waitForPort(port, { process: proc, timeoutMs: 20_000 });
    const redis = new Redis({ url: `http://127.0.0.1:${port}`, token: TOKEN });
    expect(await redis.incr(key('cli'))).toBe(1);
    await proc.stop();
    expect(proc.exitInfo()).toEqual({ code: 0, signal: null });
    expect(isPidAlive(proc.pid)).toBe(false);
  }, 30_000);

  it('SIGKILLs a process that ignores SIGTERM after the grace period', async () => {
    const proc = spawnLogged({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000)"],
    });
    await waitUntil('the stubborn process to install its handler', async () => readFileSync(proc.logFile, 'utf8').includes('up'), { process: proc });
    await proc.stop(300);
    expect(proc.exitInfo()?.signal).toBe('SIGKILL');
  });

  it('fails fast with the log tail when a server exits before it is ready', async () => {
    const proc = spawnLogged({ name: 'crashes', command: process.execPath, args: ['-e', "console.error('boom: no config'); process.exit(3)"] });
    await expect(waitForPort(1, { process: proc, timeoutMs: 10_000 })).rejects.toThrow(/exited with code 3[\s\S]*boom: no config/);
  });
});
