// Fault: sqld (Turso's protocol, the edge deployment's database) stopped and restarted under the
// Workers build (issue 14, "Faults"). While it is down a signed-in page answers the clear 503 page
// with its reference and Retry-After, never a 500 or a stack; sign-in is refused alike and starts no
// session. After the restart the same session works again and nothing was written meanwhile.
// Needs `node scripts/build.mjs worker` first, like the other edge tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { startEdgeStack, type EdgeStack } from '../support/edge-stack';
import { signIn } from '../support/load-run';

let stack: EdgeStack;

beforeAll(async () => {
  stack = await startEdgeStack({ clients: 300 });
});
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string, cookie: string) => fetch(`${stack.url}${path}`, { redirect: 'manual', headers: { cookie } });

function expectUnavailablePage(answer: Response, html: string) {
  expect(answer.status).toBe(503);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(html).toContain('Temporarily unavailable');
  expect(html).toContain(`data-trace-id="${answer.headers.get('x-request-id')}"`);
  expect(html).not.toMatch(/\n\s+at\s|node_modules|fetch failed|ECONNREFUSED|\bError: /);
}

describe('sqld stopped and restarted under the Workers build', () => {
  it('a page answers 503 while it is down and works again after, with the same session', async () => {
    const cookie = await signIn(stack.url, 'viewer@demo.test', [], DEMO_PASSWORD);
    const before = await get('/clients', cookie);
    expect(before.status).toBe(200);
    await before.arrayBuffer();

    await stack.sqld.stop();
    const during = await get('/clients', cookie);
    expectUnavailablePage(during, await during.text());
    const login = await fetch(`${stack.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: stack.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'admin@demo.test', password: DEMO_PASSWORD }),
    });
    await login.arrayBuffer();
    expect(login.status).toBe(503);
    expect(login.headers.get('set-cookie') ?? '').not.toMatch(/session=[^;]/);

    await stack.sqld.restart();
    const after = await get('/clients', cookie);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('data-testid="current-user"');
  });
});
