// The NextBank fake as `npm start` runs it: its own process on 127.0.0.1, credentials from the
// same env variables the service reads, reachable by the real client, stopped by its own PID.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { updateCustomerRequest } from '../../app/core/tele/nextbank-request';
import { createNextbankClient } from '../../service/nextbank/client';
import { parseNextbankConfig } from '../../service/nextbank/config';
import { pingNextbank } from '../../service/nextbank/health';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import { getFreePort } from '../support/ports';
import { spawnNodeScript, waitForPort, type ManagedProcess } from '../support/processes';

let proc: ManagedProcess | undefined;
afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});

describe('NextBank fake CLI', () => {
  it('serves the contract on the given port with the env credentials and logs no password', async () => {
    const port = await getFreePort();
    const env = { NEXTBANK_URL: `http://127.0.0.1:${port}`, NEXTBANK_USERNAME: 'cli-user', NEXTBANK_PASSWORD: 'cli-password-123' };
    proc = spawnNodeScript({ name: 'nextbank-fake', script: 'fakes/nextbank/cli.ts', nodeArgs: ['--import', 'tsx'], args: ['--port', String(port)], env });
    await waitForPort(port, { process: proc, timeoutMs: 30_000 });

    const client = createNextbankClient(parseNextbankConfig(env), { policy: createIntegrationPolicy('nextbank', { retries: 0 }) });
    expect(await pingNextbank(client)).toMatchObject({ state: 'up' });
    const reply = await client.updateCustomer(updateCustomerRequest({ customerId: '42', monthToUpdate: '2027-02-28', idempotencyKey: 'cli-key-0001' }));
    expect(reply.body).toMatchObject({ status: 'APPLIED', customerId: '42' });

    const wrong = createNextbankClient(parseNextbankConfig({ ...env, NEXTBANK_PASSWORD: 'nope' }), {
      policy: createIntegrationPolicy('nextbank', { retries: 0 }),
    });
    expect(await pingNextbank(wrong)).toMatchObject({ state: 'down', error: expect.stringMatching(/HTTP 401/) });

    await proc.stop();
    const log = readFileSync(proc.logFile, 'utf8');
    expect(log).toContain('nextbank fake listening');
    expect(log).toContain('"key":"cli-key-0001","outcome":"ok"');
    expect(log).not.toContain('cli-password-123');
  });
});
