// The database port takes the write turn for every write outside a transaction (decision 124): on a
// real libSQL file, a transaction through ctx.write holds the turn (and SQLite's write lock: BEGIN
// IMMEDIATE) until the test lets it go. A write on ctx.db with NO wrapper at its call site must wait
// for it; if it went to SQLite instead, it would meet the lock in native code and fail with
// SQLITE_BUSY after the busy timeout. A read must not wait. Code that writes on ctx.db from inside a
// transaction's own work gets a clear error instead of waiting for itself.
import { EventEmitter } from 'node:events';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logActivity } from '../../app/core/audit/activity-log.server';
import { recordAudit } from '../../app/core/audit/audit-trail.server';
import type { AppContext } from '../../app/platform/context';
import { shareFileWriteTurn, WriteTurnHeldByTransaction } from '../../app/platform/write-queue';
import { isStoreUnavailable } from '../../app/web/store-unavailable.server';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { openDatabase } from '../../db/client';
import { activityLogs, configAuditLog, userSessions, users } from '../../db/schema';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount } from '../support/sql';
import { waitUntil } from '../support/processes';
import type { PrimaryChannel } from '../../server/cluster-stores';
import { connectToPrimaryWriteTurn, createPrimaryWriteTurn } from '../../server/cluster-write-turn';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

/** A ctx.write transaction that has written a row (so it holds the file lock) and stays open until `release()`. */
async function holdTheTurn(on: AppContext = ctx) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const state = { open: true };
  const done = on.write(async (tx) => {
    await tx.insert(activityLogs).values({ action: 'test.holder', createdAt: on.clock.now() });
    entered();
    await released;
    state.open = false;
  });
  await inside;
  return { release, done, state };
}

/** Records when `promise` settles, in `order`, under `name`. */
function track<T>(promise: PromiseLike<T>, name: string, order: string[]): Promise<T> {
  return Promise.resolve(promise).finally(() => order.push(name));
}

/** Lets timers and I/O run: time for a write that does not wait for the turn to reach SQLite (and fail on its lock). */
const aWhile = () => new Promise((resolve) => setTimeout(resolve, 150));

/**
 * Starts `writes` while a ctx.write transaction holds the turn, checks that none has settled a while
 * later (none ran, none failed on the lock), runs `during` (more checks while held), lets the
 * transaction commit, and returns the order in which everything settled and what each gave.
 */
async function whileTheTurnIsHeld(writes: () => Record<string, PromiseLike<unknown>>, during: () => Promise<void> = async () => {}) {
  const holder = await holdTheTurn();
  const order: string[] = [];
  const committed = track(holder.done, 'transaction committed', order);
  const started = Object.entries(writes()).map(([name, write]) => track(write, name, order));
  await aWhile();
  expect(order).toEqual([]);
  await during();
  holder.release();
  const results = await Promise.all(started);
  await committed;
  return { order, results };
}

