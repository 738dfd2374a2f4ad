// node --import tsx fakes/snowflake/cli.ts --port P --rows N [--seed 42] [--today YYYY-MM-DD]
//   [--account A] [--username U] [--password p] [--public-key-file key.pub.pem] [--view DB.SCHEMA.VIEW]
//   [--inline-rows 1000] [--chunk-rows 10000] [--create-demo-key]
// Serves the fake Snowflake on 127.0.0.1 (with its /__fake/* control API) until SIGINT/SIGTERM.
// Unset flags fall back to the service's own variables, so `npm start` sets one environment for both:
// SNOWFLAKE_ACCESS_URL (its port), SNOWFLAKE_ACCOUNT, SNOWFLAKE_USERNAME, SNOWFLAKE_PASSWORD,
// SNOWFLAKE_VIEW, and SNOWFLAKE_PRIVATE_KEY_PATH, whose public half becomes the registered key
// (--create-demo-key writes a new RSA key there first if the file does not exist).
// --seed and --today default like db/seed's, so the warehouse's first rows are the seeded clients.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { manilaDate } from '../../db/seed/periods';
import { startSnowflakeFake } from './server';
import { Warehouse } from './warehouse';

const env = process.env;
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
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
    'create-demo-key': { type: 'boolean', default: false },
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
const port = int('port', values.port ?? (env.SNOWFLAKE_ACCESS_URL ? new URL(env.SNOWFLAKE_ACCESS_URL).port || undefined : undefined), 0) ?? 0;

/** The registered public key: from --public-key-file, else the public half of the service's private key. */
function publicKeys(): string[] | undefined {
  if (values['public-key-file']) return [readFileSync(values['public-key-file'], 'utf8')];
  const keyPath = env.SNOWFLAKE_PRIVATE_KEY_PATH;
  if (keyPath && values['create-demo-key'] && !existsSync(keyPath)) {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    mkdirSync(dirname(keyPath), { recursive: true });
    writeFileSync(keyPath, privateKey, { mode: 0o600 });
  }
  const pem = env.SNOWFLAKE_PRIVATE_KEY?.replace(/\\n/g, '\n') ?? (keyPath && existsSync(keyPath) ? readFileSync(keyPath, 'utf8') : undefined);
  if (!pem) return undefined;
  const privateKey = createPrivateKey({ key: pem, format: 'pem', passphrase: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE });
  return [createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()];
}

const started = performance.now();
const keys = publicKeys();
const fake = await startSnowflakeFake({
  port,
  warehouse: new Warehouse({ rows, seed, today }),
  account: values.account ?? env.SNOWFLAKE_ACCOUNT,
  username: values.username ?? env.SNOWFLAKE_USERNAME,
  password: values.password ?? env.SNOWFLAKE_PASSWORD,
  publicKeys: keys,
  view: values.view ?? env.SNOWFLAKE_VIEW,
  inlineRows: int('inline-rows', values['inline-rows'], 0),
  chunkRows: int('chunk-rows', values['chunk-rows'], 1),
  controlApi: true,
});
console.log(
  JSON.stringify({
    msg: 'snowflake fake listening',
    url: fake.url,
    rows,
    seed,
    today,
    account: fake.account,
    username: fake.username,
    view: fake.view,
    keyPair: keys ? 'registered key only' : 'any well-formed JWT',
    readyMs: Math.round(performance.now() - started),
  }),
);

const stop = () => {
  fake.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
