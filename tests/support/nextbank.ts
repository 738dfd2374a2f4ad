// NextBank test support: the loopback fake, a config pointing at it, FCASH clients queued through
// the app's own tele workflow (saveTeleStatus + saveMonthToUpdate: the real outbox contract), and a
// real job worker for queue 'nextbank' with short backoffs.
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { clientTeleHistory, clients, companies, jobQueue } from '../../db/schema';
import { saveMonthToUpdate, retryMonthToUpdate } from '../../app/core/tele/month-to-update.server';
import { saveTeleStatus, type TeleWho } from '../../app/core/tele/save-tele-status.server';
import { startingClock } from '../../app/platform/clock';
import { createLogger } from '../../app/platform/logger';
import { JobWorker } from '../../service/jobs/worker';
import type { JobHandler } from '../../service/jobs/handler';
import { nextbankConfig, type NextbankConfig } from '../../service/nextbank/config';
import { startNextbankFake, type NextbankFake, type NextbankFakeOptions } from '../../fakes/nextbank/server';
import { TEST_NOW } from './app-server';
import { userIdByEmail, type TestAppContext } from './app-context';

export const FAKE_USER = 'client-updater-test';
export const FAKE_PASSWORD = 'correct horse battery nextbank';

export async function startFake(options: NextbankFakeOptions = {}): Promise<NextbankFake> {
  return startNextbankFake({ username: FAKE_USER, password: FAKE_PASSWORD, ...options });
}

export function configFor(fake: NextbankFake, password = FAKE_PASSWORD): NextbankConfig {
  return nextbankConfig({ url: fake.url, username: FAKE_USER, password });
}

/** FCASH clients with a NextBank id whose pointer is at the start of the cycle. */
export async function fcashClients(db: AppDatabase, count: number) {
  const rows = await db
    .select({ id: clients.id, customerId: clients.customerIdNb })
    .from(clients)
    .innerJoin(companies, eq(companies.id, clients.companyId))
    .where(
      and(eq(companies.code, 'FCASH'), isNotNull(clients.customerIdNb), isNull(clients.deletedAt), eq(clients.isActive, true), eq(clients.pointer, 'current')),
    )
    .orderBy(asc(clients.id))
    .limit(count);
  if (rows.length < count) throw new Error(`test base has only ${rows.length} FCASH clients at pointer current`);
  return rows.map((r) => ({ id: r.id, customerId: r.customerId as string }));
}

async function admin(ctx: TestAppContext): Promise<TeleWho> {
  const userId = await userIdByEmail(ctx.db, 'admin@demo.test');
  const [fcash] = await ctx.db.select({ id: companies.id }).from(companies).where(eq(companies.code, 'FCASH'));
  return { userId, scope: { userId, permission: 'status:update', companies: [{ companyId: fcash.id, level: 'all', branchIds: 'all' }] } };
}

/** What a tele agent does: save a tele status (pointer → touched_status), then a Month to Update. */
export async function queueMonthToUpdate(ctx: TestAppContext, clientId: number, monthToUpdate = '2026-12-01') {
  const who = await admin(ctx);
  const status = await saveTeleStatus(ctx, who, clientId, { teleStatus: 'not_yet_contacted', updateStatus: 'pending', reason: null, remarks: null });
  if (!status.ok) throw new Error(`saveTeleStatus refused: ${JSON.stringify(status)}`);
  const month = await saveMonthToUpdate(ctx, who, clientId, { monthToUpdate });
  if (!month.ok) throw new Error(`saveMonthToUpdate refused: ${JSON.stringify(month)}`);
  return month;
}

/** The tele agent's "retry" on a failed command. */
export async function retryCommand(ctx: TestAppContext, clientId: number, historyId: number) {
  const result = await retryMonthToUpdate(ctx, await admin(ctx), clientId, { historyId });
  if (!result.ok) throw new Error(`retryMonthToUpdate refused: ${JSON.stringify(result)}`);
  return result;
}

export async function teleRow(db: AppDatabase, id: number) {
  const [row] = await db.select().from(clientTeleHistory).where(eq(clientTeleHistory.id, id));
  return row;
}

export async function pointerOf(db: AppDatabase, clientId: number) {
  const [row] = await db.select({ pointer: clients.pointer }).from(clients).where(eq(clients.id, clientId));
  return row.pointer;
}

export async function jobRow(db: AppDatabase, id: number) {
  const [row] = await db.select().from(jobQueue).where(eq(jobQueue.id, id));
  return row;
}

/** A real worker for queue 'nextbank' only; its clock starts at the test's "today" and runs at real speed. */
export function nextbankWorker(db: AppDatabase, handler: JobHandler, logLines: string[] = [], concurrency?: number) {
  return new JobWorker({
    db,
    clock: startingClock(TEST_NOW),
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    handlers: { nextbank: handler },
    instanceId: 'nextbank-test',
    queues: ['nextbank'],
    ...(concurrency ? { policyOverrides: { nextbank: { concurrency } } } : {}),
    pollMs: 20,
    backoff: { baseMs: 40, maxMs: 300 },
    abortGraceMs: 1_000,
  });
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
