import { describe, expect, it } from 'vitest';
import { safeRedirect } from '../../app/web/safe-redirect';

describe('safeRedirect: only same-site paths after sign-in', () => {
  it.each(['/clients', '/clients/42?tab=periods', '/account/password', '/'])('keeps %s', (to) => {
    expect(safeRedirect(to)).toBe(to);
  });

  it.each([
    '//evil.test',
    '//evil.test/clients',
    'https://evil.test',
    'http://evil.test/clients',
    '/\\evil.test',
    '\\\\evil.test',
    'javascript:alert(1)',
    'clients',
    '',
  ])('refuses %j and goes to the fallback', (to) => {
    expect(safeRedirect(to)).toBe('/clients');
    expect(safeRedirect(to, '/home')).toBe('/home');
  });

  it('goes to the fallback when there is no target', () => {
    expect(safeRedirect(null)).toBe('/clients');
    expect(safeRedirect(undefined)).toBe('/clients');
  });
});
