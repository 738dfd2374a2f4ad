// One trace from the screen to the bank (issue 17, decision 094): a tele agent's Month to Update
// through the built Node host → the job row keeps the request's trace → the service's attempt
// continues it → NextBank receives a traceparent of the same trace → /admin/activity?trace=T shows
// save, job, attempt and delivery in order. With OTLP export on, the spans arrive at a loopback
// receiver under one trace id with the right parents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { tracingSetup, type TracingSetup } from '../../app/platform/otel-export.server';
import { createNextbankHandler } from '../../service/nextbank/outbox-delivery';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { configFor, startFake } from '../support/nextbank';
import { JobWorker } from '../../service/jobs/worker';
import { startingClock } from '../../app/platform/clock';
import { createLogger } from '../../app/platform/logger';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import { clientOf, latestTeleHistoryId } from '../support/tele';
import { sqlRows } from '../support/sql';

let fake: NextbankFake;
let receiver: OtlpReceiver;
let server: TestNodeHost;
let serviceTracing: TracingSetup;
const serviceLog: string[] = [];

beforeAll(async () => {
  [fake, receiver] = await Promise.all([startFake(), startOtlpReceiver()]);
  server = await startTestNodeHost({ rateLimits: 'read=100/60,write=100/60', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, logLevel: 'info' });
  serviceTracing = tracingSetup({ endpoint: receiver.url, serviceName: 'client-updater-service' });
});
afterAll(async () => {
  await serviceTracing?.shutdown();
  await server?.stop();
  await Promise.all([fake?.stop(), receiver?.stop()]);
});

