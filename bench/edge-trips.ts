// Page times on the Workers build with latency on every round trip to libSQL and Upstash (issue 13
// item 4, decision 103): the edge stack (wrangler dev + sqld + Upstash REST over redis-server) with
// the counting proxy between the Worker and both stores. Each screen is fetched signed in, warm,
// alternately with 0 ms (the baseline, same run) and --edge-delay ms added to each round trip; the
// difference is what the sequential steps cost a user far from the stores.
import { createClient } from '@libsql/client';
import { writeFileSync, readFileSync } from 'node:fs';
import { startEdgeStack } from '../tests/support/edge-stack';
import { sequentialSteps } from '../tests/support/round-trip-proxy';
import { postLogin } from './http-client';
import { summarize } from './stats';

const MONTH = '2026-11'; // the stack's fixed clock (TEST_NOW)

export interface EdgeTripFigure {
  screen: string;
  steps: number;
  baseMs: number;
  delayedMs: number;
}

const screens = [
  { label: 'admin /', who: 'admin@demo.test', path: '/' },
  { label: 'area manager /', who: 'area.ncr@demo.test', path: '/' },
  { label: 'branch officer /clients', who: 'branch.mnla01@demo.test', path: '/clients' },
  { label: 'admin /clients', who: 'admin@demo.test', path: '/clients' },
  { label: 'branch officer /clients/:id', who: 'branch.mnla01@demo.test', path: 'client' },
  { label: 'admin /workspace/fcash', who: 'admin@demo.test', path: '/workspace/fcash' },
  { label: 'branch officer /workspace/fcash', who: 'branch.mnla01@demo.test', path: '/workspace/fcash' },
  { label: 'admin records a status (POST)', who: 'admin@demo.test', path: 'status' },
] as const;

export async function benchEdgeTrips(options: {
  clients: number;
  rounds: number;
  delayMs: number;
  /** Figures of an earlier run (--edge-json of that run) to print as "before". */
  before?: string;
  json?: string;
  log: (s: string) => void;
}): Promise<{ markdown: string; figures: EdgeTripFigure[] }> {
  const { log } = options;
  // Limits high enough for the rounds (the limit check itself still runs, one round trip as always).
  const stack = await startEdgeStack({
    clients: options.clients,
    roundTrips: { delayMs: 0 },
    env: { RATE_LIMITS: 'read=100000/60,write=100000/60' },
    onStep: (s) => log(`bench: edge: ${s}`),
  });
  const db = createClient({ url: stack.sqldUrl });
  const proxies = stack.roundTrips!;
  try {
    const cookies = new Map<string, string>();
    for (const who of new Set(screens.map((s) => s.who))) cookies.set(who, await login(stack.url, who));
    const clientId = Number(
      (
        await db.execute(
          "SELECT s.client_id FROM client_period_status s JOIN branches b ON b.id = s.branch_id WHERE b.code = 'MNLA01' AND s.period_key = ? ORDER BY s.id LIMIT 1",
          [MONTH],
        )
      ).rows[0].client_id,
    );
    const target = (
      await db.execute(
        "SELECT s.id, s.client_id FROM client_period_status s JOIN companies c ON c.id = s.company_id JOIN status_types t ON t.id = s.status_type_id WHERE c.code = 'FCASH' AND t.code = 'PENDING' AND s.period_key = ? ORDER BY s.id LIMIT 1",
        [MONTH],
      )
    ).rows[0];
    const updated = Number((await db.execute("SELECT id FROM status_types WHERE code = 'UPDATED'")).rows[0].id);
    let n = 0;
    const request = async (screen: (typeof screens)[number]) => {
      const cookie = cookies.get(screen.who)!;
      if (screen.path === 'status') {
        const version = Number((await db.execute('SELECT version FROM client_period_status WHERE id = ?', [target.id])).rows[0].version);
        const form = {
          intent: 'status',
          periodKey: MONTH,
          baseVersion: String(version),
          statusTypeId: String(updated),
          reasonId: '',
          remarks: `bench ${++n}`,
          hasPayment: 'no',
        };
        return timed(stack.url, `/clients/${target.client_id}`, cookie, form, proxies);
      }
      return timed(stack.url, screen.path === 'client' ? `/clients/${clientId}` : screen.path, cookie, undefined, proxies);
    };
    const figures: EdgeTripFigure[] = [];
    for (const screen of screens) {
      proxies.delayMs = 0;
      await request(screen); // warm: the caches a returning user finds
      const base: number[] = [];
      const delayed: number[] = [];
      let steps = 0;
      for (let r = 0; r < options.rounds; r++) {
        proxies.delayMs = 0;
        base.push((await request(screen)).ms);
        proxies.delayMs = options.delayMs;
        const d = await request(screen);
        delayed.push(d.ms);
        steps = Math.max(steps, d.steps);
      }
      const figure = { screen: screen.label, steps, baseMs: summarize(base).p50, delayedMs: summarize(delayed).p50 };
      log(`bench: edge: ${figure.screen}: ${steps} steps, p50 ${figure.baseMs.toFixed(0)} → ${figure.delayedMs.toFixed(0)} ms`);
      figures.push(figure);
    }
    if (options.json) writeFileSync(options.json, JSON.stringify(figures, null, 2));
    const before = options.before ? (JSON.parse(readFileSync(options.before, 'utf8')) as EdgeTripFigure[]) : null;
    return { markdown: table(figures, before, options), figures };
  } finally {
    db.close();
    await stack.stop();
  }
}

