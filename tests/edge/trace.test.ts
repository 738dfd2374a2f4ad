import { readFileSync } from 'node:fs';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';
import { clientOf, latestTeleHistoryId } from '../support/tele';
import { sqlRows } from '../support/sql';

// The Workers host's trace (decision 094, propagation only) on the edge stack: wrangler dev (workerd)
// against the real sqld. A tele agent's Month to Update answers with trace T, the job row in sqld keeps
// a traceparent of T (the request's span as its parent) and workerd's own log has the request line of
// T. Needs `node scripts/build.mjs worker` first; run: npx vitest run --project edge tests/edge/trace.test.ts

const PASSWORD = 'demo-pass-2026';
let stack: EdgeStack;
let db: Client;

beforeAll(async () => {
  // LOG_LEVEL info: the one `request` line per request is an info line.
  stack = await startEdgeStack({ clients: 300, env: { LOG_LEVEL: 'info' } });
  db = createClient({ url: stack.sqldUrl });
});
afterAll(async () => {
  db?.close();
  await stack?.stop();
});

const post = (path: string, fields: Record<string, string>, cookie?: string) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: stack.url, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
  });

/** workerd's console lines (JSON) from the wrangler dev log, with the trace id given. */
const workerLines = (traceId: string) =>
  readFileSync(stack.logFile, 'utf8')
    .split('\n')
    .flatMap((l) => {
      const json = l.slice(l.indexOf('{'));
      if (!l.includes(traceId) || !json.startsWith('{')) return [];
      try {
        return [JSON.parse(json) as Record<string, unknown>];
      } catch {
        return [];
      }
    })
    .filter((l) => l.trace_id === traceId);

describe('the Workers host and the queue keep one trace id', () => {
  it("a Month to Update's trace id is the job row's trace and the Worker's request line's", async () => {
    const login = await post('/login', { email: 'tele.fcash@demo.test', password: PASSWORD });
    expect(login.status).toBe(302);
    const cookie = /^(cu_session=[^;]+);/.exec(login.headers.get('set-cookie') ?? '')![1];
    const id = await clientOf(db, 'MNLA01', "c.pointer = 'current' AND c.customer_id_nb IS NOT NULL");
    const base = async () => String(await latestTeleHistoryId(db, id));
    const status = { intent: 'tele-status', teleStatus: 'updated', updateStatus: 'updated_online_with_proof', reason: 'SENT_PROOF_ONLINE', remarks: 'Proof' };
    expect((await post(`/clients/${id}`, { ...status, baseTeleHistoryId: await base() }, cookie)).status).toBe(302);
    const saved = await post(`/clients/${id}`, { intent: 'month-to-update', monthToUpdate: '2026-12-31', baseTeleHistoryId: await base() }, cookie);
    expect(saved.status).toBe(302);
    const T = saved.headers.get('x-request-id')!;
    expect(T).toMatch(/^[0-9a-f]{32}$/);
    const span = /^00-[0-9a-f]{32}-([0-9a-f]{16})-01$/.exec(saved.headers.get('traceparent') ?? '')![1];

    const [job] = await sqlRows(db, "SELECT trace_parent FROM job_queue WHERE queue = 'nextbank' ORDER BY id DESC LIMIT 1");
    expect(job.trace_parent).toBe(`00-${T}-${span}-01`);
    // workerd flushes console output to wrangler's log a moment later.
    await expect.poll(() => workerLines(T).find((l) => l.msg === 'request'), { timeout: 10_000 }).toMatchObject({ span_id: span, status: 302, method: 'POST' });
  });
});
