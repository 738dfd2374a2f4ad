// The NextBank HTTP client (fetch + Basic auth). Every call goes through the 'nextbank'
// integration policy (retry → breaker → timeout); the policy's AbortSignal cancels the request.
// Errors come out as NextbankError with a kind an operator can act on; the breaker's refusal
// (BrokenCircuitError) and a caller's abort (CallerAbortedError) pass through unchanged.
import { z } from 'zod';
import type { NextbankRequest } from '../../app/core/tele/nextbank-request';
import { TaskCancelledError, integrationPolicy, type CallFailureTraits, type IntegrationPolicy } from '../resilience/integration-policies';
import { basicAuthorization, type NextbankConfig } from './config';
import { formatTraceparent, type TraceContext } from '../../app/platform/trace-context';
import type { Tracing } from '../../app/platform/tracing';

/** The span a call belongs to: each HTTP try is a client span under it, sent as `traceparent` (decision 094). */
export interface CallTrace {
  tracing: Tracing;
  parent: TraceContext;
}

export const NEXTBANK_PATHS = {
  status: '/management/status',
  updateCustomer: '/command/UpdateCustomer',
  paymentHistory: '/query/PaymentHistory',
} as const;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export type NextbankErrorKind = 'unauthorized' | 'rejected' | 'server' | 'timeout' | 'network' | 'malformed';

export class NextbankError extends Error implements CallFailureTraits {
  override name = 'NextbankError';
  readonly retryable: boolean;
  readonly countsAsFailure: boolean;
  constructor(
    readonly kind: NextbankErrorKind,
    message: string,
    readonly httpStatus: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    // A 4xx is NextBank answering "no": retrying cannot change it. Bad credentials still count
    // toward the breaker (every call will fail until an operator fixes them); other 4xx do not.
    this.retryable = kind !== 'unauthorized' && kind !== 'rejected';
    this.countsAsFailure = kind !== 'rejected';
  }
}

const statusReply = z.object({ status: z.string() }).passthrough();
const updateCustomerReply = z
  .object({
    commandId: z.string().min(1),
    status: z.string().min(1),
    customerId: z.string().min(1),
    appliedAt: z.string().optional(),
    customFields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  })
  .passthrough();
const paymentHistoryReply = z.object({
  from: z.string(),
  to: z.string(),
  customers: z.array(
    z.object({
      customerId: z.string(),
      found: z.boolean(),
      payments: z.array(
        z.object({
          paymentId: z.string(),
          postedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          amount: z.string().regex(/^-?\d+(\.\d{1,2})?$/),
          currency: z.string(),
        }),
      ),
    }),
  ),
});

export type UpdateCustomerBody = z.infer<typeof updateCustomerReply>;
export type PaymentHistoryBody = z.infer<typeof paymentHistoryReply>;

export interface NextbankReply<T> {
  httpStatus: number;
  /** NextBank answered from its idempotency store (the command had been applied before). */
  replayed: boolean;
  body: T;
}

export interface NextbankClient {
  ping(signal?: AbortSignal, trace?: CallTrace): Promise<NextbankReply<z.infer<typeof statusReply>>>;
  /** Sends the stored request verbatim, its idempotency key in the Idempotency-Key header. */
  updateCustomer(request: NextbankRequest, signal?: AbortSignal, trace?: CallTrace): Promise<NextbankReply<UpdateCustomerBody>>;
  paymentHistory(
    query: { customerIds: string[]; from: string; to: string },
    signal?: AbortSignal,
    trace?: CallTrace,
  ): Promise<NextbankReply<PaymentHistoryBody>>;
  readonly policy: IntegrationPolicy;
}

export interface NextbankClientOptions {
  /** Default: the process's shared 'nextbank' policy (its breaker is the one the heartbeat shows). */
  policy?: IntegrationPolicy;
  fetch?: typeof fetch;
}

