// The NextBank client against the loopback fake over real HTTP: auth, the idempotency store,
// each failure the fake can inject, the payment-history read, and the config's secrecy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateCustomerRequest } from '../../app/core/tele/nextbank-request';
import { createLogger } from '../../app/platform/logger';
import { createNextbankClient, NextbankError } from '../../service/nextbank/client';
import { nextbankConfig, parseNextbankConfig } from '../../service/nextbank/config';
import { pingNextbank } from '../../service/nextbank/health';
import { nextbankHandlerFromEnv } from '../../service/nextbank/outbox-delivery';
import { nextbankPaymentHistory } from '../../service/nextbank/payment-history';
import { BrokenCircuitError, createIntegrationPolicy } from '../../service/resilience/integration-policies';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { FAKE_PASSWORD, FAKE_USER, configFor, startFake } from '../support/nextbank';

let fake: NextbankFake;
beforeAll(async () => {
  fake = await startFake({ knownCustomers: ['1000000001', '1000000002'] });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const policy = (o = {}) => createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 1_000, openMs: 60_000, initialDelayMs: 1, maxDelayMs: 5, ...o });
const client = (o = {}) => createNextbankClient(configFor(fake), { policy: policy(o) });
const command = (key: string, customerId = '1000000001', month = '2026-12-01') =>
  updateCustomerRequest({ customerId, monthToUpdate: month, idempotencyKey: key });

