// Another writer on a libSQL file, in its own process (issue 14, "Faults"): takes the write lock
// (BEGIN IMMEDIATE), prints "locked", holds it for the given milliseconds, rolls back and exits.
// Its own process because SQLite's busy wait blocks the waiting thread: a holder inside the host's
// process could never release its lock while the host waits for it.
// Usage: node tests/support/db-lock-holder.mjs file:path/to.db 2000
import { createClient } from '@libsql/client';

const [url, ms] = process.argv.slice(2);
const client = createClient({ url });
const tx = await client.transaction('write');
process.stdout.write('locked\n');
setTimeout(async () => {
  await tx.rollback();
  client.close();
  process.stdout.write('released\n');
}, Number(ms));
