// tsx db/seed/cli.ts [--clients N] [--seed S] [--today YYYY-MM-DD] [--no-demo-users]  (against DATABASE_URL)
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDatabase } from '../client';
import { migrateDatabase } from '../migrate';
import { seedDatabase } from './index';

const { values } = parseArgs({
  options: {
    clients: { type: 'string' },
    seed: { type: 'string' },
    today: { type: 'string' },
    'no-demo-users': { type: 'boolean', default: false },
  },
});

const clients = values.clients === undefined ? 20_000 : Number(values.clients);
if (!Number.isInteger(clients) || clients < 0) throw new Error(`--clients must be a non-negative integer, got ${values.clients}`);
if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new Error('--today must be YYYY-MM-DD');
const seed = values.seed === undefined ? 42 : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const { client } = await openDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
try {
  await migrateDatabase(client); // idempotent: a fresh database just works
  let lastLog = 0;
  const summary = await seedDatabase(client, {
    clients,
    seed,
    today: values.today,
    demoUsers: !values['no-demo-users'],
    onProgress: (done, total) => {
      if (done === total || performance.now() - lastLog > 2000) {
        lastLog = performance.now();
        process.stderr.write(`  clients ${done}/${total}\n`);
      }
    },
  });
  if (summary.skipped) {
    console.log('seed: database already seeded; reference data refreshed, nothing else written');
  } else {
    const c = summary.counts;
    const t = summary.timingsMs;
    console.log(`seed: today=${summary.today} seed=${seed}`);
    console.log(`  areas ${c.areas}, branches ${c.branches}, branch contacts ${c.branchContacts}, demo users ${c.users}`);
    console.log(`  clients ${c.clients}, period rows ${c.periodRows}, status events ${c.events}`);
    console.log(`  time: reference ${t.reference} ms, org ${t.org} ms, users ${t.users} ms, clients ${t.clients} ms, total ${t.total} ms`);
    console.log(`  peak memory (RSS) ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  }
} catch (error) {
  console.error('seed: failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  client.close();
}