describe('NextBank client and fake', () => {
  it('pings /management/status with Basic auth', async () => {
    const health = await pingNextbank(client());
    expect(health).toEqual({ state: 'up', breaker: 'closed' });
    const [req] = fake.requests('/management/status');
    expect(req.authUser).toBe(FAKE_USER);
    expect(JSON.stringify(fake.requests())).not.toContain(FAKE_PASSWORD);
  });

  it('wrong credentials: 401 with a clear error naming the variables to check, not retried', async () => {
    const wrong = createNextbankClient(nextbankConfig({ url: fake.url, username: FAKE_USER, password: 'wrong password' }), { policy: policy({ retries: 2 }) });
    const error = await wrong.updateCustomer(command('key-401-aaaa')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NextbankError);
    expect((error as NextbankError).kind).toBe('unauthorized');
    expect((error as NextbankError).message).toMatch(/refused the service's credentials \(HTTP 401\).*NEXTBANK_USERNAME and NEXTBANK_PASSWORD/);
    expect(fake.requests('/command/UpdateCustomer')).toHaveLength(1);
    expect(fake.countsByKey().get('key-401-aaaa')).toEqual({ received: 1, applied: 0 });
    expect(fake.customer('1000000001')).toBeUndefined();
  });

  it('UpdateCustomer writes the custom field; the same key again gets the same reply and is not applied twice', async () => {
    const c = client();
    const first = await c.updateCustomer(command('key-replay-0001'));
    expect(first.replayed).toBe(false);
    expect(first.body).toMatchObject({ status: 'APPLIED', customerId: '1000000001' });
    expect(fake.customer('1000000001')?.customFields).toEqual({ 'Month to Update (MM/DD/YYYY)': '12/01/2026' });
    const [sent] = fake.requests('/command/UpdateCustomer');
    expect(sent.idempotencyKey).toBe('key-replay-0001');
    expect(sent.body).toEqual({ customerId: '1000000001', customFields: [{ name: 'Month to Update (MM/DD/YYYY)', value: '12/01/2026' }] });

    const again = await c.updateCustomer(command('key-replay-0001'));
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
    expect(fake.countsByKey().get('key-replay-0001')).toEqual({ received: 2, applied: 1 });
  });

  it('the same key with a different request is refused (422) and changes nothing', async () => {
    const c = client();
    await c.updateCustomer(command('key-reuse-0001', '1000000001', '2026-12-01'));
    const error = await c.updateCustomer(command('key-reuse-0001', '1000000001', '2027-01-01')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rejected', httpStatus: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(fake.customer('1000000001')?.customFields['Month to Update (MM/DD/YYYY)']).toBe('12/01/2026');
  });

  it('an unknown customer is a rejection (404), not retried and not counted by the breaker', async () => {
    const c = client({ retries: 2 });
    for (let i = 0; i < 4; i++) {
      const error = await c.updateCustomer(command(`key-404-000${i}`, '9999999999')).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'rejected', httpStatus: 404, code: 'CUSTOMER_NOT_FOUND', retryable: false });
    }
    expect(fake.requests('/command/UpdateCustomer')).toHaveLength(4);
    expect(c.policy.breakerState()).toBe('closed');
  });

  it('5xx is retried with backoff inside the policy and succeeds when the bank recovers', async () => {
    fake.failWithStatus({ times: 2, status: 502 });
    const reply = await client({ retries: 2 }).updateCustomer(command('key-5xx-00001'));
    expect(reply.body.status).toBe('APPLIED');
    expect(fake.requests('/command/UpdateCustomer').map((r) => r.outcome)).toEqual(['failure:status:502', 'failure:status:502', 'ok']);
  });

  it('5xx three times opens the breaker: the next call sends nothing', async () => {
    fake.failWithStatus({ status: 503 });
    const c = client({ retries: 0 });
    for (let i = 0; i < 3; i++) await expect(c.updateCustomer(command(`key-open-000${i}`))).rejects.toMatchObject({ kind: 'server', httpStatus: 503 });
    await expect(c.updateCustomer(command('key-open-0004'))).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(fake.requests()).toHaveLength(3);
    expect(await pingNextbank(c)).toMatchObject({ state: 'breaker_open', breaker: 'open' });
    expect(fake.requests()).toHaveLength(3);
  });

  it('a malformed reply is an error saying so', async () => {
    fake.malformedReply({ times: 1 });
    const error = await client()
      .updateCustomer(command('key-malformed1'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed' });
    expect((error as Error).message).toMatch(/malformed reply \(HTTP 200, not JSON/);
  });

  it('a dropped connection is a network error; a hang is a timeout', async () => {
    fake.dropConnection({ times: 1 });
    await expect(client().updateCustomer(command('key-dropped01'))).rejects.toMatchObject({ kind: 'network' });
    fake.hang({ times: 1 });
    const error = await client({ timeoutMs: 150 })
      .updateCustomer(command('key-hanging01'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toBe('NextBank UpdateCustomer: no reply within 150 ms');
    expect(fake.countsByKey().get('key-hanging01')).toEqual({ received: 1, applied: 0 });
  });

  it('a reply lost after the bank applied the command: the resend is answered from the store, applied once', async () => {
    fake.dropConnection({ times: 1, afterApply: true });
    const c = client({ retries: 1 });
    const reply = await c.updateCustomer(command('key-lost-0001'));
    expect(reply.replayed).toBe(true);
    expect(fake.countsByKey().get('key-lost-0001')).toEqual({ received: 2, applied: 1 });
  });

  it('reads payment history per customer through the adapter (assumed contract)', async () => {
    fake.setPayments('1000000001', [
      { paymentId: 'p1', postedOn: '2026-11-05', amount: '1250.00', currency: 'PHP' },
      { paymentId: 'p0', postedOn: '2026-10-05', amount: '1250.00', currency: 'PHP' },
    ]);
    fake.setPayments('1000000002', []);
    const answers = await nextbankPaymentHistory(client()).paymentsFor(['1000000001', '1000000002', '5555555555'], { from: '2026-11-01', to: '2026-11-15' });
    expect(answers.get('1000000001')).toEqual({ found: true, payments: [{ paymentId: 'p1', postedOn: '2026-11-05', amount: '1250.00', currency: 'PHP' }] });
    expect(answers.get('1000000002')).toEqual({ found: true, payments: [] });
    expect(answers.get('5555555555')).toEqual({ found: false, payments: [] });
  });
});

describe('NextBank config', () => {
  it('names every missing variable and never echoes a value', () => {
    expect(() => parseNextbankConfig({})).toThrow(/NEXTBANK_URL[\s\S]*NEXTBANK_USERNAME is required[\s\S]*NEXTBANK_PASSWORD is required/);
    const bad = () => parseNextbankConfig({ NEXTBANK_URL: 'ftp://x', NEXTBANK_USERNAME: 'u', NEXTBANK_PASSWORD: 's3cr3t-value' });
    expect(bad).toThrow(/NEXTBANK_URL/);
    expect(bad).not.toThrow(/s3cr3t-value/);
  });

  it('the service runs the nextbank queue only when configured; in production a missing config stops the start', () => {
    expect(nextbankHandlerFromEnv({ NODE_ENV: 'development' })).toBeUndefined();
    expect(() => nextbankHandlerFromEnv({ NODE_ENV: 'production' })).toThrow(/NEXTBANK_URL/);
    expect(() => nextbankHandlerFromEnv({ NEXTBANK_URL: 'http://127.0.0.1:1' })).toThrow(/NEXTBANK_USERNAME is required[\s\S]*NEXTBANK_PASSWORD is required/);
    expect(typeof nextbankHandlerFromEnv({ NEXTBANK_URL: 'http://127.0.0.1:1', NEXTBANK_USERNAME: 'u', NEXTBANK_PASSWORD: 'p' })).toBe('function');
  });

  it('in production, NEXTBANK_URL must be https (plain http only to a loopback address)', () => {
    const env = (url: string, NODE_ENV = 'production') => ({ NODE_ENV, NEXTBANK_URL: url, NEXTBANK_USERNAME: 'u', NEXTBANK_PASSWORD: 's3cr3t-value' });
    const plain = () => parseNextbankConfig(env('http://nextbank.example.ph/api'));
    expect(plain).toThrow(/NEXTBANK_URL: must use https in production/);
    expect(plain).not.toThrow(/s3cr3t-value/);
    expect(parseNextbankConfig(env('https://nextbank.example.ph/api')).url).toBe('https://nextbank.example.ph/api');
    expect(parseNextbankConfig(env('http://127.0.0.1:4010')).url).toBe('http://127.0.0.1:4010'); // the demo's fake
    expect(parseNextbankConfig(env('http://localhost:4010')).url).toBe('http://localhost:4010');
    expect(parseNextbankConfig(env('http://nextbank.example.ph/api', 'development')).url).toBe('http://nextbank.example.ph/api');
  });

  it('keeps the password out of JSON, spreads and logs', () => {
    const config = parseNextbankConfig({ NEXTBANK_URL: 'https://nextbank.example.ph/api/', NEXTBANK_USERNAME: 'svc', NEXTBANK_PASSWORD: 's3cr3t-value' });
    expect(config.url).toBe('https://nextbank.example.ph/api');
    expect(config.password).toBe('s3cr3t-value');
    expect(JSON.stringify(config)).not.toContain('s3cr3t');
    expect(JSON.stringify({ ...config })).not.toContain('s3cr3t');
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l) }).info('config', { config });
    expect(lines.join('\n')).not.toContain('s3cr3t');
  });
});