function table(figures: EdgeTripFigure[], before: EdgeTripFigure[] | null, options: { delayMs: number; rounds: number }): string {
  const d = options.delayMs;
  const ms = (x: number) => x.toFixed(0);
  const rows = figures.map((f) => {
    const b = before?.find((x) => x.screen === f.screen);
    const now = `${f.steps} | ${ms(f.baseMs)} | ${ms(f.delayedMs)} | +${ms(f.delayedMs - f.baseMs)}`;
    return b ? `| ${f.screen} | ${b.steps} | ${ms(b.baseMs)} | ${ms(b.delayedMs)} | ${now} |` : `| ${f.screen} | ${now} |`;
  });
  const head = before
    ? [
        `| screen (warm, signed in) | before: steps | before: p50 +0 ms | before: p50 +${d} ms | after: steps | after: p50 +0 ms (baseline) | after: p50 +${d} ms | after: added |`,
        '|---|---|---|---|---|---|---|---|',
      ]
    : [`| screen (warm, signed in) | sequential steps | p50 +0 ms (baseline) | p50 +${d} ms | added |`, '|---|---|---|---|---|'];
  return [
    `${options.rounds} rounds per screen, +0 ms and +${d} ms per round trip alternating (p50 of each, ms, whole page: request to last byte).`,
    '',
    ...head,
    ...rows,
  ].join('\n');
}

async function login(base: string, email: string): Promise<string> {
  const response = await postLogin(base, email);
  await response.arrayBuffer();
  // Every cookie the sign-in sets (the session and its signed user id, decision 109), as a browser sends them.
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (!cookies.some((c) => c.startsWith('cu_session='))) throw new Error(`bench: edge: login as ${email} answered ${response.status}`);
  return cookies.join('; ');
}

async function timed(
  base: string,
  path: string,
  cookie: string,
  form: Record<string, string> | undefined,
  proxies: NonNullable<Awaited<ReturnType<typeof startEdgeStack>>['roundTrips']>,
) {
  proxies.reset();
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie, ...(form ? { origin: base, 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  const ok = form ? response.status === 302 : response.status === 200;
  if (!ok) throw new Error(`bench: edge: ${form ? 'POST' : 'GET'} ${path} answered ${response.status}`);
  return { ms, steps: sequentialSteps(proxies.trips()) };
}
