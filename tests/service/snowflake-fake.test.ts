// The Snowflake fake itself: what it accepts as a login and as SQL (like the real service, it says
// why it refuses), its CLI as `npm start` runs it (the service's own env, a demo key pair, the
// control API), and that the sync reads the view the admin setting names.
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { checkJwt, fingerprintOf } from '../../fakes/snowflake/login-check';
import { parseSelect, SqlCompilationError } from '../../fakes/snowflake/select-statement';
import { createLogger } from '../../app/platform/logger';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import { parseSnowflakeConfig } from '../../service/snowflake/config';
import { buildSourceQuery } from '../../service/snowflake/source-query';
import { openWarehouseRows } from '../../service/snowflake/warehouse-reader';
import { createTestDb, type TestDb } from '../support/db';
import { getFreePort } from '../support/ports';
import { spawnNodeScript, waitForPort, type ManagedProcess } from '../support/processes';
import { startSyncHarness, testKeyPair, type SyncHarness } from '../support/snowflake';

const policy = { account: 'CU_DEMO', username: 'SVC', publicKeys: [] as string[] };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const body = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(testKeyPair().privateKey).toString('base64url');
  return `${body}.${signature}`;
}

describe('the fake checks a key-pair login as Snowflake reads it', () => {
  const now = Date.parse('2026-11-15T02:00:00Z');
  const fp = () => fingerprintOf(testKeyPair().publicKey);
  const good = () => ({ iss: `CU_DEMO.SVC.${fp()}`, sub: 'CU_DEMO.SVC', iat: now, exp: now + 60_000 });

  it('accepts a well-formed token, and with a registered key only its signature', () => {
    expect(checkJwt(jwt(good()), policy, now)).toBeNull();
    expect(checkJwt(jwt(good()), { ...policy, publicKeys: [testKeyPair().publicKey] }, now)).toBeNull();
    const tampered = jwt(good()).replace(/\.[^.]+$/, `.${Buffer.from('x'.repeat(256)).toString('base64url')}`);
    expect(checkJwt(tampered, { ...policy, publicKeys: [testKeyPair().publicKey] }, now)).toBe('signature does not verify');
  });

  it('refuses what Snowflake refuses, saying why', () => {
    expect(checkJwt('not-a-jwt', policy, now)).toBe('not three base64url parts');
    expect(checkJwt(jwt(good(), { alg: 'HS256' }), policy, now)).toBe('alg HS256 is not RS256');
    expect(checkJwt(jwt({ ...good(), sub: 'OTHER.SVC' }), policy, now)).toMatch(/^sub OTHER.SVC is not CU_DEMO.SVC/);
    expect(checkJwt(jwt({ ...good(), exp: now - 1 }), policy, now)).toBe('expired or lifetime over 1 hour');
    expect(checkJwt(jwt({ ...good(), iss: 'CU_DEMO.SVC' }), policy, now)).toMatch(/iss does not name/);
  });
});

describe('the fake parses the SELECT the sync sends, and refuses others', () => {
  const view = 'CLIENT_UPDATER.CLIENTS_VIEW';
  it('honours the incremental bound, the branch list and the order', () => {
    const { sqlText, binds } = buildSourceQuery({ view, updatedAfter: new Date('2026-11-01T00:00:00Z'), branchCodes: ['MNLA01', 'QZN02'] });
    const bindings = Object.fromEntries(binds.map((value, i) => [String(i + 1), { type: 'TEXT', value }]));
    expect(parseSelect(sqlText, bindings, view)).toMatchObject({
      kind: 'view',
      updatedAfterMs: Date.parse('2026-11-01T00:00:00Z'),
      branchCodes: new Set(['MNLA01', 'QZN02']),
      orderBy: { column: 'CLIENT_CODE', descending: false },
    });
  });

  it("answers unknown objects and columns with Snowflake's compilation errors", () => {
    expect(() => parseSelect('SELECT * FROM OTHER.VIEW', {}, view)).toThrow(/Object 'OTHER.VIEW' does not exist or not authorized/);
    expect(() => parseSelect(`SELECT SALARY FROM ${view}`, {}, view)).toThrow(/invalid identifier 'SALARY'/);
    expect(() => parseSelect(`SELECT * FROM ${view} WHERE FULL_NAME = 'x'`, {}, view)).toThrow(SqlCompilationError);
    expect(() => parseSelect(`SELECT * FROM ${view} WHERE UPDATED_AT > ?`, {}, view)).toThrow(/Bind variable \? not set/);
  });
});

