// The service's environment: defaults, overrides, and one clear line per bad variable.
import { describe, expect, it } from 'vitest';
import { parseServiceConfig } from '../../service/config';

describe('service config', () => {
  it('has working defaults and names the instance host:pid', () => {
    const config = parseServiceConfig({}, 4242);
    expect(config.instanceId).toMatch(/:4242$/);
    expect(config.queues).toBeUndefined();
    expect(config.env).toMatchObject({
      DATABASE_URL: 'file:data/app.db',
      SERVICE_HEARTBEAT_MS: 10_000,
      SERVICE_SCHEDULER: 'on',
      SERVICE_SHUTDOWN_GRACE_MS: 20_000,
    });
  });

  it('reads the queue list and per-queue policy overrides', () => {
    const config = parseServiceConfig({
      SERVICE_INSTANCE_ID: 'svc-1',
      SERVICE_QUEUES: 'sync, nextbank',
      SERVICE_QUEUE_POLICIES: '{"sync":{"leaseMs":90000,"concurrency":1}}',
    });
    expect(config).toMatchObject({ instanceId: 'svc-1', queues: ['sync', 'nextbank'], policyOverrides: { sync: { leaseMs: 90_000, concurrency: 1 } } });
  });

  it('refuses bad values with one line per variable', () => {
    const bad = () =>
      parseServiceConfig({
        DATABASE_URL: 'postgres://x',
        SERVICE_QUEUES: 'sync,emails',
        SERVICE_HEARTBEAT_MS: 'often',
        SERVICE_QUEUE_POLICIES: '{"sync":{"leaseMs":-1}}',
      });
    expect(bad).toThrow(/Invalid service environment/);
    const message = (() => {
      try {
        bad();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    for (const name of ['DATABASE_URL', 'SERVICE_QUEUES', 'SERVICE_HEARTBEAT_MS', 'SERVICE_QUEUE_POLICIES']) expect(message).toContain(`  ${name}`);
    expect(() => parseServiceConfig({ SERVICE_QUEUE_POLICIES: 'not json' })).toThrow(/SERVICE_QUEUE_POLICIES/);
  });
});
