/** One group's share of a page: skip `offset` of the group's rows (in their own order), take `take`. */
export interface PageSlice<G> {
  group: G;
  offset: number;
  take: number;
}

/**
 * The groups a page of sorted rows falls in, when the rows are sorted by group first (in the order
 * given) and the size of every group is known: rows [start, end) of the whole list are, group by group,
 * `take` rows after the first `offset` of that group. A page reads only its groups, however deep it is.
 */
export function pageSlices<G extends { n: number }>(groups: readonly G[], start: number, end: number): PageSlice<G>[] {
  const slices: PageSlice<G>[] = [];
  let before = 0;
  for (const group of groups) {
    const from = Math.max(start, before);
    const to = Math.min(end, before + group.n);
    if (to > from) slices.push({ group, offset: from - before, take: to - from });
    before += group.n;
    if (before >= end) break;
  }
  return slices;
}
