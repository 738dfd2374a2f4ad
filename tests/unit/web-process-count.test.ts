// How many web processes the Node host runs (decision 121): one per core, on a local database file
// too (the primary's write turn orders the workers' writes; decision 116 ran one process there);
// WEB_PROCESSES wins when set; a bad value is refused with the variable's name.
import { describe, expect, it } from 'vitest';
import { webProcessCount } from '../../server/cluster';

describe('webProcessCount', () => {
  it('unset: one process per core, whatever the database', () => {
    expect(webProcessCount(undefined, 8)).toBe(8);
    expect(webProcessCount('', 4)).toBe(4);
    expect(webProcessCount(undefined, 1)).toBe(1);
  });

  it('WEB_PROCESSES set: taken as given', () => {
    expect(webProcessCount('2', 8)).toBe(2);
    expect(webProcessCount('1', 8)).toBe(1);
    expect(webProcessCount('16', 2)).toBe(16);
  });

  it('a bad WEB_PROCESSES is refused, naming the variable', () => {
    for (const bad of ['0', '65', '1.5', 'two']) expect(() => webProcessCount(bad, 8)).toThrow(/WEB_PROCESSES: must be a whole number from 1 to 64/);
  });
});