async function signIn(email: string): Promise<string> {
  const answer = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  expect(answer.status, `sign in as ${email}`).toBe(302);
  return /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];
}
const post = (cookie: string, path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const get = (cookie: string, path: string) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
const lines = (log: string[]) => log.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('one trace from the Month to Update to NextBank', () => {
  let T: string;
  let requestSpan: string;
  let jobId: number;

  it('the save answers with trace T; the outbox row, the job row and the activity row keep it', async () => {
    const tele = await signIn('tele.fcash@demo.test');
    const id = await clientOf(server.db.client, 'MNLA01', "c.pointer = 'current' AND c.customer_id_nb IS NOT NULL");
    const status = {
      intent: 'tele-status',
      teleStatus: 'updated',
      updateStatus: 'updated_online_with_proof',
      reason: 'SENT_PROOF_ONLINE',
      remarks: 'Proof by Messenger',
    };
    const base = async () => String(await latestTeleHistoryId(server.db.client, id));
    expect((await post(tele, `/clients/${id}`, { ...status, baseTeleHistoryId: await base() })).status).toBe(302);
    const saved = await post(tele, `/clients/${id}`, { intent: 'month-to-update', monthToUpdate: '2026-12-31', baseTeleHistoryId: await base() });
    expect(saved.status).toBe(302);
    T = saved.headers.get('x-request-id')!;
    expect(T).toMatch(/^[0-9a-f]{32}$/);
    requestSpan = /^00-[0-9a-f]{32}-([0-9a-f]{16})-0[01]$/.exec(saved.headers.get('traceparent')!)![1];

    const [job] = await sqlRows(server.db.client, "SELECT id, trace_parent FROM job_queue WHERE queue = 'nextbank' ORDER BY id DESC LIMIT 1");
    jobId = Number(job.id);
    expect(job.trace_parent).toMatch(new RegExp(`^00-${T}-${requestSpan}-0[01]$`)); // the request's span is the job's parent
    const [history] = await sqlRows(server.db.client, 'SELECT trace_id FROM client_tele_history WHERE job_queue_id = ?', [jobId]);
    expect(history.trace_id).toBe(T);
    const activity = await sqlRows(server.db.client, 'SELECT action FROM activity_logs WHERE request_id = ?', [T]);
    expect(activity.length).toBeGreaterThan(0);
    // The request's own log line carries T.
    await expect.poll(() => lines(server.logLines).find((l) => l.msg === 'request' && l.trace_id === T)).toMatchObject({ status: 302, span_id: requestSpan });
  });

  it('the service continues T for the attempt; NextBank receives a traceparent of trace T', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 2_000, openMs: 60_000, initialDelayMs: 1, maxDelayMs: 5 });
    // The service's clock starts a moment after the save (both hosts' clocks are pinned near TEST_NOW).
    const [{ created_at: queuedAt }] = await sqlRows(server.db.client, 'SELECT created_at FROM job_queue WHERE id = ?', [jobId]);
    const worker = new JobWorker({
      db: server.db.db,
      clock: startingClock(new Date(Number(queuedAt) + 1_000).toISOString()),
      logger: createLogger({ level: 'debug', write: (line) => serviceLog.push(line) }),
      handlers: { nextbank: createNextbankHandler(configFor(fake), { policy }) },
      instanceId: 'trace-test',
      queues: ['nextbank'],
      tracing: serviceTracing.tracing,
    });
    const run = await worker.runOnce();
    expect(run).toMatchObject({ outcome: 'done', job: { id: jobId } });

    const [attempt] = await sqlRows(server.db.client, 'SELECT * FROM job_attempts WHERE job_id = ?', [jobId]);
    expect(attempt).toMatchObject({ trace_id: T, attempt: 1, outcome: 'done' });
    const [sent] = fake.requests('/command/UpdateCustomer');
    const header = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(sent.traceparent ?? '');
    expect(header, `traceparent received: ${sent.traceparent}`).not.toBeNull();
    expect(header![1]).toBe(T);
    expect(header![2]).not.toBe(attempt.span_id); // the NextBank call is its own span, a child of the attempt

    const service = lines(serviceLog).filter((l) => l.jobId === jobId);
    expect(service.length).toBeGreaterThan(0);
    for (const l of service) expect(l).toMatchObject({ trace_id: T, span_id: attempt.span_id });
  });

  it('/admin/activity?trace=T lists the save, the job, its attempt and the delivery in order', async () => {
    const admin = await signIn('admin@demo.test');
    const answer = await get(admin, `/admin/activity?trace=${T}`);
    expect(answer.status).toBe(200);
    const html = await answer.text();
    const kinds = [...html.matchAll(/data-testid="trace-step" data-kind="(\w+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual(['activity', 'job', 'attempt', 'delivery']);
    expect(html).toContain('tele.month_to_update');
    expect(html).toMatch(/NextBank UpdateCustomer[\s\S]*?confirmed/);
    // The jobs screen links the job to its trace.
    const jobs = await (await get(admin, '/admin/jobs?queue=nextbank')).text();
    expect(jobs).toContain(`href="/admin/activity?trace=${T}"`);
  });

  it('the spans arrive over OTLP under trace T: request → job attempt → NextBank call', async () => {
    await server.flushSpans();
    await serviceTracing.flush();
    const spans = receiver.spans().filter((s) => s.traceId === T);
    const request = spans.find((s) => s.spanId === requestSpan);
    expect(request, JSON.stringify(spans)).toMatchObject({ service: 'client-updater-web', kind: 2 /* SERVER */ });
    const attempt = spans.find((s) => s.name === 'job nextbank attempt');
    expect(attempt).toMatchObject({ service: 'client-updater-service', parentSpanId: requestSpan });
    const call = spans.find((s) => s.name === 'NextBank UpdateCustomer');
    expect(call).toMatchObject({ service: 'client-updater-service', parentSpanId: attempt!.spanId, kind: 3 /* CLIENT */ });
    const [sent] = fake.requests('/command/UpdateCustomer');
    expect(sent.traceparent).toContain(`-${call!.spanId}-`);
  });

  it("the save's write transaction and rate-limit check are spans of its request, without their keys", async () => {
    await server.flushSpans();
    const children = receiver.spans().filter((s) => s.traceId === T && s.parentSpanId === requestSpan && s.service === 'client-updater-web');
    const names = children.map((s) => s.name);
    expect(names).toContain('db write transaction');
    expect(names).toContain('rate limit write');
    const limit = children.find((s) => s.name === 'rate limit write')!;
    expect(limit.attributes).toMatchObject({ 'ratelimit.policy': 'write', 'ratelimit.allowed': true });
    expect(JSON.stringify(children)).not.toMatch(/tele\.fcash@demo\.test/); // a limiter key can be an email: never in a span
  });
});
