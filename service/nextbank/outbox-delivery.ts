// Delivers the Month to Update outbox (client_tele_history rows the app wrote, one job each on
// queue 'nextbank') to NextBank's UpdateCustomer, exactly once from our side:
// - a row (or any row carrying the same idempotency key) already confirmed → nothing is sent;
// - every send carries the row's idempotency key, so a resend after a lost reply is answered from
//   NextBank's idempotency store and applied once;
// - the client's pointer moves touched_status → touched_month only on confirmation, in the same
//   transaction that stores the reply (app/core/tele/tele-rules.ts nextPointer).
// Row states (decision 062): pending → sent (each attempt) → confirmed | failed. 'failed' only when
// no retry is left (last attempt, or an answer a retry cannot change); until then the row keeps
// 'sent' (or 'pending' if nothing reached NextBank) with the last error, and the job retries.
import { and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/database';
import { clientTeleHistory, clients, type ClientPointer, type ClientTeleHistory } from '../../db/schema';
import { nextbankPayloadSchema, type NextbankPayload } from '../../app/core/jobs/payloads.server';
import { updateCustomerRequest, MONTH_TO_UPDATE_FIELD, UPDATE_CUSTOMER_PATH, type NextbankRequest } from '../../app/core/tele/nextbank-request';
import { nextPointer, pointerOf } from '../../app/core/tele/tele-rules';
import { writeTransaction } from '../../app/platform/write-queue';
import { DeferJobError, PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler';
import { BrokenCircuitError, CallerAbortedError, IsolatedCircuitError, describeCallFailure } from '../resilience/integration-policies';
import { createNextbankClient, NextbankError, type NextbankClient, type NextbankClientOptions } from './client';
import { parseNextbankConfig, type NextbankConfig } from './config';

const storedRequestSchema = z.object({
  method: z.literal('POST'),
  path: z.literal(UPDATE_CUSTOMER_PATH),
  idempotencyKey: z.string().min(8).max(255),
  body: z.object({
    customerId: z.string().min(1).max(32),
    customFields: z.array(z.object({ name: z.literal(MONTH_TO_UPDATE_FIELD), value: z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/) })).min(1),
  }),
});

/** How long a job refused by the open breaker waits before it tries again (not counted as an attempt). */
const BREAKER_RETRY_MS = 5_000;

/** The worker's abort reasons (service/jobs/job-attempt.ts) after which the job runs again. */
const HANDED_BACK = new Set(['ShutdownAbort', 'LeaseLostError']);

/** Never touch a confirmed row again (a NULL status counts as not confirmed). */
const notConfirmed = () => or(isNull(clientTeleHistory.nextbankStatus), ne(clientTeleHistory.nextbankStatus, 'confirmed'));

export function createNextbankHandler(config: NextbankConfig, options: NextbankClientOptions = {}): JobHandler {
  return nextbankHandlerFor(createNextbankClient(config, options));
}

/**
 * For service/handlers.ts. With NEXTBANK_* all unset outside production it returns undefined: the
 * queue is not claimed (commands wait as "waiting for NextBank") and the service still starts.
 * Set but invalid, or unset in production: throws naming each variable (fail fast at start).
 */
export function nextbankHandlerFromEnv(env: Record<string, string | undefined>): JobHandler | undefined {
  const anySet = Boolean(env.NEXTBANK_URL || env.NEXTBANK_USERNAME || env.NEXTBANK_PASSWORD);
  if (!anySet && env.NODE_ENV !== 'production') return undefined;
  return createNextbankHandler(parseNextbankConfig(env));
}

export function nextbankHandlerFor(client: NextbankClient): JobHandler {
  return async (payload, run) => {
    const parsed = nextbankPayloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError(`nextbank job: bad payload (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
    return deliverMonthToUpdate(client, parsed.data, run);
  };
}

export async function deliverMonthToUpdate(client: NextbankClient, payload: NextbankPayload, run: JobRunContext): Promise<string> {
  const { db, clock } = run;
  const [row] = await db.select().from(clientTeleHistory).where(eq(clientTeleHistory.id, payload.teleHistoryId)).limit(1);
  if (!row) throw new PermanentJobError(`nextbank job: tele history row ${payload.teleHistoryId} does not exist`);
  const storedKey = (row.nextbankRequest as { idempotencyKey?: unknown } | null)?.idempotencyKey ?? row.idempotencyKey;
  if (row.clientId !== payload.clientId || storedKey !== payload.idempotencyKey || (row.action !== 'month_to_update' && row.action !== 'retry')) {
    throw new PermanentJobError(`nextbank job: payload does not match tele history row ${row.id} (client, idempotency key or action differ)`);
  }
  if (row.nextbankStatus === 'confirmed') return `already confirmed at ${row.confirmedAt?.toISOString() ?? '?'}; nothing sent`;
  const twin = await confirmedTwin(db, row, payload.idempotencyKey);
  if (twin) {
    await db
      .update(clientTeleHistory)
      .set({ nextbankStatus: 'confirmed', nextbankResponse: twin.nextbankResponse, confirmedAt: twin.confirmedAt ?? clock.now(), error: null })
      .where(and(eq(clientTeleHistory.id, row.id), notConfirmed()));
    return `already confirmed by tele history row ${twin.id}; nothing sent`;
  }

  const request = await requestToSend(db, row, payload);
  if (!request.ok) {
    await markFailed(db, row.id, request.error);
    throw new PermanentJobError(request.error);
  }
  const isLastAttempt = run.job.attempts >= run.job.maxAttempts;

  // Say what is about to be sent before sending: a crash after this line leaves 'sent', and the
  // next attempt resends under the same key.
  await db
    .update(clientTeleHistory)
    .set({ nextbankStatus: 'sent', nextbankRequest: request.value, sentAt: clock.now() })
    .where(and(eq(clientTeleHistory.id, row.id), notConfirmed()));

  try {
    const reply = await client.updateCustomer(request.value, run.signal, { tracing: run.tracing, parent: run.trace });
    const pointer = await confirm(db, row.id, payload.clientId, { httpStatus: reply.httpStatus, replayed: reply.replayed, body: reply.body }, clock.now());
    run.logger.info('nextbank month to update confirmed', { teleHistoryId: row.id, clientId: payload.clientId, replayed: reply.replayed, pointer });
    return `confirmed by NextBank (${reply.body.commandId}${reply.replayed ? ', replayed' : ''})`;
  } catch (error) {
    const notSent = error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
    const permanent = error instanceof NextbankError && error.kind === 'rejected';
    // Shutdown and a lost lease hand the job back (or to another worker): not this row's last word.
    const handedBack = error instanceof CallerAbortedError && HANDED_BACK.has((run.signal.reason as Error | undefined)?.name ?? '');
    const final = permanent || (isLastAttempt && !handedBack);
    const message = failureText(error, run, final);
    const response = error instanceof NextbankError && error.httpStatus !== null ? { httpStatus: error.httpStatus, code: error.code } : undefined;
    // Refused by the breaker: nothing reached NextBank, so the row goes back to what it was.
    const unsent = notSent ? { nextbankStatus: row.nextbankStatus, sentAt: row.sentAt } : undefined;
    await recordFailure(db, row.id, message, final, unsent, response);
    run.logger.warn('nextbank month to update failed', { teleHistoryId: row.id, attempt: run.job.attempts, permanent, error: message });
    if (permanent) throw new PermanentJobError(message);
    // Breaker open: nothing was sent, so the attempt is not spent; try again when it may be half-open.
    if (notSent) throw new DeferJobError(message, BREAKER_RETRY_MS);
    throw error instanceof Error ? error : new Error(message);
  }
}

/** Another outbox row for the same key (the first send, or an earlier retry) that NextBank confirmed. */
async function confirmedTwin(db: AppDatabase, row: ClientTeleHistory, key: string) {
  const [twin] = await db
    .select({ id: clientTeleHistory.id, nextbankResponse: clientTeleHistory.nextbankResponse, confirmedAt: clientTeleHistory.confirmedAt })
    .from(clientTeleHistory)
    .where(
      and(
        eq(clientTeleHistory.clientId, row.clientId),
        ne(clientTeleHistory.id, row.id),
        eq(clientTeleHistory.nextbankStatus, 'confirmed'),
        or(eq(clientTeleHistory.idempotencyKey, key), sql`json_extract(${clientTeleHistory.nextbankRequest}, '$.idempotencyKey') = ${key}`),
      ),
    )
    .limit(1);
  return twin;
}

/** The request the app stored with the row (sent verbatim), or one built from the payload if none was stored. */
async function requestToSend(
  db: AppDatabase,
  row: ClientTeleHistory,
  payload: NextbankPayload,
): Promise<{ ok: true; value: NextbankRequest } | { ok: false; error: string }> {
  if (row.nextbankRequest) {
    const stored = storedRequestSchema.safeParse(row.nextbankRequest);
    if (!stored.success)
      return { ok: false, error: `stored NextBank request is malformed (${stored.error.issues[0].path.join('.')}: ${stored.error.issues[0].message})` };
    return { ok: true, value: stored.data as NextbankRequest };
  }
  const [c] = await db.select({ customerIdNb: clients.customerIdNb }).from(clients).where(eq(clients.id, payload.clientId)).limit(1);
  if (!c?.customerIdNb) return { ok: false, error: 'client has no NextBank customer id: NextBank cannot be updated until a sync brings one' };
  return {
    ok: true,
    value: updateCustomerRequest({ customerId: c.customerIdNb, monthToUpdate: payload.monthToUpdate, idempotencyKey: payload.idempotencyKey }),
  };
}

/** Stores the reply, marks the row confirmed and moves the pointer, in one transaction. */
async function confirm(db: AppDatabase, rowId: number, clientId: number, response: unknown, now: Date): Promise<ClientPointer> {
  return writeTransaction(
    db,
    async (tx) => {
      const [c] = await tx.select({ pointer: clients.pointer }).from(clients).where(eq(clients.id, clientId)).limit(1);
      const before = pointerOf(c?.pointer);
      const after = nextPointer(c?.pointer, 'month_confirmed');
      if (c && after !== before) await tx.update(clients).set({ pointer: after, updatedAt: now }).where(eq(clients.id, clientId));
      await tx
        .update(clientTeleHistory)
        .set({ nextbankStatus: 'confirmed', nextbankResponse: response, confirmedAt: now, error: null, pointerAfter: after })
        .where(eq(clientTeleHistory.id, rowId));
      return after;
    },
    { behavior: 'immediate' },
  );
}

async function recordFailure(
  db: AppDatabase,
  rowId: number,
  error: string,
  final: boolean,
  unsent: Pick<ClientTeleHistory, 'nextbankStatus' | 'sentAt'> | undefined,
  response: unknown,
) {
  const state = final ? { nextbankStatus: 'failed' as const } : (unsent ?? { nextbankStatus: 'sent' as const });
  await db
    .update(clientTeleHistory)
    .set({ ...state, error, ...(response === undefined ? {} : { nextbankResponse: response }) })
    .where(and(eq(clientTeleHistory.id, rowId), notConfirmed()));
}

async function markFailed(db: AppDatabase, rowId: number, error: string) {
  await recordFailure(db, rowId, error, true, undefined, undefined);
}

function failureText(error: unknown, run: JobRunContext, final: boolean): string {
  const base = error instanceof CallerAbortedError ? 'delivery interrupted (service stopping or job timed out)' : describeCallFailure('nextbank', error);
  const attempt = `attempt ${run.job.attempts} of ${run.job.maxAttempts}`;
  return `${base} (${attempt}${final ? ', no retry left' : ', will retry'})`.slice(0, 1000);
}