describe('the sync reads the view the admin setting names', () => {
  let testDb: TestDb | undefined;
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    await testDb?.close();
  });

  it('a view Snowflake does not know fails the job with its message, without a pointless retry', async () => {
    testDb = await createTestDb();
    await testDb.client.execute("UPDATE config_settings SET value = 'CLIENT_UPDATER.CLIENTS_V2' WHERE key = 'snowflake_source_view' AND company_id IS NULL");
    harness = await startSyncHarness(testDb.db, { policy: { retries: 2, initialDelayMs: 10 } });

    const result = await harness.runSync({ mode: 'full', manual: false });

    expect(result.outcome).toBe('failed');
    expect(result.sync).toMatchObject({ status: 'failed', source_view: 'CLIENT_UPDATER.CLIENTS_V2' });
    expect(String(result.sync.error)).toMatch(
      /Snowflake query failed: SQL compilation error: Object 'CLIENT_UPDATER.CLIENTS_V2' does not exist or not authorized/,
    );
    expect(harness.fake.counters.queries).toBe(1); // a SQL error is an answer: the policy does not retry it
  });
});

describe('the fake CLI as npm start runs it', () => {
  let proc: ManagedProcess | undefined;
  afterEach(async () => {
    await proc?.stop();
  });

  it("serves the service's own env (demo key pair created), a warehouse of the given size, and its control API", async () => {
    const port = await getFreePort();
    const keyPath = join(mkdtempSync(join(tmpdir(), 'sf-cli-')), 'snowflake-demo-key.p8');
    const env = {
      SNOWFLAKE_ACCESS_URL: `http://127.0.0.1:${port}`,
      SNOWFLAKE_ACCOUNT: 'CU_DEMO',
      SNOWFLAKE_USERNAME: 'CLIENT_UPDATER_SVC',
      SNOWFLAKE_PRIVATE_KEY_PATH: keyPath,
    };
    proc = spawnNodeScript({
      name: 'snowflake-fake',
      script: 'fakes/snowflake/cli.ts',
      nodeArgs: ['--import', 'tsx'],
      args: ['--rows', '300', '--today', '2026-11-15', '--create-demo-key'],
      env,
    });
    await waitForPort(port, { process: proc, timeoutMs: 60_000 });
    expect(existsSync(keyPath)).toBe(true);

    const config = parseSnowflakeConfig(env);
    const read = async () => {
      const reader = await openWarehouseRows(config, createIntegrationPolicy('snowflake', { retries: 0 }), buildSourceQuery({ view: config.view }), {
        signal: new AbortController().signal,
        idleTimeoutMs: 10_000,
        logger: createLogger({ level: 'error', write: () => {} }),
      });
      let rows = 0;
      while (await reader.next()) rows++;
      await reader.close();
      return rows;
    };
    expect(await read()).toBe(300);

    const control = (path: string, body?: unknown) =>
      fetch(
        `http://127.0.0.1:${port}/__fake/${path}`,
        body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      ).then((r) => r.json());
    expect(await control('mutate', { percent: 10, fields: ['branch'] })).toMatchObject({ changes: 30 });
    expect(await control('mutate', { percent: 10, fields: ['nonsense'] })).toMatchObject({ error: expect.stringMatching(/fields/) });
    await control('fail', { kind: 'login_error', times: 1 });
    await expect(read()).rejects.toThrow(/Snowflake login failed: Incorrect username or password/);
    expect(await control('state')).toMatchObject({ rows: 300, counters: { logins: 1, loginsRefused: 1 }, fired: { login_error: 1 } });

    await proc.stop();
    const log = readFileSync(proc.logFile, 'utf8');
    expect(log).toContain('snowflake fake listening');
    expect(log).toContain('registered key only');
    expect(log).not.toContain('PRIVATE KEY');
  });
});
