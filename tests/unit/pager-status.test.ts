// The pager's line: an exact total as counted, a capped search total (decision 105) marked "+".
import { describe, expect, it } from 'vitest';
import { pagerStatus } from '../../app/ui/pager';

describe('pager status', () => {
  it('shows an exact total as it is', () => {
    expect(pagerStatus(2, 7, 160, 'clients')).toBe('Page 2 of 7 · 160 clients');
  });
  it('marks a total counted only up to the cap, and its page count, with "+"', () => {
    expect(pagerStatus(1, 200, 5000, 'clients', true)).toBe('Page 1 of 200+ · 5,000+ clients');
  });
});
