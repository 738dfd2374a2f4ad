// The fuzz suite's URL side (issue 14; issue 19 item 6), through the built Node host over real HTTP:
// paths with bad percent-encoding, `?_data=` naming an unknown or odd route id, inherited keys and
// huge numbers as path segments and query values, as anonymous and as a signed-in admin.
//
// Every answer: never a 5xx; the malformed ones a 4xx; no stack frame or absolute server path in the
// body; every line the process writes while answering is one line of JSON (the host's logger), never a
// multi-line stack written beside it; and no row of the database changes (a full checksum).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { changedTables, tableChecksums, type TableSum } from '../support/fuzz-checksum';
import { captureOutput, startFuzzHost, type FuzzHost } from '../support/fuzz-host';

let host: FuzzHost;
let adminCookie = '';
let before: Map<string, TableSum>;

beforeAll(async () => {
  host = await startFuzzHost();
  const answer = await fetch(`${host.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: host.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'admin@demo.test', password: DEMO_PASSWORD }).toString(),
  });
  expect(answer.status, 'admin signs in').toBe(302);
  adminCookie = /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];
  before = await tableChecksums(host.db.client); // after the sign-in: the fuzzed requests must add nothing
});
afterAll(async () => {
  await host?.stop();
});

interface UrlCase {
  path: string;
  /** 'bad': a malformed request, the answer must be a 4xx. 'odd': any answer below 500. */
  expect: 'bad' | 'odd';
  method?: 'GET' | 'POST';
}

const BAD_PERCENT = ['/clients/%E0%A4%A', '/%E0%A4%A', '/clients/%', '/admin/config/%C0%AF', '/branches/%ZZ', '/clients/%E0%A4%A?_data=routes%2Fclients.%24id'];
const DATA_IDS = ['routes/nope', 'routes/clients.$id', '__proto__', 'constructor', 'toString', 'routes/../../etc/passwd', '%E0%A4%A', 'x'.repeat(2000)];
const CASES: UrlCase[] = [
  ...BAD_PERCENT.map((path): UrlCase => ({ path, expect: 'bad' })),
  { path: '/clients/%E0%A4%A', expect: 'bad', method: 'POST' },
  // ?_data= with a route id that does not match the URL: Remix's 403/404, never the route's data.
  ...DATA_IDS.map((id): UrlCase => ({ path: `/clients?_data=${encodeURIComponent(id)}`, expect: 'bad' })),
  ...DATA_IDS.slice(0, 3).map((id): UrlCase => ({ path: `/login?_data=${encodeURIComponent(id)}`, expect: 'bad' })),
  { path: '/clients?_data=routes%2Fnope', expect: 'bad', method: 'POST' },
  { path: '/clients?_data=%E0%A4%A', expect: 'bad' },
  // Odd but well-formed: any answer below 500 (a 302 to sign in, a 404, the list's 400).
  ...[
    '/clients?_data=',
    '/clients?_data=root',
    '/clients/%00',
    '/clients/-1',
    '/clients/1e309',
    '/clients/99999999999999999999',
    '/clients/__proto__',
    '/areas/constructor',
    '/branches/toString',
    '/workspace/__proto__',
    '/admin/users/valueOf',
    '/admin/config/__proto__',
    '/admin/config/constructor/new',
    '/admin/config/hasOwnProperty/1',
    '/admin/sync/__proto__/progress',
    '/clients?page=1e309&sort=__proto__&dir=constructor',
    '/clients?company=%E0%A4%A&branch=-1&status=toString',
    '/branches?area=__proto__',
    '/admin/audit?from=99999-99-99&table=constructor',
    '/admin/activity?action=__proto__&page=-1',
    `/clients/${'9'.repeat(300)}`,
    `/${'a/'.repeat(1500)}`,
    `/clients?q=${'x'.repeat(6000)}`,
    '/clients?q=%D7%A9%D7%9C%D7%95%D7%9D%E2%80%AE%F0%9F%92%A5',
  ].map((path): UrlCase => ({ path, expect: 'odd' })),
];

/** A stack frame, a file path with a line number, an error class or an absolute path of this machine. */
function leaks(body: string): string | null {
  const patterns = [/\n\s+at\s/, /\bat [\w$.<>]+ \(/, /node_modules/, /\.(?:tsx?|m?js|cjs):\d+/, /\b(?:URI|Type|Reference|Syntax)?Error: /, /"stack"\s*:/];
  for (const p of patterns) if (p.test(body)) return `matches ${p}`;
  for (const dir of [process.cwd(), '/work/', '/home/', '/tmp/']) if (body.includes(dir)) return `names ${dir}`;
  return null;
}

/** Lines written that are not one complete JSON object each (e.g. a stack printed beside the logger). */
function notJsonLines(written: string[]): string[] {
  const bad: string[] = [];
  for (const chunk of written) {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null) bad.push(line.slice(0, 200));
      } catch {
        bad.push(line.slice(0, 200));
      }
    }
  }
  return bad;
}

const counts = { requests: 0, byStatus: new Map<number, number>(), fiveXX: 0, logLines: 0 };

describe('fuzz over HTTP: malformed URLs', () => {
  for (const who of ['anonymous', 'admin'] as const) {
    it.each(CASES.map((c) => [`${c.method ?? 'GET'} ${c.path.length > 90 ? `${c.path.slice(0, 90)}…` : c.path}`, c] as const))(
      `as ${who}: %s`,
      async (_, c) => {
        const { result, written } = await captureOutput(async () => {
          const headers: Record<string, string> = { origin: host.url };
          if (who === 'admin') headers.cookie = adminCookie;
          const init: RequestInit = { method: c.method ?? 'GET', redirect: 'manual', headers };
          if (c.method === 'POST') {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            init.body = 'intent=status';
          }
          const answer = await fetch(`${host.url}${c.path}`, init);
          const body = await answer.text();
          await new Promise((r) => setTimeout(r, 15)); // the host logs its line when the response finishes
          return { status: answer.status, body };
        });
        counts.requests++;
        counts.byStatus.set(result.status, (counts.byStatus.get(result.status) ?? 0) + 1);
        if (result.status >= 500) counts.fiveXX++;
        counts.logLines += written.length;
        const detail = `${c.method ?? 'GET'} ${c.path.slice(0, 120)} as ${who} → ${result.status} ${result.body.slice(0, 300)}`;

        expect(result.status, detail).toBeLessThan(500);
        if (c.expect === 'bad') {
          expect(result.status, detail).toBeGreaterThanOrEqual(400);
          expect(result.status, detail).toBeLessThan(500);
        }
        expect(leaks(result.body), detail).toBeNull();
        expect(notJsonLines(written), `log lines of ${detail}`).toEqual([]);
        // The host's one line for the request is there, with the status the client got (431: refused by Node before Express).
        if (result.status !== 431) {
          const lines = written
            .flatMap((w) => w.split('\n'))
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>);
          expect(
            lines.some((l) => l.msg === 'request' && l.status === result.status),
            `request log line of ${detail}: ${JSON.stringify(written)}`,
          ).toBe(true);
        }
      },
    );
  }
});

describe('fuzz over HTTP: totals', () => {
  it('no row changed; prints the counts', async () => {
    const changed = changedTables(before, await tableChecksums(host.db.client));
    const statuses = [...counts.byStatus].sort(([a], [b]) => a - b);
    console.log(
      [
        `fuzz over HTTP: ${counts.requests} requests (${CASES.length} URLs × anonymous, admin)`,
        `  answers by status: ${statuses.map(([s, n]) => `${s}×${n}`).join(' ')}`,
        `  refusals (4xx): ${statuses.filter(([s]) => s >= 400 && s < 500).reduce((sum, [, n]) => sum + n, 0)}`,
        `  5xx: ${counts.fiveXX}`,
        `  log lines written: ${counts.logLines}, every one a single JSON object`,
        `  tables changed: ${changed.length ? changed.join(', ') : 0}`,
      ].join('\n'),
    );
    expect(counts.requests).toBe(CASES.length * 2);
    expect(counts.fiveXX).toBe(0);
    expect(changed).toEqual([]);
  });
});
