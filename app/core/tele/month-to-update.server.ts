import { and, eq, sql } from 'drizzle-orm';
import { clientTeleHistory, clients } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { TraceContext } from '../../platform/trace-context';
import { logActivity } from '../audit/activity-log.server';
import { enqueueJob } from '../jobs/enqueue.server';
import { nextbankPayloadSchema } from '../jobs/payloads.server';
import { manilaDateParts } from '../status/periods';
import { updateCustomerRequest, type NextbankRequest } from './nextbank-request';
import { teleGate, teleStaleCheck, type TeleCommonFailure, type TeleStale, type TeleWho } from './save-tele-status.server';
import { isWaitingForNextbank, latestMonthCommand, teleClientInScope, teleCompanyId } from './tele-client.server';
import { canSaveMonthToUpdate, checkMonthToUpdate } from './tele-rules';

export type MonthRefusal = 'BAD_DATE' | 'STATUS_FIRST' | 'NO_NEXTBANK_ID' | 'WAITING_FOR_NEXTBANK' | 'NOTHING_TO_RETRY';

export type MonthCommandResult =
  | { ok: true; historyId: number; jobId: number; idempotencyKey: string }
  | TeleCommonFailure
  | TeleStale
  | { ok: false; code: MonthRefusal; field: string; message: string };

