// A loopback HTTP fake of NextBank that speaks the contract in docs/integrations/nextbank.md:
// Basic auth, POST /management/status, POST /command/UpdateCustomer (Idempotency-Key header; a
// repeated key gets the same stored reply and is never applied twice), POST /query/PaymentHistory.
// It records every request and can fail on demand (failure-switches.ts). Tests start it in-process;
// `npm start` runs cli.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { FailureSwitches, type FailureKind, type FailureOptions, type FailureRule } from './failure-switches';
import { authorised, basicUser, errorBody, headerOf, isCalendarDate, parseJsonOrText, readBody, sendJson } from './http-parts';
import { NextbankLedger, type FakeCustomer, type FakePayment, type KeyCounts } from './ledger';

export const FAKE_PATHS = {
  status: '/management/status',
  updateCustomer: '/command/UpdateCustomer',
  paymentHistory: '/query/PaymentHistory',
} as const;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const MONTH_FIELD = 'Month to Update (MM/DD/YYYY)';

export interface NextbankFakeOptions {
  port?: number;
  host?: string;
  username?: string;
  password?: string;
  /** Customer ids that exist; omitted = every well-formed id exists. */
  knownCustomers?: Iterable<string>;
  /** One line per request (no credentials), e.g. for the CLI. */
  log?: (line: string) => void;
}

export interface ReceivedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** The Basic-auth user name sent (never the password). */
  authUser: string | null;
  /** The W3C `traceparent` header as received (null when none was sent). */
  traceparent: string | null;
  body: unknown;
  /** ok, replayed, unauthorized, bad_request, not_found, conflict, failure:<kind>[:status] … */
  outcome: string;
}

export interface NextbankFake {
  url: string;
  port: number;
  stop(): Promise<void>;
  requests(path?: string): ReceivedRequest[];
  /** Per idempotency key: UpdateCustomer requests received and times applied. */
  countsByKey(): Map<string, KeyCounts>;
  customer(customerId: string): FakeCustomer | undefined;
  setPayments(customerId: string, payments: FakePayment[]): void;
  /** Failure switches. times omitted = until clearFailures(). */
  failWithStatus(options?: FailureOptions): void;
  hang(options?: FailureOptions): void;
  dropConnection(options?: FailureOptions): void;
  unauthorized(options?: FailureOptions): void;
  malformedReply(options?: FailureOptions): void;
  clearFailures(): void;
  activeFailures(): readonly FailureRule[];
  /** Forget requests, customers, keys and switches. */
  reset(): void;
}

const updateCustomerBody = z.object({
  customerId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'customerId must be 1-32 letters, digits or dashes'),
  externalId: z.string().max(64).optional(),
  customFields: z
    .array(z.object({ name: z.string().min(1).max(100), value: z.string().max(200) }))
    .min(1)
    .max(20),
});
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
const paymentHistoryBody = z.object({
  customerIds: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,32}$/))
    .min(1)
    .max(100),
  from: isoDay,
  to: isoDay,
});

