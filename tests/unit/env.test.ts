import { describe, expect, it } from 'vitest';
import { cookieIsSecure, parseAppEnv } from '../../app/platform/env';

function failure(raw: Record<string, string>): string {
  try {
    parseAppEnv(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseAppEnv to throw');
}

describe('environment validation at start', () => {
  it('gives working defaults for the embedded default; unset NODE_ENV means production', () => {
    const env = parseAppEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'production', DATABASE_URL: 'file:data/app.db', LOG_LEVEL: 'info', BCRYPT_COST: 10 });
    expect(cookieIsSecure(env)).toBe(true);
    expect(cookieIsSecure(parseAppEnv({ COOKIE_SECURE: 'false' }))).toBe(false);
  });

  it('treats empty strings from .env as unset', () => {
    expect(parseAppEnv({ UPSTASH_REDIS_REST_URL: '', UPSTASH_REDIS_REST_TOKEN: '', RATE_LIMITS: '' })).toMatchObject({
      UPSTASH_REDIS_REST_URL: undefined,
      UPSTASH_REDIS_REST_TOKEN: undefined,
      RATE_LIMITS: undefined,
    });
  });

  it('names a missing Upstash token in one clear line', () => {
    expect(failure({ UPSTASH_REDIS_REST_URL: 'https://eu1-cute-cat.upstash.io' })).toBe(
      'Invalid environment:\n  UPSTASH_REDIS_REST_TOKEN: UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together',
    );
  });

  it('refuses a bcrypt cost below 10 in production (also when NODE_ENV is unset), but allows it in tests', () => {
    expect(failure({ NODE_ENV: 'production', BCRYPT_COST: '4' })).toBe('Invalid environment:\n  BCRYPT_COST: must be at least 10 in production');
    expect(failure({ BCRYPT_COST: '4' })).toBe('Invalid environment:\n  BCRYPT_COST: must be at least 10 in production');
    expect(parseAppEnv({ NODE_ENV: 'test', BCRYPT_COST: '4' }).BCRYPT_COST).toBe(4);
  });

  it('gives one line per bad variable, each naming it', () => {
    const lines = failure({ NODE_ENV: 'staging', DATABASE_URL: 'postgres://db/app', LOG_LEVEL: 'loud', BCRYPT_COST: 'ten' }).split('\n');
    expect(lines[0]).toBe('Invalid environment:');
    expect(
      lines
        .slice(1)
        .map((l) => l.trim().split(':')[0])
        .sort(),
    ).toEqual(['BCRYPT_COST', 'DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV']);
    expect(lines.find((l) => l.includes('DATABASE_URL'))).toBe('  DATABASE_URL: must start with file:, libsql:, http: or https:');
  });

  it('refuses a malformed Upstash URL', () => {
    expect(failure({ UPSTASH_REDIS_REST_URL: 'not a url', UPSTASH_REDIS_REST_TOKEN: 't' })).toMatch(/^Invalid environment:\n {2}UPSTASH_REDIS_REST_URL: /);
  });
});