/** The Manila calendar date of now, YYYY-MM-DD. */
export function manilaToday(now: Date): string {
  const { year, month, day } = manilaDateParts(now);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

/**
 * The outbox step both the first send and a retry take, inside their transaction: a pending
 * history row holding the request, a 'nextbank' job that delivers it, and the link between them.
 * NextBank's idempotency key is the request's; `historyKey` fills the unique column (first send only).
 */
async function queueUpdateCustomer(
  tx: Tx,
  o: {
    client: { id: number; teleStatus: string | null; updateStatus: string | null; pointer: (typeof clientTeleHistory.$inferInsert)['pointerBefore'] };
    userId: number;
    action: 'month_to_update' | 'retry';
    monthToUpdate: string;
    request: NextbankRequest;
    now: Date;
    historyKey: string | null;
    jobKey: string;
    /** The request's span: the outbox row keeps its trace id, the job continues it. */
    trace: TraceContext;
  },
) {
  const [history] = await tx
    .insert(clientTeleHistory)
    .values({
      clientId: o.client.id,
      createdBy: o.userId,
      action: o.action,
      teleStatus: o.client.teleStatus,
      updateStatus: o.client.updateStatus,
      monthToUpdate: o.monthToUpdate,
      pointerBefore: o.client.pointer,
      pointerAfter: null,
      nextbankStatus: 'pending',
      nextbankRequest: o.request,
      idempotencyKey: o.historyKey,
      traceId: o.trace.traceId,
      createdAt: o.now,
    })
    .returning({ id: clientTeleHistory.id });
  const job = await enqueueJob(tx, {
    queue: 'nextbank',
    payload: nextbankPayloadSchema.parse({
      command: 'UpdateCustomer',
      teleHistoryId: history.id,
      clientId: o.client.id,
      idempotencyKey: o.request.idempotencyKey,
      monthToUpdate: o.monthToUpdate,
    }),
    idempotencyKey: o.jobKey,
    now: o.now,
    trace: o.trace,
  });
  await tx.update(clientTeleHistory).set({ jobQueueId: job.id }).where(eq(clientTeleHistory.id, history.id));
  return { history, job };
}

const WAITING = 'NextBank has not answered the last Month to Update yet; wait for its answer before sending another.';

/**
 * Saves a Month to Update: in ONE transaction the client's month_to_update, a client_tele_history
 * row (action 'month_to_update', nextbank_status 'pending', a fresh idempotency key, the exact
 * request the service will send) and the nextbank job that delivers it. The pointer does not move
 * here: the service moves it when NextBank confirms (docs/integrations/tele-outbox.md). Refused as
 * STALE when a tele row was written after the form's `baseTeleHistoryId` (decision 045).
 */
export async function saveMonthToUpdate(
  ctx: AppContext,
  who: TeleWho,
  clientId: number,
  input: { monthToUpdate: string; baseTeleHistoryId?: number },
): Promise<MonthCommandResult> {
  const fcashId = await teleCompanyId(ctx);
  return ctx.write(
    async (tx): Promise<MonthCommandResult> => {
      const client = await teleClientInScope(tx, who.scope, clientId);
      const refused = teleGate(client, fcashId);
      if (refused || !client) return refused ?? { ok: false, code: 'NOT_FOUND' };
      const stale = await teleStaleCheck(tx, client, input.baseTeleHistoryId);
      if (stale) return stale;
      const now = ctx.clock.now();
      const date = checkMonthToUpdate(input.monthToUpdate, manilaToday(now));
      if (!date.ok) return { ok: false, code: 'BAD_DATE', field: 'monthToUpdate', message: date.message };
      if (!canSaveMonthToUpdate(client.pointer)) {
        return {
          ok: false,
          code: 'STATUS_FIRST',
          field: 'monthToUpdate',
          message: 'Save the tele status and update status first: the Month to Update follows them.',
        };
      }
      if (!client.customerIdNb) {
        return {
          ok: false,
          code: 'NO_NEXTBANK_ID',
          field: 'monthToUpdate',
          message: 'This client has no NextBank customer id yet, so NextBank cannot be updated. Ask for a sync.',
        };
      }
      if (isWaitingForNextbank(await latestMonthCommand(tx, client.id))) {
        return { ok: false, code: 'WAITING_FOR_NEXTBANK', field: 'monthToUpdate', message: WAITING };
      }

      const key = crypto.randomUUID();
      const request = updateCustomerRequest({ customerId: client.customerIdNb, monthToUpdate: date.value, idempotencyKey: key });
      await tx.update(clients).set({ monthToUpdate: date.value, updatedAt: now }).where(eq(clients.id, client.id));
      const { history, job } = await queueUpdateCustomer(tx, {
        client,
        userId: who.userId,
        action: 'month_to_update',
        monthToUpdate: date.value,
        request,
        now,
        historyKey: key,
        jobKey: `nextbank:${key}`,
        trace: ctx.trace,
      });
      await logActivity(
        ctx,
        {
          userId: who.userId,
          action: 'tele.month_to_update',
          resourceType: 'client',
          resourceId: client.id,
          companyId: client.companyId,
          branchId: client.branchId,
          details: { historyId: history.id, jobId: job.id, old: { monthToUpdate: client.monthToUpdate }, new: { monthToUpdate: date.value } },
          at: now, // one transaction, one instant: the trace page lists the save before the job it queued
        },
        tx,
      );
      return { ok: true, historyId: history.id, jobId: job.id, idempotencyKey: key };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Retries a failed delivery: only the client's latest command, only when NextBank delivery failed
 * (the one the form showed: `historyId`). A 'retry' history row becomes the new outbox entry and a
 * new job delivers the SAME request under the SAME NextBank idempotency key, so NextBank applies it
 * at most once even if the failed attempt did reach it.
 */
export async function retryMonthToUpdate(ctx: AppContext, who: TeleWho, clientId: number, input: { historyId: number }): Promise<MonthCommandResult> {
  const fcashId = await teleCompanyId(ctx);
  return ctx.write(
    async (tx): Promise<MonthCommandResult> => {
      const client = await teleClientInScope(tx, who.scope, clientId);
      const refused = teleGate(client, fcashId);
      if (refused || !client) return refused ?? { ok: false, code: 'NOT_FOUND' };
      const latest = await latestMonthCommand(tx, client.id);
      const request = latest?.nextbankRequest as NextbankRequest | null | undefined;
      if (!latest || latest.id !== input.historyId || latest.nextbankStatus !== 'failed' || !request?.idempotencyKey || !latest.monthToUpdate) {
        const message = isWaitingForNextbank(latest) ? WAITING : 'Only the latest Month to Update, after NextBank delivery failed, can be retried.';
        return { ok: false, code: 'NOTHING_TO_RETRY', field: 'form', message };
      }
      const key = request.idempotencyKey;
      const [{ retries }] = await tx
        .select({ retries: sql<number>`count(*)` })
        .from(clientTeleHistory)
        .where(
          and(
            eq(clientTeleHistory.clientId, client.id),
            eq(clientTeleHistory.action, 'retry'),
            sql`json_extract(${clientTeleHistory.nextbankRequest}, '$.idempotencyKey') = ${key}`,
          ),
        );
      const attempt = Number(retries) + 1;
      const now = ctx.clock.now();
      // The unique idempotency_key column stays on the first row; the retry row carries it in its request.
      const { history, job } = await queueUpdateCustomer(tx, {
        client,
        userId: who.userId,
        action: 'retry',
        monthToUpdate: latest.monthToUpdate,
        request,
        now,
        historyKey: null,
        jobKey: `nextbank:${key}:retry:${attempt}`,
        trace: ctx.trace,
      });
      await logActivity(
        ctx,
        {
          userId: who.userId,
          action: 'tele.nextbank_retry',
          resourceType: 'client',
          resourceId: client.id,
          companyId: client.companyId,
          branchId: client.branchId,
          details: { historyId: history.id, failedHistoryId: latest.id, jobId: job.id, attempt },
          at: now,
        },
        tx,
      );
      return { ok: true, historyId: history.id, jobId: job.id, idempotencyKey: key };
    },
    { behavior: 'immediate' },
  );
}
