// node --import tsx fakes/snowflake/cli.ts --port P --rows N [--seed 42] [--today YYYY-MM-DD]
//   [--account CU_DEMO] [--username CLIENT_UPDATER_SVC] [--password p] [--public-key-file key.pub.pem]
//   [--view CLIENT_UPDATER.CLIENTS_VIEW] [--inline-rows 1000] [--chunk-rows 10000]
// Serves the fake Snowflake on 127.0.0.1 with its /__fake/* control API until SIGINT/SIGTERM.
// --seed and --today default like db/seed's, so the warehouse's first rows are the seeded clients.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { manilaDate } from '../../db/seed/periods';
import { startSnowflakeFake } from './server';
import { Warehouse } from './warehouse';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    rows: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '42' },
    today: { type: 'string' },
    account: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'public-key-file': { type: 'string' },
    view: { type: 'string' },
    'inline-rows': { type: 'string' },
    'chunk-rows': { type: 'string' },
  },
});

const int = (name: string, text: string | undefined, min: number) => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${text}`);
  return n;
};
const today = values.today ?? manilaDate(new Date());
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be YYYY-MM-DD');
const seed = /^\d+$/.test(values.seed!) ? Number(values.seed) : values.seed!;
const rows = int('rows', values.rows, 0)!;

const started = performance.now();
const fake = await startSnowflakeFake({
  port: int('port', values.port, 0),
  warehouse: new Warehouse({ rows, seed, today }),
  account: values.account,
  username: values.username,
  password: values.password,
  publicKeys: values['public-key-file'] ? [readFileSync(values['public-key-file'], 'utf8')] : undefined,
  view: values.view,
  inlineRows: int('inline-rows', values['inline-rows'], 0),
  chunkRows: int('chunk-rows', values['chunk-rows'], 1),
  controlApi: true,
});
console.log(JSON.stringify({
  msg: 'snowflake fake listening', url: fake.url, rows, seed, today, account: fake.account, username: fake.username,
  view: fake.view, readyMs: Math.round(performance.now() - started),
}));

const stop = () => {
  fake.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
