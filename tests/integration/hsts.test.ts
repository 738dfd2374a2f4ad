// HSTS (issue 14 item 7): a deployment served over https (Secure cookies, the production default)
// tells browsers never to use plain http for it again; the plain-http local demo must not, or a
// browser would refuse http://127.0.0.1 afterwards. Both cases over HTTP on the built Node app.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';

let server: TestNodeHost | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('Strict-Transport-Security', () => {
  it('is sent for a year, sub-domains included, when the app is served over https', async () => {
    server = await startTestNodeHost({ env: { COOKIE_SECURE: 'true' } });
    for (const path of ['/login', '/status', '/no-such-page']) {
      const answer = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(answer.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
    }
  });

  it('is not sent by a plain-http host (the local demo)', async () => {
    server = await startTestNodeHost({ env: { COOKIE_SECURE: 'false' } });
    const answer = await fetch(`${server.url}/login`);
    expect(answer.headers.get('strict-transport-security')).toBeNull();
  });
});