export function createNextbankClient(config: NextbankConfig, options: NextbankClientOptions = {}): NextbankClient {
  const policy = options.policy ?? integrationPolicy('nextbank');
  const fetchImpl = options.fetch ?? fetch;
  const authorization = basicAuthorization(config);

  async function post<T>(
    operation: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    extraHeaders: Record<string, string>,
    signal?: AbortSignal,
    trace?: CallTrace,
  ) {
    try {
      return await policy.execute(async (callSignal) => {
        const span = trace?.tracing.startSpan(`NextBank ${operation}`, trace.parent, {
          role: 'client',
          attributes: { 'http.request.method': 'POST', 'url.path': path, 'server.address': new URL(config.url).hostname },
        });
        const traceparent: Record<string, string> = span ? { traceparent: formatTraceparent(span.context) } : {};
        const headers = { authorization, 'content-type': 'application/json', accept: 'application/json', ...traceparent, ...extraHeaders };
        let response: Response;
        let text: string;
        try {
          try {
            // redirect 'error': never replay the Basic credentials to another host.
            response = await fetchImpl(config.url + path, { method: 'POST', headers, body: JSON.stringify(body), signal: callSignal, redirect: 'error' });
            text = await response.text();
          } catch (error) {
            throw new NextbankError('network', `NextBank ${operation}: connection failed (${networkCause(error)})`);
          }
          span?.setAttributes({ 'http.response.status_code': response.status });
          return parseReply(operation, response, text, schema);
        } catch (error) {
          span?.fail(error);
          throw error;
        } finally {
          span?.end();
        }
      }, signal);
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        throw new NextbankError('timeout', `NextBank ${operation}: no reply within ${policy.options.timeoutMs} ms`);
      }
      throw error;
    }
  }

  return {
    policy,
    ping: (signal, trace) => post('status ping', NEXTBANK_PATHS.status, {}, statusReply, {}, signal, trace),
    updateCustomer: (request, signal, trace) =>
      post('UpdateCustomer', request.path, request.body, updateCustomerReply, { [IDEMPOTENCY_HEADER]: request.idempotencyKey }, signal, trace),
    paymentHistory: (query, signal, trace) => post('PaymentHistory', NEXTBANK_PATHS.paymentHistory, query, paymentHistoryReply, {}, signal, trace),
  };
}

function parseReply<T>(operation: string, response: Response, text: string, schema: z.ZodType<T>): NextbankReply<T> {
  const status = response.status;
  if (status === 401 || status === 403) {
    throw new NextbankError(
      'unauthorized',
      `NextBank refused the service's credentials (HTTP ${status}) on ${operation}: check NEXTBANK_USERNAME and NEXTBANK_PASSWORD`,
      status,
      'UNAUTHORIZED',
    );
  }
  if (status >= 500 || status === 429 || status === 408) {
    throw new NextbankError('server', `NextBank ${operation}: HTTP ${status}${errorSuffix(text)}`, status, errorCode(text));
  }
  if (status >= 400 || status < 200 || status >= 300) {
    throw new NextbankError('rejected', `NextBank rejected ${operation}: HTTP ${status}${errorSuffix(text)}`, status, errorCode(text));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NextbankError('malformed', `NextBank ${operation}: malformed reply (HTTP ${status}, not JSON: ${(error as Error).message})`, status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NextbankError(
      'malformed',
      `NextBank ${operation}: unexpected reply (HTTP ${status}, ${issue.path.join('.') || 'body'}: ${issue.message})`,
      status,
    );
  }
  return { httpStatus: status, replayed: response.headers.get('idempotent-replayed') === 'true', body: parsed.data };
}

function errorBodyOf(text: string): { code?: string; message?: string } {
  try {
    const json = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof json.error?.code === 'string' ? json.error.code : undefined,
      message: typeof json.error?.message === 'string' ? json.error.message : undefined,
    };
  } catch {
    return {};
  }
}

function errorCode(text: string): string | null {
  return errorBodyOf(text).code ?? null;
}

function errorSuffix(text: string): string {
  const { code, message } = errorBodyOf(text);
  if (!code && !message) return '';
  return ` ${[code, message].filter(Boolean).join(': ').slice(0, 200)}`;
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
