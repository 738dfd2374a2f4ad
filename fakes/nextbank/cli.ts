// Runs the NextBank fake on 127.0.0.1 for `npm start` and manual testing:
//   node --import tsx fakes/nextbank/cli.ts --port 4510 [--host 127.0.0.1]
// Credentials come from NEXTBANK_USERNAME / NEXTBANK_PASSWORD (the same variables the service
// reads), defaulting to the fake's demo pair. Prints one JSON line when ready; stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startNextbankFake } from './server';

const args = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(0),
    host: z.enum(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
    quiet: z.boolean().default(false),
  })
  .parse(
    parseArgs({
      options: { port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' } },
      strict: true,
    }).values,
  );

const fake = await startNextbankFake({
  port: args.port,
  host: args.host,
  username: process.env.NEXTBANK_USERNAME || undefined,
  password: process.env.NEXTBANK_PASSWORD || undefined,
  log: args.quiet ? undefined : (line) => console.log(line),
});
console.log(JSON.stringify({ msg: 'nextbank fake listening', url: fake.url, pid: process.pid }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await fake.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
