// Sign-in on Node, end to end: POST /login to the built Node host (remix-auth FormStrategy, limits,
// lockout bookkeeping, bcrypt, session row, cookie) beside the bare bcrypt compare it contains.
import { startNodeServer } from '../server/node';
import { ensureNodeBuild } from '../tests/support/node-build';
import { postLogin } from './http-client';
import { fmtMs, summarize, table } from './stats';

export async function benchSignInHttp(opts: { databaseUrl: string; runs: number; log: (s: string) => void }) {
  ensureNodeBuild();
  const server = await startNodeServer({
    port: 0,
    host: '127.0.0.1',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl,
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'error',
      // The bench signs in many times in a row: lift the login limits so it measures sign-in, not the 429.
      RATE_LIMITS: 'loginUser=100000/300,loginIp=100000/300',
    },
  });
  const post = async (password: string) => {
    const t = performance.now();
    const r = await postLogin(server.url, 'viewer@demo.test', password);
    await r.arrayBuffer();
    return { ms: performance.now() - t, status: r.status };
  };
  try {
    await post('demo-pass-2026'); // warm-up
    const right: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const ok = await post('demo-pass-2026');
      if (ok.status !== 302) throw new Error(`bench: sign-in answered ${ok.status}`);
      right.push(ok.ms);
      // Fewer wrong tries than the lockout threshold, then a success resets the count.
      if (i % 4 === 0) {
        const bad = await post('wrong-pass-2026');
        if (bad.status !== 401) throw new Error(`bench: wrong password answered ${bad.status}`);
        wrong.push(bad.ms);
      }
    }
    const rows = [
      ['right password → 302 + session', ...cells(right)],
      ['wrong password → 401', ...cells(wrong)],
    ];
    opts.log(`  POST /login p50 ${fmtMs(summarize(right).p50)} ms`);
    return {
      markdown: [
        '### Sign-in on Node (POST /login through the Node host)',
        '',
        'The whole sign-in as a browser sends it, over loopback HTTP to the built Node host on the seeded database. ' +
          'Compare with the bcrypt row of the same cost below: the rest (HTTP, limits, database, session) is the difference.',
        '',
        table(['request', 'n', 'p50 ms', 'p95 ms', 'mean ms'], rows),
      ].join('\n'),
    };
  } finally {
    await server.close();
  }
}

function cells(ms: number[]) {
  const s = summarize(ms);
  return [s.n, fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.mean)];
}
