// Queue 'nextbank_sync': the scheduled NextBank payment sync (runPaymentSync, decision 063) as a job.
// Every PaymentHistory call goes through the process's 'nextbank' integration policy, the same
// breaker the outbox delivery uses. Breaker open (or opening mid-run) → DeferJobError: nothing more
// is sent and the attempt is not spent; the run is idempotent, so the deferred run simply redoes it.
import { nextbankSyncPayloadSchema } from '../../app/core/jobs/payloads.server';
import { DeferJobError, PermanentJobError, type JobHandler } from '../jobs/handler';
import { BrokenCircuitError, IsolatedCircuitError, describeCallFailure } from '../resilience/integration-policies';
import { createNextbankClient, type NextbankClient, type NextbankClientOptions } from './client';
import { parseNextbankConfig, type NextbankConfig } from './config';
import { nextbankPaymentHistory } from './payment-history';
import { runPaymentSync, type PaymentSyncOptions, type PaymentSyncReport } from './payment-sync';

export function createPaymentSyncHandler(config: NextbankConfig, options: NextbankClientOptions = {}, sync: PaymentSyncOptions = {}): JobHandler {
  return paymentSyncHandlerFor(createNextbankClient(config, options), sync);
}

/** Same rule as nextbankHandlerFromEnv: no NEXTBANK_* outside production → undefined (queue not claimed). */
export function paymentSyncHandlerFromEnv(env: Record<string, string | undefined>): JobHandler | undefined {
  const anySet = Boolean(env.NEXTBANK_URL || env.NEXTBANK_USERNAME || env.NEXTBANK_PASSWORD);
  if (!anySet && env.NODE_ENV !== 'production') return undefined;
  return createPaymentSyncHandler(parseNextbankConfig(env));
}

export function paymentSyncHandlerFor(client: NextbankClient, sync: PaymentSyncOptions = {}): JobHandler {
  const source = nextbankPaymentHistory(client);
  // Wait out the breaker's open window before the next try (it is half-open after that).
  const retryAfterMs = client.policy.options.openMs;
  return async (payload, run) => {
    const parsed = nextbankSyncPayloadSchema.safeParse(payload);
    if (!parsed.success)
      throw new PermanentJobError(`nextbank_sync job: bad payload (${parsed.error.issues[0].path.join('.') || 'payload'}: ${parsed.error.issues[0].message})`);
    const state = client.policy.breakerState();
    if (state === 'open' || state === 'isolated') {
      throw new DeferJobError(`NextBank payment sync not started: nextbank circuit breaker is ${state}`, retryAfterMs);
    }
    try {
      const report = await runPaymentSync(source, run, sync);
      return summary(report);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        run.logger.warn('nextbank payment sync deferred', { attempt: run.job.attempts, error: describeCallFailure('nextbank', error) });
        throw new DeferJobError(`NextBank payment sync stopped: ${describeCallFailure('nextbank', error)}`, retryAfterMs);
      }
      throw error;
    }
  };
}

function summary(r: PaymentSyncReport): string {
  return `NextBank sync ${r.periodKey}: ${r.clientsRead} clients read, ${r.notFoundInNextbank} not found in NextBank, ${r.clientsWithPayment} with a payment, ${r.hasPaymentSet} has_payment set to yes, ${r.pointersReset} pointers back to current`;
}
