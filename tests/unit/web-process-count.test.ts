// How many web processes the Node host runs (decision 116): one on a local database file, whose
// writers would stall each other's event loops on the file lock; one per core against a database
// server; WEB_PROCESSES wins when set; a bad value is refused with the variable's name.
import { describe, expect, it } from 'vitest';
import { webProcessCount } from '../../server/cluster';

describe('webProcessCount', () => {
  it('unset: one process on a local file, one per core against sqld or Turso', () => {
    expect(webProcessCount(undefined, 'file:data/app.db', 8)).toBe(1);
    expect(webProcessCount('', 'file:///var/lib/app.db', 8)).toBe(1);
    expect(webProcessCount(undefined, 'http://127.0.0.1:8080', 8)).toBe(8);
    expect(webProcessCount(undefined, 'libsql://app-org.turso.io', 4)).toBe(4);
  });

  it('WEB_PROCESSES set: taken as given, on a file too', () => {
    expect(webProcessCount('2', 'file:data/app.db', 8)).toBe(2);
    expect(webProcessCount('1', 'libsql://app-org.turso.io', 8)).toBe(1);
  });

  it('a bad WEB_PROCESSES is refused, naming the variable', () => {
    for (const bad of ['0', '65', '1.5', 'two'])
      expect(() => webProcessCount(bad, 'file:data/app.db', 8)).toThrow(/WEB_PROCESSES: must be a whole number from 1 to 64/);
  });
});
