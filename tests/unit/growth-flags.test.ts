// The growth bench's flags (bench/run.ts): a bad value is refused before any copy of a kept database is made.
import { describe, expect, it } from 'vitest';
import { parseGrowthParts, parseGrowthSizes } from '../../bench/growth';

describe('--growth-only', () => {
  it('takes screens, exports or both', () => {
    expect([...parseGrowthParts('exports')]).toEqual(['exports']);
    expect([...parseGrowthParts('screens')]).toEqual(['screens']);
    expect([...parseGrowthParts('screens, exports')]).toEqual(['screens', 'exports']);
  });

  it('refuses an unknown or empty part, naming the flag', () => {
    expect(() => parseGrowthParts('export')).toThrow(/--growth-only: expected screens and\/or exports, got "export"/);
    expect(() => parseGrowthParts('screens,bogus')).toThrow(/--growth-only/);
    expect(() => parseGrowthParts('')).toThrow(/--growth-only/);
  });
});

describe('--growth', () => {
  it('reads N=FILE pairs in order', () => {
    expect(parseGrowthSizes('20000=/tmp/a.db,1000000=/tmp/b.db')).toEqual([
      { clients: 20000, file: '/tmp/a.db' },
      { clients: 1000000, file: '/tmp/b.db' },
    ]);
  });

  it('refuses a pair without a file or a count', () => {
    expect(() => parseGrowthSizes('20000')).toThrow(/--growth: expected N=FILE/);
    expect(() => parseGrowthSizes('x=/tmp/a.db')).toThrow(/--growth: expected N=FILE/);
  });
});
