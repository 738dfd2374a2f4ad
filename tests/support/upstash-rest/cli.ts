// Runs the local Upstash REST endpoint as its own process (used by scripts/start-edge.ts).
// Start it as `node --import tsx tests/support/upstash-rest/cli.ts ...` so the PID you keep is this
// process: the `tsx` binary forks a second node process and a SIGKILL to it orphans the server.
import { parseArgs } from 'node:util';
import { startUpstashRest } from './server';

const USAGE = `usage: node --import tsx tests/support/upstash-rest/cli.ts --port P (--redis-port R | --redis-url redis://...) [--token T]
  --port 0 picks a free port. The token may come from UPSTASH_REDIS_REST_TOKEN instead of --token
  (keeps it out of \`ps\`). Prints "upstash-rest ready http://127.0.0.1:PORT" once it accepts requests.`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseCliArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        'redis-port': { type: 'string' },
        'redis-url': { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const values = parseCliArgs();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const token = values.token ?? process.env.UPSTASH_REDIS_REST_TOKEN;
if (!token) fail('missing --token (or UPSTASH_REDIS_REST_TOKEN)');
if (values.port === undefined) fail('missing --port');
if (!values['redis-port'] && !values['redis-url']) fail('missing --redis-port or --redis-url');

const server = await startUpstashRest({
  port: Number(values.port),
  redisPort: values['redis-port'] ? Number(values['redis-port']) : undefined,
  redisUrl: values['redis-url'],
  token,
}).catch((error: Error) => {
  console.error(`upstash-rest failed to start: ${error.message}`);
  process.exit(1);
});

console.log(`upstash-rest ready ${server.url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
