// Snowflake connection and sync settings from the service's environment (never the web app's).
// Production uses the key-pair authenticator (SNOWFLAKE_JWT); the private key and any password or
// passphrase sit on non-enumerable properties, so logging or serialising the config never prints
// them, and error messages name variables, never values.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const DEFAULT_SOURCE_VIEW = 'CLIENT_UPDATER.CLIENTS_VIEW';
/** [DB.]SCHEMA.VIEW of plain identifiers: the name is spliced into the SELECT, so nothing else passes. */
export const VIEW_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,254}(\.[A-Za-z_][A-Za-z0-9_$]{0,254}){0,2}$/;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const name = (variable: string) =>
  z
    .string({ error: `${variable} is required` })
    .trim()
    .min(1, `${variable} is required`)
    .max(255, `${variable} is too long`);
const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

export const snowflakeEnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    SNOWFLAKE_ACCOUNT: name('SNOWFLAKE_ACCOUNT').regex(/^[A-Za-z0-9_.-]+$/, 'SNOWFLAKE_ACCOUNT must be an account identifier like ORG-ACCOUNT'),
    /** Overrides https://<account>.snowflakecomputing.com; plain http only to a loopback fake. */
    SNOWFLAKE_ACCESS_URL: optional(
      z.url().refine((u) => u.startsWith('https://') || LOOPBACK.test(u), 'SNOWFLAKE_ACCESS_URL must be https:// (http:// only for 127.0.0.1)'),
    ),
    SNOWFLAKE_USERNAME: name('SNOWFLAKE_USERNAME'),
    SNOWFLAKE_AUTHENTICATOR: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['SNOWFLAKE_JWT', 'SNOWFLAKE']).default('SNOWFLAKE_JWT')),
    SNOWFLAKE_PRIVATE_KEY_PATH: optional(z.string().min(1)),
    /** The PEM itself (a secret store's value); "\n" escapes are accepted. */
    SNOWFLAKE_PRIVATE_KEY: optional(z.string().min(1)),
    SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: optional(z.string().min(1)),
    SNOWFLAKE_PASSWORD: optional(z.string().min(1)),
    SNOWFLAKE_WAREHOUSE: optional(name('SNOWFLAKE_WAREHOUSE')),
    SNOWFLAKE_DATABASE: optional(name('SNOWFLAKE_DATABASE')),
    SNOWFLAKE_SCHEMA: optional(name('SNOWFLAKE_SCHEMA')),
    SNOWFLAKE_ROLE: optional(name('SNOWFLAKE_ROLE')),
    /** Used when the sync_jobs row and the snowflake_source_view setting name none. */
    SNOWFLAKE_VIEW: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().regex(VIEW_NAME, 'SNOWFLAKE_VIEW must be [DB.]SCHEMA.VIEW').default(DEFAULT_SOURCE_VIEW),
    ),
    /** Clients per write transaction (each statement takes the chunk as one JSON value: no bound-variable cap). */
    SNOWFLAKE_SYNC_BATCH_ROWS: int(5000, 50, 10_000),
    /** A result stream that delivers no row for this long is abandoned (a dropped chunk the SDK keeps retrying). */
    SNOWFLAKE_STREAM_IDLE_TIMEOUT_MS: int(300_000, 1_000, 3_600_000),
    /** A complete full sync deactivates missing clients only up to this share of the active ones; above it, none (reported). */
    SNOWFLAKE_MAX_DEACTIVATION_PERCENT: int(20, 0, 100),
  })
  // Cross-field rules run even when a field failed, so one start names every problem.
  .superRefine(
    (env, ctx) => {
      for (const issue of crossFieldIssues(env)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    },
    { when: () => true },
  );

function crossFieldIssues(env: Record<string, unknown>): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const set = (key: string) => typeof env[key] === 'string' && (env[key] as string).length > 0;
  const authenticator = set('SNOWFLAKE_AUTHENTICATOR') ? env.SNOWFLAKE_AUTHENTICATOR : 'SNOWFLAKE_JWT';
  if (authenticator === 'SNOWFLAKE_JWT' && !set('SNOWFLAKE_PRIVATE_KEY_PATH') && !set('SNOWFLAKE_PRIVATE_KEY')) {
    issues.push({
      path: 'SNOWFLAKE_PRIVATE_KEY_PATH',
      message: 'SNOWFLAKE_PRIVATE_KEY_PATH or SNOWFLAKE_PRIVATE_KEY is required for the key-pair (SNOWFLAKE_JWT) authenticator',
    });
  }
  if (authenticator === 'SNOWFLAKE') {
    if (!set('SNOWFLAKE_PASSWORD')) issues.push({ path: 'SNOWFLAKE_PASSWORD', message: 'SNOWFLAKE_PASSWORD is required for the password authenticator' });
    if (env.NODE_ENV === 'production')
      issues.push({ path: 'SNOWFLAKE_AUTHENTICATOR', message: 'production uses key-pair authentication (SNOWFLAKE_JWT), not a password' });
  }
  return issues;
}

export interface SnowflakeConfig {
  readonly account: string;
  readonly accessUrl?: string;
  readonly username: string;
  readonly authenticator: 'SNOWFLAKE_JWT' | 'SNOWFLAKE';
  readonly warehouse?: string;
  readonly database?: string;
  readonly schema?: string;
  readonly role?: string;
  readonly view: string;
  readonly batchRows: number;
  readonly streamIdleTimeoutMs: number;
  readonly maxDeactivationPercent: number;
  /** Non-enumerable secrets: read them, never log them. */
  readonly privateKey?: string;
  readonly privateKeyPassphrase?: string;
  readonly password?: string;
}