export async function startNextbankFake(options: NextbankFakeOptions = {}): Promise<NextbankFake> {
  const username = options.username ?? 'client-updater';
  const password = options.password ?? 'fake-nextbank-password';
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
  const ledger = new NextbankLedger(options.knownCustomers ? new Set(options.knownCustomers) : null);
  const switches = new FailureSwitches();
  const received: ReceivedRequest[] = [];
  const log = options.log ?? (() => undefined);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL', String(error)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    const raw = await readBody(req);
    const record: ReceivedRequest = {
      seq: received.length + 1,
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path,
      idempotencyKey: headerOf(req, IDEMPOTENCY_HEADER),
      authUser: basicUser(req.headers.authorization),
      traceparent: headerOf(req, 'traceparent'),
      body: parseJsonOrText(raw),
      outcome: 'pending',
    };
    received.push(record);
    const finish = (outcome: string) => {
      record.outcome = outcome;
      log(JSON.stringify({ msg: 'nextbank fake request', seq: record.seq, path, key: record.idempotencyKey, outcome, traceparent: record.traceparent }));
    };
    if (path === FAKE_PATHS.updateCustomer && record.idempotencyKey) ledger.countReceived(record.idempotencyKey);

    const before = switches.take(path, 'before');
    if (before && fail(before, res, finish)) return;
    if (raw === null) {
      finish('body_too_large');
      return sendJson(res, 413, errorBody('PAYLOAD_TOO_LARGE', 'body over 64 KiB'));
    }
    if (!authorised(req.headers.authorization, expectedAuth)) {
      finish('unauthorized');
      res.setHeader('WWW-Authenticate', 'Basic realm="NextBank"');
      return sendJson(res, 401, errorBody('UNAUTHORIZED', 'invalid credentials'));
    }
    if (req.method !== 'POST') {
      finish('method_not_allowed');
      return sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', 'POST only'));
    }

    const reply = route(path, record);
    const after = switches.take(path, 'after');
    if (after && fail(after, res, finish)) return;
    finish(reply.outcome);
    if (reply.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(reply.body);
  }

  function route(path: string, record: ReceivedRequest): { status: number; body: string; outcome: string; replayed?: boolean } {
    if (path === FAKE_PATHS.status) {
      return { status: 200, outcome: 'ok', body: JSON.stringify({ status: 'UP', service: 'nextbank-fake', time: new Date().toISOString() }) };
    }
    if (path === FAKE_PATHS.updateCustomer) return updateCustomer(record);
    if (path === FAKE_PATHS.paymentHistory) return paymentHistory(record);
    return { status: 404, outcome: 'not_found', body: errorBody('NOT_FOUND', `no route ${path}`) };
  }

  function updateCustomer(record: ReceivedRequest) {
    const key = record.idempotencyKey;
    if (!key || key.length < 8 || key.length > 255) {
      return { status: 400, outcome: 'bad_request', body: errorBody('IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key header (8-255 chars) is required') };
    }
    const parsed = updateCustomerBody.safeParse(record.body);
    if (!parsed.success) return { status: 400, outcome: 'bad_request', body: errorBody('VALIDATION_ERROR', parsed.error.issues[0].message) };
    const fingerprint = JSON.stringify(parsed.data);
    const stored = ledger.replies.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        return { status: 422, outcome: 'conflict', body: errorBody('IDEMPOTENCY_KEY_REUSED', 'this key was used for a different request') };
      }
      return { status: stored.status, body: stored.body, outcome: 'replayed', replayed: true };
    }
    for (const field of parsed.data.customFields) {
      if (field.name !== MONTH_FIELD)
        return { status: 400, outcome: 'bad_request', body: errorBody('UNKNOWN_CUSTOM_FIELD', `unknown custom field "${field.name}"`) };
      if (!isCalendarDate(field.value)) {
        return { status: 400, outcome: 'bad_request', body: errorBody('VALIDATION_ERROR', `"${MONTH_FIELD}" must be a date MM/DD/YYYY`) };
      }
    }
    if (!ledger.customerExists(parsed.data.customerId)) {
      return { status: 404, outcome: 'not_found', body: errorBody('CUSTOMER_NOT_FOUND', `no customer ${parsed.data.customerId}`) };
    }
    const reply = ledger.applyUpdate(key, fingerprint, parsed.data.customerId, parsed.data.customFields, new Date());
    return { status: reply.status, body: reply.body, outcome: 'ok' };
  }

  function paymentHistory(record: ReceivedRequest) {
    const parsed = paymentHistoryBody.safeParse(record.body);
    if (!parsed.success) return { status: 400, outcome: 'bad_request', body: errorBody('VALIDATION_ERROR', parsed.error.issues[0].message) };
    const { customerIds, from, to } = parsed.data;
    const customers = customerIds.map((customerId) =>
      ledger.customerExists(customerId)
        ? { customerId, found: true, payments: ledger.paymentsBetween(customerId, from, to) }
        : { customerId, found: false, payments: [] },
    );
    return { status: 200, outcome: 'ok', body: JSON.stringify({ from, to, customers }) };
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const host = options.host ?? '127.0.0.1';

  const add = (kind: FailureKind) => (o?: FailureOptions) => switches.add(kind, o);
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // hung requests included
      }),
    requests: (p) => (p ? received.filter((r) => r.path === p) : [...received]),
    countsByKey: () => new Map([...ledger.counts].map(([k, v]) => [k, { ...v }])),
    customer: (id) => {
      const c = ledger.customers.get(id);
      return c ? { ...c, customFields: { ...c.customFields } } : undefined;
    },
    setPayments: (id, payments) => ledger.setPayments(id, payments),
    failWithStatus: add('status'),
    hang: add('hang'),
    dropConnection: add('drop'),
    unauthorized: add('unauthorized'),
    malformedReply: add('malformed'),
    clearFailures: () => switches.clear(),
    activeFailures: () => switches.active(),
    reset: () => {
      received.length = 0;
      ledger.reset();
      switches.clear();
    },
  };
}

/** Acts on a failure rule (every kind ends the request). */
function fail(rule: FailureRule, res: ServerResponse, finish: (outcome: string) => void): true {
  switch (rule.kind) {
    case 'status':
      finish(`failure:status:${rule.status}`);
      sendJson(res, rule.status, errorBody('SERVICE_UNAVAILABLE', `injected HTTP ${rule.status}`));
      return true;
    case 'unauthorized':
      finish('failure:unauthorized');
      res.setHeader('WWW-Authenticate', 'Basic realm="NextBank"');
      sendJson(res, 401, errorBody('UNAUTHORIZED', 'invalid credentials'));
      return true;
    case 'hang':
      finish(`failure:hang${rule.afterApply ? ':after_apply' : ''}`);
      return true; // no reply: the socket stays open until the client aborts or the fake stops
    case 'drop':
      finish(`failure:drop${rule.afterApply ? ':after_apply' : ''}`);
      res.socket?.destroy();
      return true;
    case 'malformed':
      finish(`failure:malformed${rule.afterApply ? ':after_apply' : ''}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"commandId":"cmd-');
      return true;
  }
}
