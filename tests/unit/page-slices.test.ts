import { describe, expect, it } from 'vitest';
import { pageSlices } from '../../app/core/paging/page-slices';

// Groups of 3, 0, 5 and 2 rows: rows 0-2, 3-7, 8-9 of the whole list.
const groups = [
  { id: 'a', n: 3 },
  { id: 'empty', n: 0 },
  { id: 'b', n: 5 },
  { id: 'c', n: 2 },
];
const slices = (start: number, end: number) => pageSlices(groups, start, end).map((s) => [s.group.id, s.offset, s.take]);

describe('pageSlices: the groups a page of group-sorted rows falls in', () => {
  it('a page inside one group skips the rows earlier pages took there', () => {
    expect(slices(4, 6)).toEqual([['b', 1, 2]]);
  });

  it('a page across groups takes the end of one and the start of the next, skipping empty groups', () => {
    expect(slices(2, 5)).toEqual([
      ['a', 2, 1],
      ['b', 0, 2],
    ]);
    expect(slices(0, 10)).toEqual([
      ['a', 0, 3],
      ['b', 0, 5],
      ['c', 0, 2],
    ]);
  });

  it('a page past the last row takes nothing; a page ending at a boundary does not touch the next group', () => {
    expect(slices(10, 12)).toEqual([]);
    expect(slices(0, 3)).toEqual([['a', 0, 3]]);
  });
});
