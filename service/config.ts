// The service's environment, validated with zod at start (fail fast, one line per bad variable).
// .env.example lists each variable under "Service only".
import { hostname } from 'node:os';
import { z } from 'zod';
import { QUEUES, type QueueName, type QueuePolicy } from '../app/core/jobs/queues';

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const ms = (fallback: number, min: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(24 * 3_600_000)
    .default(fallback);

const policyOverride = z
  .object({
    concurrency: z.number().int().min(1).max(64),
    timeoutMs: z.number().int().min(10),
    maxAttempts: z.number().int().min(1).max(100),
    leaseMs: z.number().int().min(30),
  })
  .partial()
  .strict();

/** e.g. {"sync":{"concurrency":1,"leaseMs":90000}}: per-queue changes to app/core/jobs/queues.ts. */
const policyOverrides = z.preprocess(
  (v) => {
    if (v === undefined || v === '') return {};
    try {
      return JSON.parse(String(v));
    } catch {
      return '(not JSON)';
    }
  },
  z.partialRecord(z.enum(QUEUES), policyOverride),
);

export const serviceConfigSchema = z.object({
  // Unset means production (issue 14 item 8), like the web app.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:)/, 'must start with file:, libsql:, http: or https:')
    .default('file:data/app.db'),
  DATABASE_AUTH_TOKEN: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Names this process in lease owners and service_heartbeats; default host:pid. */
  SERVICE_INSTANCE_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).max(100).optional()),
  SERVICE_HEARTBEAT_MS: ms(10_000, 200),
  /** Comma-separated queues this instance runs (default all that have a handler). */
  SERVICE_QUEUES: z.preprocess(
    (v) =>
      v === undefined || v === ''
        ? undefined
        : String(v)
            .split(',')
            .map((q) => q.trim())
            .filter(Boolean),
    z.array(z.enum(QUEUES)).min(1).optional(),
  ),
  /** How often an idle worker looks for new jobs. */
  SERVICE_POLL_MS: ms(1_000, 20),
  /** How often the scheduler re-reads scheduled_jobs (enable/disable and edits apply within this). */
  SERVICE_SCHEDULE_REFRESH_MS: ms(15_000, 50),
  /** On SIGTERM running jobs get this long to finish before they are aborted and released. */
  SERVICE_SHUTDOWN_GRACE_MS: ms(20_000, 0),
  SERVICE_SCHEDULER: z.enum(['on', 'off']).default('on'),
  /** OTLP/HTTP collector: job attempts and NextBank/Snowflake calls are exported as spans when set (decision 094). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** Share of new traces exported (parent-based ratio); a failed span is always kept. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  SERVICE_QUEUE_POLICIES: policyOverrides,
  /** Pins the clock's start outside production (demos and e2e), like the web app. */
  APP_FIXED_NOW: optionalString,
});

export type ServiceEnv = z.infer<typeof serviceConfigSchema>;

export interface ServiceConfig {
  env: ServiceEnv;
  instanceId: string;
  queues: QueueName[] | undefined;
  policyOverrides: Partial<Record<QueueName, Partial<QueuePolicy>>>;
}

export function parseServiceConfig(raw: Record<string, unknown>, pid: number = process.pid): ServiceConfig {
  const result = serviceConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid service environment:\n${lines.join('\n')}`);
  }
  const env = result.data;
  return {
    env,
    instanceId: env.SERVICE_INSTANCE_ID ?? `${hostname()}:${pid}`,
    queues: env.SERVICE_QUEUES,
    policyOverrides: env.SERVICE_QUEUE_POLICIES,
  };
}
