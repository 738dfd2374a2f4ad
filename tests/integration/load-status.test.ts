// The bounded load run (issue 14, "Load"): 20 field officers, each with their own session, read and
// record statuses for 10 s against the Node host over HTTP. No timing is asserted (the figures are in
// bench/RESULTS.md "Load", from `npm run bench -- --only load`); what is asserted is what an operator
// cares about: no 5xx, every accepted write is in status_events once, every refused one left nothing,
// and the trail of each worked period row is gap-free.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLoadOutcome, runLoad, seedLoadUsers, type LoadOutcome } from '../support/load-run';
import { startTestNodeHost, type TestNodeHost } from '../support/node-host';

const USERS = 20;
const SECONDS = 10;

let host: TestNodeHost;
let outcome: LoadOutcome;

beforeAll(async () => {
  // The per-user read and write limits would refuse a simulated user long before a person; sign-in
  // from one address is raised too (every simulated user comes from 127.0.0.1).
  host = await startTestNodeHost({ rateLimits: 'read=100000/60,write=100000/60,loginIp=10000/300' });
  const users = await seedLoadUsers(host.db.client, USERS);
  const run = await runLoad({ url: host.url, db: host.db.client, users, seconds: SECONDS });
  outcome = await checkLoadOutcome(host.db.client, run);
  console.log(`load ${USERS} users × ${SECONDS} s: ${JSON.stringify(outcome)}`);
}, 120_000);
afterAll(() => host?.stop());

describe(`${USERS} signed-in users for ${SECONDS} s of reads and status writes`, () => {
  it('answers every request, none with a 5xx', () => {
    expect(outcome.requests).toBeGreaterThan(USERS * 2);
    expect({ serverErrors: outcome.serverErrors, noAnswer: outcome.noAnswer }).toEqual({ serverErrors: 0, noAnswer: 0 });
    const allowed = ['200', '302', '409'];
    expect(Object.keys(outcome.byStatus).filter((s) => !allowed.includes(s))).toEqual([]);
  });

  it('loses and doubles no write: each accepted one is one event, a 409 leaves none', () => {
    expect(outcome.writesAccepted).toBeGreaterThan(0);
    expect({ lost: outcome.lost, doubledOrPhantom: outcome.doubledOrPhantom, other: outcome.writesOther }).toEqual({ lost: 0, doubledOrPhantom: 0, other: 0 });
    expect(outcome.newEvents).toBe(outcome.writesAccepted);
  });

  it('keeps every worked period row gap-free: event_sequence 1..n and the version moved once per event', () => {
    expect(outcome.gappedRows).toBe(0);
  });
});
