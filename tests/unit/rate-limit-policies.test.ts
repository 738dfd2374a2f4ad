import { describe, expect, it } from 'vitest';
import { resolvePolicies } from '../../app/platform/rate-limit/policies';

describe('rate-limit policies (domain.md "Limits")', () => {
  it('default to the product limits', () => {
    const p = resolvePolicies();
    expect({ max: p.read.max, window: p.read.windowSeconds }).toEqual({ max: 100, window: 60 });
    expect({ max: p.write.max, window: p.write.windowSeconds }).toEqual({ max: 30, window: 60 });
    expect({ max: p.export.max, window: p.export.windowSeconds }).toEqual({ max: 5, window: 300 });
    expect({ max: p.sync.max, window: p.sync.windowSeconds }).toEqual({ max: 2, window: 600 });
    expect({ max: p.loginUser.max, window: p.loginUser.windowSeconds }).toEqual({ max: 5, window: 300 });
    expect({ max: p.loginIp.max, window: p.loginIp.windowSeconds }).toEqual({ max: 30, window: 300 });
    expect({ max: p.public.max, window: p.public.windowSeconds }).toEqual({ max: 20, window: 60 });
  });

  it('refuse login, sync and export when the store is down, but let reads and writes through', () => {
    const p = resolvePolicies();
    expect(
      Object.values(p)
        .filter((x) => x.failClosed)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['export', 'loginIp', 'loginUser', 'sync']);
  });

  it('count login, sync and export in a token bucket, reads, writes and public pages in a sliding window (decision 080)', () => {
    const p = resolvePolicies();
    const byAlgorithm = (a: string) =>
      Object.values(p)
        .filter((x) => x.algorithm === a)
        .map((x) => x.name)
        .sort();
    expect(byAlgorithm('tokenBucket')).toEqual(['export', 'loginIp', 'loginUser', 'sync']);
    expect(byAlgorithm('slidingWindow')).toEqual(['public', 'read', 'write']);
  });

  it('apply RATE_LIMITS overrides and keep the other policies', () => {
    const p = resolvePolicies(' read=3/10 , public=50/120');
    expect(p.read).toEqual({ name: 'read', max: 3, windowSeconds: 10, failClosed: false, algorithm: 'slidingWindow' });
    expect(p.public).toMatchObject({ max: 50, windowSeconds: 120 });
    expect(p.write).toMatchObject({ max: 30, windowSeconds: 60 });
    expect(p.loginUser.failClosed).toBe(true);
  });

  it('treat an empty override as the defaults', () => {
    expect(resolvePolicies('')).toEqual(resolvePolicies());
  });

  it.each([
    ['read=abc/60', 'read=abc/60'],
    ['read=100', 'read=100'],
    ['reads=100/60', 'reads=100/60'],
    ['read=100/60,write=-1/60', 'write=-1/60'],
    ['read:100/60', 'read:100/60'],
  ])('reject %s with a message naming the bad part', (raw, part) => {
    expect(() => resolvePolicies(raw)).toThrow(`RATE_LIMITS: cannot read "${part}" (expected name=count/seconds)`);
  });
});
