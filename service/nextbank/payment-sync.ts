// The NextBank sync run: reads FCASH clients' payments for the current month through the
// PaymentHistorySource adapter and
// - sets has_payment = yes on the client's current period row when NextBank reports a payment
//   posted in that month and the row still says no (never clears a yes; decision 063);
// - moves the pointer touched_month → current ("at the next NextBank sync", domain.md): the
//   client's confirmed Month to Update has now been read back with the rest of its NextBank data.
// Batches of the adapter's limit; each batch's writes are one transaction.
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database';
import { clientPeriodStatus, clients, companies } from '../../db/schema';
import { TELE_COMPANY_CODE } from '../../app/core/tele/tele-client.server';
import { nextPointer, pointerOf } from '../../app/core/tele/tele-rules';
import { manilaDateParts, periodOf } from '../../app/core/status/periods';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import { writeTransaction } from '../../app/platform/write-queue';
import type { JobProgress } from '../jobs/handler';
import type { PaymentHistorySource } from './payment-history';
import type { TraceContext } from '../../app/platform/trace-context';
import type { Tracing } from '../../app/platform/tracing';

export interface PaymentSyncRun {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  reportProgress?(progress: JobProgress): Promise<void>;
  /** The attempt's span and tracer: each PaymentHistory call is a child span (decision 094). */
  trace?: TraceContext;
  tracing?: Tracing;
}

export interface PaymentSyncOptions {
  /** Only these clients (e.g. one branch's, or a test's); default every FCASH client with a NextBank id. */
  clientIds?: number[];
  /** Smaller batches than the adapter's limit (tests). */
  batchSize?: number;
}

export interface PaymentSyncReport {
  periodKey: string;
  clientsRead: number;
  notFoundInNextbank: number;
  clientsWithPayment: number;
  hasPaymentSet: number;
  pointersReset: number;
}

export async function runPaymentSync(source: PaymentHistorySource, run: PaymentSyncRun, options: PaymentSyncOptions = {}): Promise<PaymentSyncReport> {
  const { db } = run;
  const now = run.clock.now();
  const period = periodOf('monthly', now); // FCASH products are monthly
  const today = manilaDateParts(now);
  const range = { from: `${period.key}-01`, to: `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}` };
  const batchSize = Math.max(1, Math.min(options.batchSize ?? source.batchLimit, source.batchLimit));
  const report: PaymentSyncReport = { periodKey: period.key, clientsRead: 0, notFoundInNextbank: 0, clientsWithPayment: 0, hasPaymentSet: 0, pointersReset: 0 };

  const [fcash] = await db.select({ id: companies.id }).from(companies).where(eq(companies.code, TELE_COMPANY_CODE)).limit(1);
  if (!fcash) return report;

  let afterId = 0;
  for (;;) {
    if (run.signal?.aborted) throw new Error('NextBank payment sync aborted');
    const batch = await db
      .select({
        clientId: clients.id,
        customerId: clients.customerIdNb,
        pointer: clients.pointer,
        statusId: clientPeriodStatus.id,
        hasPayment: clientPeriodStatus.hasPayment,
      })
      .from(clients)
      .leftJoin(clientPeriodStatus, and(eq(clientPeriodStatus.clientId, clients.id), eq(clientPeriodStatus.periodKey, period.key)))
      .where(
        and(
          eq(clients.companyId, fcash.id),
          isNotNull(clients.customerIdNb),
          isNull(clients.deletedAt),
          gt(clients.id, afterId),
          options.clientIds ? inArray(clients.id, options.clientIds) : undefined,
          or(isNotNull(clientPeriodStatus.id), eq(clients.pointer, 'touched_month')),
        ),
      )
      .orderBy(asc(clients.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1].clientId;

    const answers = await source.paymentsFor(
      [...new Set(batch.map((b) => b.customerId as string))],
      range,
      run.signal,
      run.trace && run.tracing ? { tracing: run.tracing, parent: run.trace } : undefined,
    );
    const paidRows: number[] = [];
    const resetClients: number[] = [];
    for (const b of batch) {
      const answer = answers.get(b.customerId as string);
      report.clientsRead += 1;
      if (!answer?.found) {
        report.notFoundInNextbank += 1;
        continue;
      }
      if (answer.payments.length > 0) {
        report.clientsWithPayment += 1;
        if (b.statusId !== null && b.hasPayment === false) paidRows.push(b.statusId);
      }
      if (nextPointer(b.pointer, 'nextbank_sync') !== pointerOf(b.pointer)) resetClients.push(b.clientId);
    }
    if (paidRows.length > 0 || resetClients.length > 0) {
      const [paid, reset] = await writeTransaction(
        db,
        async (tx) => {
          // version + 1: a status form opened before this shows the newer state (409) instead of overwriting it.
          const p = paidRows.length
            ? await tx
                .update(clientPeriodStatus)
                .set({ hasPayment: true, version: sql`${clientPeriodStatus.version} + 1` })
                .where(and(inArray(clientPeriodStatus.id, paidRows), eq(clientPeriodStatus.hasPayment, false)))
                .returning({ id: clientPeriodStatus.id })
            : [];
          const r = resetClients.length
            ? await tx
                .update(clients)
                .set({ pointer: 'current', updatedAt: now })
                .where(and(inArray(clients.id, resetClients), eq(clients.pointer, 'touched_month')))
                .returning({ id: clients.id })
            : [];
          return [p.length, r.length] as const;
        },
        { behavior: 'immediate' },
      );
      report.hasPaymentSet += paid;
      report.pointersReset += reset;
    }
    await run.reportProgress?.({ done: report.clientsRead, message: `NextBank sync ${period.key}: ${report.clientsRead} clients read` });
    if (batch.length < batchSize) break;
  }
  run.logger.info('nextbank payment sync done', { ...report });
  return report;
}