export type SnowflakeConfigInput = Omit<SnowflakeConfig, 'batchRows' | 'streamIdleTimeoutMs' | 'maxDeactivationPercent' | 'view' | 'authenticator'> &
  Partial<Pick<SnowflakeConfig, 'batchRows' | 'streamIdleTimeoutMs' | 'maxDeactivationPercent' | 'view' | 'authenticator'>>;

/** Builds a config (tests point it at the fake) with the secrets hidden from enumeration. */
export function snowflakeConfig(input: SnowflakeConfigInput): SnowflakeConfig {
  const { privateKey, privateKeyPassphrase, password, ...visible } = input;
  const config = {
    authenticator: 'SNOWFLAKE_JWT',
    view: DEFAULT_SOURCE_VIEW,
    batchRows: 5000,
    streamIdleTimeoutMs: 300_000,
    maxDeactivationPercent: 20,
    ...visible,
  } as SnowflakeConfig;
  if (!VIEW_NAME.test(config.view)) throw new Error('Snowflake view must be [DB.]SCHEMA.VIEW');
  for (const [key, value] of Object.entries({ privateKey, privateKeyPassphrase, password })) {
    if (value !== undefined) Object.defineProperty(config, key, { value, enumerable: false });
  }
  return Object.freeze(config);
}

/** Reads and checks the key now, so a bad key fails the service at start, not the 06:00 sync. */
function loadPrivateKey(env: z.infer<typeof snowflakeEnvSchema>): string {
  let pem: string;
  try {
    pem = env.SNOWFLAKE_PRIVATE_KEY ? env.SNOWFLAKE_PRIVATE_KEY.replace(/\\n/g, '\n') : readFileSync(env.SNOWFLAKE_PRIVATE_KEY_PATH!, 'utf8');
  } catch {
    throw new Error('Invalid Snowflake configuration:\n  SNOWFLAKE_PRIVATE_KEY_PATH: the file cannot be read');
  }
  try {
    createPrivateKey({ key: pem, format: 'pem', passphrase: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE });
  } catch {
    const variable = env.SNOWFLAKE_PRIVATE_KEY ? 'SNOWFLAKE_PRIVATE_KEY' : 'SNOWFLAKE_PRIVATE_KEY_PATH';
    throw new Error(`Invalid Snowflake configuration:\n  ${variable}: not a PEM private key (or the passphrase is wrong)`);
  }
  return pem;
}

/** True when the environment asks for Snowflake at all (SNOWFLAKE_ACCOUNT set). */
export function snowflakeConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env.SNOWFLAKE_ACCOUNT?.trim());
}

export function parseSnowflakeConfig(env: Record<string, string | undefined> = process.env): SnowflakeConfig {
  const picked = Object.fromEntries(Object.keys(snowflakeEnvSchema.shape).map((k) => [k, env[k]]));
  const result = snowflakeEnvSchema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message.replace(/received .*/i, 'invalid value')}`);
    throw new Error(`Invalid Snowflake configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return snowflakeConfig({
    account: e.SNOWFLAKE_ACCOUNT,
    accessUrl: e.SNOWFLAKE_ACCESS_URL?.replace(/\/+$/, ''),
    username: e.SNOWFLAKE_USERNAME,
    authenticator: e.SNOWFLAKE_AUTHENTICATOR,
    warehouse: e.SNOWFLAKE_WAREHOUSE,
    database: e.SNOWFLAKE_DATABASE,
    schema: e.SNOWFLAKE_SCHEMA,
    role: e.SNOWFLAKE_ROLE,
    view: e.SNOWFLAKE_VIEW,
    batchRows: e.SNOWFLAKE_SYNC_BATCH_ROWS,
    streamIdleTimeoutMs: e.SNOWFLAKE_STREAM_IDLE_TIMEOUT_MS,
    maxDeactivationPercent: e.SNOWFLAKE_MAX_DEACTIVATION_PERCENT,
    privateKey: e.SNOWFLAKE_AUTHENTICATOR === 'SNOWFLAKE_JWT' ? loadPrivateKey(e) : undefined,
    privateKeyPassphrase: e.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE,
    password: e.SNOWFLAKE_AUTHENTICATOR === 'SNOWFLAKE' ? e.SNOWFLAKE_PASSWORD : undefined,
  });
}

/** Options for snowflake.createConnection (holds the secrets: never log this object). */
export function connectionOptions(config: SnowflakeConfig) {
  return {
    account: config.account,
    ...(config.accessUrl ? { accessUrl: config.accessUrl } : {}),
    username: config.username,
    authenticator: config.authenticator,
    ...(config.authenticator === 'SNOWFLAKE_JWT'
      ? { privateKey: config.privateKey, ...(config.privateKeyPassphrase ? { privateKeyPass: config.privateKeyPassphrase } : {}) }
      : { password: config.password }),
    ...(config.warehouse ? { warehouse: config.warehouse } : {}),
    ...(config.database ? { database: config.database } : {}),
    ...(config.schema ? { schema: config.schema } : {}),
    ...(config.role ? { role: config.role } : {}),
    application: 'ClientUpdater',
    clientSessionKeepAlive: false,
    // Rows buffered ahead of the consumer: 10 (the default) makes the stream crawl (measured 1.5×).
    rowStreamHighWaterMark: 1000,
  };
}