describe('the database port takes the write turn for an autocommit write', () => {
  it('runs a bare ctx.db update and insert only after the transaction holding the turn has committed', async () => {
    const userId = await userIdByEmail(t.db, 'viewer@demo.test');
    const { order } = await whileTheTurnIsHeld(() => ({
      update: ctx.db.update(users).set({ fullName: 'Renamed While Held' }).where(eq(users.id, userId)),
      insert: ctx.db.insert(activityLogs).values({ action: 'test.bare-insert', createdAt: ctx.clock.now() }),
    }));
    expect(order).toEqual(['transaction committed', 'update', 'insert']);
    const [user] = await t.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId));
    expect(user.fullName).toBe('Renamed While Held');
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action IN ('test.holder', 'test.bare-insert')")).toBe(2);
  });

  it('runs a raw client write and a batch with a write in the turn too', async () => {
    const { order } = await whileTheTurnIsHeld(() => ({
      raw: t.client.execute({ sql: 'INSERT INTO activity_logs (action, created_at) VALUES (?, ?)', args: ['test.raw', 0] }),
      batch: t.db.batch([
        t.db.select({ n: sql<number>`count(*)` }).from(users),
        t.db.insert(activityLogs).values({ action: 'test.batch', createdAt: ctx.clock.now() }),
      ]),
    }));
    expect(order).toEqual(['transaction committed', 'raw', 'batch']);
  });

  it('does not make a read wait: ctx.db reads, a read-only batch and a raw SELECT answer while the turn is held', async () => {
    const holder = await holdTheTurn();
    try {
      const reads = Promise.all([
        ctx.db.select({ id: users.id }).from(users).limit(3),
        ctx.db.batch([ctx.db.select({ n: sql<number>`count(*)` }).from(users), ctx.db.select({ id: users.id }).from(users).limit(1)]),
        t.client.execute('SELECT count(*) AS n FROM activity_logs'),
      ]);
      const first = await Promise.race([
        reads.then(() => 'answered'),
        aWhile()
          .then(() => aWhile())
          .then(() => 'still waiting'),
      ]);
      expect(first).toBe('answered');
      expect(holder.state.open).toBe(true);
      const [list, [[count]], raw] = await reads;
      expect(list).toHaveLength(3);
      expect(Number(count.n)).toBeGreaterThan(0);
      expect(raw.rows).toHaveLength(1);
    } finally {
      holder.release();
      await holder.done;
    }
  });
});

