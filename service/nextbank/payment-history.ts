// Payment history behind an adapter. NextBank's endpoint for it is NOT confirmed with the bank:
// the contract assumed here (POST /query/PaymentHistory, up to 100 customer ids per call) is written
// in docs/integrations/nextbank.md. When the bank confirms the real one, write a new adapter that
// implements PaymentHistorySource; the sync run (payment-sync.ts) does not change.
import type { CallTrace, NextbankClient } from './client';

export interface PostedPayment {
  paymentId: string;
  /** YYYY-MM-DD, NextBank's business date (Manila). */
  postedOn: string;
  /** Decimal text, e.g. "1250.00" (exact money, never parsed into a float here). */
  amount: string;
  currency: string;
}

export interface CustomerPayments {
  /** False when NextBank does not know the customer id. */
  found: boolean;
  payments: PostedPayment[];
}

export interface PaymentHistorySource {
  /** Largest number of customer ids one call accepts. */
  readonly batchLimit: number;
  /** Payments posted between from and to (inclusive, YYYY-MM-DD), keyed by customer id. */
  paymentsFor(customerIds: string[], range: { from: string; to: string }, signal?: AbortSignal, trace?: CallTrace): Promise<Map<string, CustomerPayments>>;
}

/** The adapter for the ASSUMED NextBank contract (UNCONFIRMED with the bank). */
export function nextbankPaymentHistory(client: NextbankClient): PaymentHistorySource {
  return {
    batchLimit: 100,
    async paymentsFor(customerIds, range, signal, trace) {
      if (customerIds.length === 0) return new Map();
      if (customerIds.length > 100) throw new Error(`PaymentHistory takes at most 100 customer ids per call, got ${customerIds.length}`);
      const reply = await client.paymentHistory({ customerIds, from: range.from, to: range.to }, signal, trace);
      const out = new Map<string, CustomerPayments>();
      for (const c of reply.body.customers) out.set(c.customerId, { found: c.found, payments: c.payments });
      return out;
    },
  };
}
