// The HTTP benches' client side: the sign-in a browser makes, and autocannon runs against a host.
// autocannon runs in its own process (`npx -y autocannon@8.0.0`), on the same cores as the host.
import { execFileSync, spawn } from 'node:child_process';
import { DEMO_PASSWORD } from '../db/seed/demo-users';

export const AUTOCANNON = 'autocannon@8.0.0';

/** POST /login as the login form sends it: the Origin header too (the app refuses a cross-site POST). */
export function postLogin(url: string, email: string, password: string = DEMO_PASSWORD): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ email, password }),
  });
}

/**
 * Signs in with the demo password; the Cookie header a browser sends afterwards (every cookie set:
 * the session and the signed user-id hint of decision 109, which lets the rate limit start beside
 * the session read), or an error naming `bench`.
 */
export async function signIn(url: string, email: string, bench: string): Promise<string> {
  const r = await postLogin(url, email);
  const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (r.status !== 302 || !cookies.length) throw new Error(`bench ${bench}: sign-in as ${email} answered ${r.status}`);
  return cookies.join('; ');
}

/** autocannon's JSON summary of one run: mean requests/s, latency p50/p99 (ms), totals. */
export interface AutocannonRun {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

let autocannonBin: string | undefined;

/** One autocannon run against url (its bin resolved once: npx's own start-up would load the machine between runs). */
export function autocannon(
  url: string,
  opts: { cookie?: string; seconds: number; connections: number; stderr?: 'ignore' | 'inherit' },
): Promise<AutocannonRun> {
  autocannonBin ??= execFileSync('npx', ['-y', '-p', AUTOCANNON, 'which', 'autocannon'], { encoding: 'utf8' }).trim();
  const bin = autocannonBin;
  return new Promise((resolve, reject) => {
    const args = ['--json', '-c', String(opts.connections), '-d', String(opts.seconds), ...(opts.cookie ? ['-H', `cookie=${opts.cookie}`] : []), url];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', opts.stderr ?? 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out.slice(out.indexOf('{'))) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors });
    });
  });
}