describe('the real code paths that write on their own', () => {
  it('logActivity and recordAudit without a transaction wait for the turn; with one they commit inside it', async () => {
    const userId = await userIdByEmail(t.db, 'admin@demo.test');
    const { order } = await whileTheTurnIsHeld(() => ({
      logActivity: logActivity(ctx, { userId, action: 'test.alone' }),
      recordAudit: recordAudit(ctx, { table: 'settings', recordId: 1, action: 'update', before: { v: 1 }, after: { v: 2 }, userId }),
    }));
    expect(order).toEqual(['transaction committed', 'logActivity', 'recordAudit']);

    // Given the transaction, they write on it: no wait for the turn it holds, and they roll back with it.
    await ctx.write(async (tx) => {
      await logActivity(ctx, { userId, action: 'test.in-tx' }, tx);
      await recordAudit(ctx, { table: 'settings', recordId: 2, action: 'update', before: { v: 1 }, after: { v: 3 }, userId }, tx);
    });
    await expect(
      ctx.write(async (tx) => {
        await logActivity(ctx, { userId, action: 'test.rolled-back' }, tx);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action IN ('test.alone', 'test.in-tx')")).toBe(2);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'test.rolled-back'")).toBe(0);
    expect(
      await t.db
        .select({ id: configAuditLog.id })
        .from(configAuditLog)
        .where(and(eq(configAuditLog.tableName, 'settings'), eq(configAuditLog.userId, userId))),
    ).toHaveLength(2);
  });

  it('touches the session during a request only after the transaction holding the turn, and answers 200', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    const lastSeen = async () => (await t.db.select({ at: userSessions.lastSeenAt }).from(userSessions).where(eq(userSessions.userId, userId)))[0].at.getTime();
    const before = await lastSeen();
    ctx.clock.advance(5 * 60_000); // past the touch interval, inside the idle limit: this request touches the session
    const { order, results } = await whileTheTurnIsHeld(
      () => ({ 'request answered': callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients')) }),
      async () => expect(await lastSeen()).toBe(before),
    );
    expect((results[0] as { status: number }).status).toBe(200);
    expect(order).toEqual(['transaction committed', 'request answered']);
    expect(await lastSeen()).toBe(ctx.clock.now().getTime());
  });
});

describe('a write on ctx.db from inside a transaction (the transaction waits for it, it waits for the turn)', () => {
  it('fails with a clear, store-unavailable error instead of hanging; the transaction rolls back and the turn moves on', async () => {
    // A second handle on the same file with a short wait limit (the default is SQLite's 5 s busy timeout).
    const opened = await openDatabase(t.url, undefined, { transactionWaitLimitMs: 300 });
    try {
      const short = testContext({ db: opened.db });
      const failure = await short
        .write(async (tx) => {
          await tx.insert(activityLogs).values({ action: 'test.outer', createdAt: short.clock.now() });
          await logActivity(short, { action: 'test.on-db-inside' }); // the mistake: ctx.db, not tx
        })
        .catch((error: unknown) => error);

      // Drizzle reports it as the failed query, with the port's error as the cause.
      const cause = (failure as Error).cause;
      expect(cause).toBeInstanceOf(WriteTurnHeldByTransaction);
      expect((cause as Error).message).toContain("A write issued inside a transaction's work must use its transaction handle (tx)");
      expect(isStoreUnavailable(failure)).toBe(true); // 503 "nothing was saved", as SQLITE_BUSY answered before
      await short.db.insert(activityLogs).values({ action: 'test.after', createdAt: short.clock.now() });
      expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action IN ('test.outer', 'test.on-db-inside')")).toBe(0);
      expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'test.after'")).toBe(1);
    } finally {
      opened.client.close();
    }
  });
});

describe("in a cluster worker: the port takes the cluster's turn too", () => {
  // The real primary and worker sides of the turn (server/cluster-write-turn.ts), joined by an
  // in-process pipe in place of the IPC channel: the same messages, delivered on a later tick.
  function joinPrimary() {
    const primary = createPrimaryWriteTurn();
    const toPrimary = new EventEmitter();
    const toWorker = new EventEmitter();
    primary.serve({
      on: ((event: string, listener: (m: unknown) => void) => toPrimary.on(event, listener)) as never,
      send: ((message: unknown, callback?: (error: Error | null) => void) => {
        setImmediate(() => toWorker.emit('message', structuredClone(message)));
        callback?.(null);
        return true;
      }) as never,
      isConnected: () => true,
    });
    const channel: PrimaryChannel = {
      send(message, callback) {
        setImmediate(() => toPrimary.emit('message', structuredClone(message)));
        callback(null);
      },
      onMessage: (listener) => void toWorker.on('message', listener),
    };
    shareFileWriteTurn(connectToPrimaryWriteTurn({ channel, timeoutMs: 5_000 }));
    return primary;
  }
  const turnGivenBack = (primary: ReturnType<typeof createPrimaryWriteTurn>) =>
    waitUntil('the cluster turn given back', async () => !primary.state().held && primary.state().waiting === 0, { timeoutMs: 5_000 });

  afterEach(() => shareFileWriteTurn(null));

  it('asks the primary for a bare write, not for a read, and gives the turn back', async () => {
    const primary = joinPrimary();
    await ctx.db.select({ id: users.id }).from(users).limit(1);
    expect(primary.granted()).toBe(0);
    await ctx.db.insert(activityLogs).values({ action: 'test.clustered', createdAt: ctx.clock.now() });
    expect(primary.granted()).toBe(1);
    await turnGivenBack(primary);
  });

  it('a write on ctx.db inside the transaction fails clearly and leaves the cluster turn free', async () => {
    const primary = joinPrimary();
    const opened = await openDatabase(t.url, undefined, { transactionWaitLimitMs: 300 });
    try {
      const short = testContext({ db: opened.db });
      const failure = await short
        .write(async (tx) => {
          await tx.insert(activityLogs).values({ action: 'test.outer', createdAt: short.clock.now() });
          await logActivity(short, { action: 'test.on-db-inside' });
        })
        .catch((error: unknown) => error);
      expect((failure as Error).cause).toBeInstanceOf(WriteTurnHeldByTransaction);
      await turnGivenBack(primary);
      await short.db.insert(activityLogs).values({ action: 'test.after', createdAt: short.clock.now() });
      expect(primary.granted()).toBe(2); // the transaction's turn and the write after it; the given-up write asked for none
      await turnGivenBack(primary);
      expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action IN ('test.outer', 'test.on-db-inside', 'test.after')")).toBe(1);
    } finally {
      opened.client.close();
    }
  });
});
