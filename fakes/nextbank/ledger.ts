// The NextBank fake's state: customers and their custom fields, the idempotency store (one stored
// reply per key, replayed on repeats, the command applied once), and payment history.
import { createHash } from 'node:crypto';

export interface StoredReply {
  status: number;
  body: string;
  /** What the key was first used for; the same key with another body is refused (422). */
  fingerprint: string;
}

export interface FakeCustomer {
  customerId: string;
  customFields: Record<string, string>;
  updatedAt: string | null;
}

export interface FakePayment {
  paymentId: string;
  /** YYYY-MM-DD (Manila business date). */
  postedOn: string;
  /** Decimal pesos as text, e.g. "1250.00" (never a float). */
  amount: string;
  currency: 'PHP';
}

export interface KeyCounts {
  /** UpdateCustomer requests that carried this key (any outcome, replays included). */
  received: number;
  /** Times the command was applied: 1 for a delivered command, never more. */
  applied: number;
}

export class NextbankLedger {
  readonly customers = new Map<string, FakeCustomer>();
  readonly replies = new Map<string, StoredReply>();
  readonly counts = new Map<string, KeyCounts>();
  private readonly payments = new Map<string, FakePayment[]>();
  private commandSeq = 0;

  /** null = every customer id exists (the demo's seeded clients are not known to the fake). */
  constructor(private readonly knownCustomers: Set<string> | null) {}

  customerExists(customerId: string): boolean {
    return this.knownCustomers === null || this.knownCustomers.has(customerId);
  }

  countReceived(key: string): void {
    const c = this.counts.get(key) ?? { received: 0, applied: 0 };
    c.received += 1;
    this.counts.set(key, c);
  }

  /** Applies the custom fields and stores the reply under the key. */
  applyUpdate(key: string, fingerprint: string, customerId: string, fields: Array<{ name: string; value: string }>, at: Date): StoredReply {
    const customer = this.customers.get(customerId) ?? { customerId, customFields: {}, updatedAt: null };
    for (const f of fields) customer.customFields[f.name] = f.value;
    customer.updatedAt = at.toISOString();
    this.customers.set(customerId, customer);
    const c = this.counts.get(key) ?? { received: 0, applied: 0 };
    c.applied += 1;
    this.counts.set(key, c);
    this.commandSeq += 1;
    const reply: StoredReply = {
      status: 200,
      fingerprint,
      body: JSON.stringify({
        commandId: `cmd-${String(this.commandSeq).padStart(6, '0')}`,
        command: 'UpdateCustomer',
        status: 'APPLIED',
        customerId,
        appliedAt: customer.updatedAt,
        customFields: fields,
      }),
    };
    this.replies.set(key, reply);
    return reply;
  }

  setPayments(customerId: string, payments: FakePayment[]): void {
    this.payments.set(
      customerId,
      payments.map((p) => ({ ...p })),
    );
  }

  /**
   * Payments posted in [from, to]. Without payments set by a test, each customer gets a
   * deterministic history (about 6 months in 10 have a payment) so the demo shows something.
   */
  paymentsBetween(customerId: string, from: string, to: string): FakePayment[] {
    const list = this.payments.get(customerId) ?? generatedPayments(customerId, from, to);
    return list.filter((p) => p.postedOn >= from && p.postedOn <= to);
  }

  reset(): void {
    this.customers.clear();
    this.replies.clear();
    this.counts.clear();
    this.payments.clear();
    this.commandSeq = 0;
  }
}

function generatedPayments(customerId: string, from: string, to: string): FakePayment[] {
  const out: FakePayment[] = [];
  let [year, month] = from.split('-').map(Number);
  const [endYear, endMonth] = to.split('-').map(Number);
  for (let guard = 0; guard < 240 && (year < endYear || (year === endYear && month <= endMonth)); guard++) {
    const ym = `${year}-${String(month).padStart(2, '0')}`;
    const h = createHash('sha256').update(`${customerId}|${ym}`).digest();
    if (h[0] % 10 < 6) {
      const day = String((h[1] % 28) + 1).padStart(2, '0');
      const pesos = 1000 + (((h[2] << 8) | h[3]) % 9000);
      out.push({ paymentId: `pay-${customerId}-${ym}`, postedOn: `${ym}-${day}`, amount: `${pesos}.${String(h[4] % 100).padStart(2, '0')}`, currency: 'PHP' });
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}
