// NextBank connection settings from the service's environment (never from the web app's).
// The password is kept off every enumerable property, so logging or serialising the config
// (JSON.stringify, spread, the logger's redaction) can never print it.
import { z } from 'zod';

const nonEmpty = (name: string, max: number) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, `${name} is required`)
    .max(max, `${name} is too long`);

export const nextbankEnvSchema = z.object({
  NEXTBANK_URL: z
    .url({ error: 'NEXTBANK_URL must be an http(s) URL, e.g. https://nextbank.example.ph/api' })
    .refine((u) => /^https?:\/\//.test(u), 'NEXTBANK_URL must start with http:// or https://'),
  NEXTBANK_USERNAME: nonEmpty('NEXTBANK_USERNAME', 200),
  NEXTBANK_PASSWORD: nonEmpty('NEXTBANK_PASSWORD', 500),
});

export interface NextbankConfig {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly username: string;
  /** Non-enumerable: read it, never log it. */
  readonly password: string;
}

export function parseNextbankConfig(env: Record<string, string | undefined> = process.env): NextbankConfig {
  const result = nextbankEnvSchema.safeParse({
    NEXTBANK_URL: env.NEXTBANK_URL || undefined,
    NEXTBANK_USERNAME: env.NEXTBANK_USERNAME || undefined,
    NEXTBANK_PASSWORD: env.NEXTBANK_PASSWORD || undefined,
  });
  if (!result.success) {
    // Messages name the variable only; a bad value is never echoed (it may be the password).
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid NextBank configuration:\n${lines.join('\n')}`);
  }
  // The Basic-auth password travels with every call: in production only https leaves the machine
  // (plain http stays allowed to a loopback address, e.g. the demo's NextBank fake).
  if (env.NODE_ENV === 'production' && isPlainHttpBeyondLoopback(result.data.NEXTBANK_URL)) {
    throw new Error('Invalid NextBank configuration:\n  NEXTBANK_URL: must use https in production (plain http only to 127.0.0.1 or localhost)');
  }
  return nextbankConfig({
    url: result.data.NEXTBANK_URL,
    username: result.data.NEXTBANK_USERNAME,
    password: result.data.NEXTBANK_PASSWORD,
  });
}

function isPlainHttpBeyondLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/** Builds a config (tests point it at the fake) with the password hidden from enumeration. */
export function nextbankConfig(input: { url: string; username: string; password: string }): NextbankConfig {
  const config = { url: input.url.replace(/\/+$/, ''), username: input.username } as NextbankConfig;
  Object.defineProperty(config, 'password', { value: input.password, enumerable: false });
  return Object.freeze(config);
}

/** Header value for HTTP Basic auth. */
export function basicAuthorization(config: NextbankConfig): string {
  return `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
}
