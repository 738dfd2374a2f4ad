import { describe, expect, it } from 'vitest';
import { createLogger, maskText, redact } from '../../app/platform/logger';

function collect(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, base: { host: 'node' }, write: (l) => lines.push(l) }) };
}

const token = 'q8Zr3x0VbE1mH7kYp2Lw9sTn4cFj6uAa5dGi8oKe0yM';

describe('logger: one JSON line per event, no secrets', () => {
  it('never writes passwords, tokens, cookies, authorization headers or session ids', () => {
    const { lines, logger } = collect();
    logger.info('sign-in attempt', {
      password: 'demo-pass-2026',
      newPassword: 'another secret phrase',
      token,
      sessionToken: token,
      sessionId: 42,
      cookie: `cu_session=${token}`,
      headers: { authorization: 'Bearer abc.def.ghi', 'set-cookie': `cu_session=${token}` },
      nested: [{ apiSecret: 's3cr3t-value' }],
    });
    const line = lines.join('\n');
    for (const secret of ['demo-pass-2026', 'another secret phrase', token, 'abc.def.ghi', 's3cr3t-value']) expect(line).not.toContain(secret);
    const record = JSON.parse(lines[0]);
    expect(record.password).toBe('[redacted]');
    expect(record.sessionId).toBe('[redacted]');
    expect(record.headers).toEqual({ authorization: '[redacted]', 'set-cookie': '[redacted]' });
  });

  it('masks emails and other personal data, keeping only the first two characters', () => {
    const { lines, logger } = collect();
    logger.warn('lookup', { email: 'branch.mnla01@demo.test', user: { email: 'area.ncr@demo.test', full_name: 'Rosario Villanueva' }, phone: '09171234567' });
    const record = JSON.parse(lines[0]);
    expect(record.email).toBe('br******');
    expect(record.user).toEqual({ email: 'ar******', full_name: 'Ro******' });
    expect(record.phone).toBe('09******');
    expect(lines[0]).not.toContain('demo.test');
    expect(maskText('ab')).toBe('**');
  });

  it('keeps ordinary fields, the base fields and the level', () => {
    const { lines, logger } = collect();
    logger.child({ requestId: 'req-12345678' }).error('rate limited', { policy: 'read', userId: 3 });
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'rate limited', host: 'node', requestId: 'req-12345678', policy: 'read', userId: 3 });
  });

  it('writes errors as name and message only (no stack)', () => {
    const { lines, logger } = collect();
    logger.error('failed', { error: new TypeError('boom') });
    expect(JSON.parse(lines[0]).error).toEqual({ name: 'TypeError', message: 'boom' });
  });

  it('drops events below the configured level', () => {
    const { lines, logger } = collect('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['w']);
  });

  it('redact() leaves the input object untouched', () => {
    const input = { password: 'x', user: { email: 'someone@demo.test' } };
    redact(input);
    expect(input).toEqual({ password: 'x', user: { email: 'someone@demo.test' } });
  });
});
