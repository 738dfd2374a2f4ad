import { z } from 'zod';
import { exportStorageEnvShape } from './files/export-storage';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** Every variable the web app reads; .env.example documents each one. */
export const appEnvSchema = z
  .object({
    // Unset means production: the safe behaviour is the default of every entry point (issue 14 item 8);
    // development and test are asked for by name (npm start's demo seeding, the test suites).
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    APP_VERSION: z.string().default('0.1.0'),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|libsql:|https?:)/, 'must start with file:, libsql:, http: or https:')
      .default('file:data/app.db'),
    DATABASE_AUTH_TOKEN: optionalString,
    UPSTASH_REDIS_REST_URL: optionalUrl,
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Pins the clock outside production (demos and e2e tests). ISO date-time. */
    APP_FIXED_NOW: optionalString,
    /** Secure cookies: on by default; tests over plain http on 127.0.0.1 may turn it off. */
    COOKIE_SECURE: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true')),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(10),
    /** Node host behind a TLS proxy: Express "trust proxy" value (e.g. "loopback"), so origin and IP are the client's. */
    TRUST_PROXY: optionalString,
    /**
     * Continue a `traceparent` header from the caller (decision 094). Only behind a proxy or gateway
     * we run that sets or strips it: otherwise a client picks the id its actions are filed under.
     */
    TRUST_TRACEPARENT: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** OTLP/HTTP collector (Node host): spans are exported only when set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    /** Share of new traces exported (parent-based ratio; a span with an error is always kept). */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    /** Overrides for the rate-limit policies, e.g. "read=100/60,write=30/60" (count/seconds). */
    RATE_LIMITS: optionalString,
    /** HMAC key of export download links (decision 093). The Node host refuses to start in production without it; a fixed dev key otherwise. */
    EXPORT_LINK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
    ...exportStorageEnvShape,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['UPSTASH_REDIS_REST_TOKEN'],
        message: 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together',
      });
    }
    if (env.EXPORT_STORAGE === 's3') {
      for (const key of ['EXPORT_S3_BUCKET', 'EXPORT_S3_ACCESS_KEY_ID', 'EXPORT_S3_SECRET_ACCESS_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when EXPORT_STORAGE=s3' });
      }
    }
    if (env.NODE_ENV === 'production' && env.BCRYPT_COST < 10) {
      ctx.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 10 in production' });
    }
  });

export type AppEnv = z.infer<typeof appEnvSchema>;

/** Parses the environment once at start; fails with one line per bad variable. */
export function parseAppEnv(raw: Record<string, unknown>): AppEnv {
  const result = appEnvSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join('\n')}`);
}

export function cookieIsSecure(env: AppEnv): boolean {
  return env.COOKIE_SECURE ?? true;
}

/** Outside production only: signs export links when EXPORT_LINK_SECRET is not set (demos, tests). */
const DEV_EXPORT_LINK_SECRET = 'client-updater-development-export-link-key';

export function exportLinkSecret(env: AppEnv): string {
  if (env.EXPORT_LINK_SECRET) return env.EXPORT_LINK_SECRET;
  if (env.NODE_ENV === 'production') throw new Error('EXPORT_LINK_SECRET is not set');
  return DEV_EXPORT_LINK_SECRET;
}
