// What the Node service last published (service_heartbeats), read for /status. The payload is the
// service's to shape (service/main.ts); it is read defensively: a missing or odd field shows as
// unknown, never as an error, and nothing but counts, states and times leaves this module (the page
// is public: no host names, process ids or error texts).
import { desc, gte } from 'drizzle-orm';
import { serviceHeartbeats } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

/** The service's default beat (SERVICE_HEARTBEAT_MS); a payload's heartbeatMs overrides it. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** A heartbeat older than this many intervals is stale: the instance is probably gone or stuck. */
export const STALE_AFTER_INTERVALS = 3;
/** Instances silent for longer than this are left off the page (restarts leave old rows behind). */
export const FORGET_AFTER_MS = 24 * 60 * 60_000;
const MAX_INSTANCES = 10;
const BREAKER_STATES = ['closed', 'open', 'half_open', 'isolated'] as const;
const QUEUE_FIELDS = ['pending', 'running', 'failed', 'dead'] as const;

export interface BreakerView {
  name: string;
  state: (typeof BREAKER_STATES)[number] | 'unknown';
  changedAt: string | null;
}
export interface QueueDepth {
  queue: string;
  pending: number | null;
  running: number | null;
  failed: number | null;
  dead: number | null;
}
export interface InstanceView {
  label: string;
  version: string | null;
  publishedAt: string;
  ageSeconds: number;
  /** The service's clock is ahead of the app's (the heartbeat looks newer than now). */
  clockAhead: boolean;
  stale: boolean;
  /** The instance said goodbye (its last heartbeat after a graceful SIGTERM/SIGINT stop). */
  stopped: boolean;
  uptimeSeconds: number | null;
  breakers: BreakerView[];
}
export interface ServiceHealth {
  state: 'up' | 'stale' | 'stopped' | 'none' | 'unknown';
  staleAfterSeconds: number;
  instances: InstanceView[];
  /** Queue depths from the newest heartbeat (the service counts the whole job_queue). */
  queues: QueueDepth[];
  queuesPublishedAt: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : null);
const safeName = (v: string) => v.replace(/[^\w.-]/g, '').slice(0, 40);

function isoOf(v: unknown): string | null {
  if (typeof v !== 'number' && typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function breakersOf(payload: unknown): BreakerView[] {
  const breakers = isRecord(payload) ? payload.breakers : null;
  if (!isRecord(breakers)) return [];
  return Object.entries(breakers)
    .slice(0, 10)
    .map(([name, raw]) => {
      const state = isRecord(raw) ? raw.state : raw;
      return {
        name: safeName(name),
        state: (BREAKER_STATES as readonly unknown[]).includes(state) ? (state as BreakerView['state']) : 'unknown',
        changedAt: isRecord(raw) ? isoOf(raw.changedAt) : null,
      };
    });
}

export function queuesOf(payload: unknown): QueueDepth[] {
  const queues = isRecord(payload) ? payload.queues : null;
  if (!isRecord(queues)) return [];
  return Object.entries(queues)
    .slice(0, 20)
    .map(([queue, raw]) => {
      const depth: QueueDepth = { queue: safeName(queue), pending: null, running: null, failed: null, dead: null };
      if (isRecord(raw)) for (const f of QUEUE_FIELDS) depth[f] = count(raw[f]);
      return depth;
    });
}

export function heartbeatIntervalMs(payload: unknown): number {
  const ms = isRecord(payload) ? count(payload.heartbeatMs) : null;
  return ms && ms >= 100 ? ms : DEFAULT_HEARTBEAT_MS;
}

/** Newest heartbeat per instance (one row per instance), judged against the app's clock. */
export async function serviceHealth(ctx: AppContext): Promise<ServiceHealth> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({ version: serviceHeartbeats.version, publishedAt: serviceHeartbeats.publishedAt, payload: serviceHeartbeats.payload })
    .from(serviceHeartbeats)
    .where(gte(serviceHeartbeats.publishedAt, new Date(now.getTime() - FORGET_AFTER_MS)))
    .orderBy(desc(serviceHeartbeats.publishedAt))
    .limit(MAX_INSTANCES);
  let staleAfterMs = STALE_AFTER_INTERVALS * DEFAULT_HEARTBEAT_MS;
  const instances = rows.map((row, i): InstanceView => {
    const intervalMs = heartbeatIntervalMs(row.payload);
    if (i === 0) staleAfterMs = STALE_AFTER_INTERVALS * intervalMs;
    const ageMs = now.getTime() - row.publishedAt.getTime();
    const uptime = isRecord(row.payload) ? count(row.payload.uptimeSeconds) : null;
    return {
      label: `Instance ${i + 1}`,
      version: row.version ? row.version.slice(0, 40) : null,
      publishedAt: row.publishedAt.toISOString(),
      ageSeconds: Math.max(0, Math.round(ageMs / 1000)),
      clockAhead: ageMs < -5_000,
      stale: ageMs > STALE_AFTER_INTERVALS * intervalMs,
      stopped: isRecord(row.payload) && row.payload.state === 'stopped',
      uptimeSeconds: uptime,
      breakers: breakersOf(row.payload),
    };
  });
  const newest = rows[0];
  return {
    state: instances.length === 0 ? 'none' : instances.some((i) => !i.stale && !i.stopped) ? 'up' : instances.every((i) => i.stopped) ? 'stopped' : 'stale',
    staleAfterSeconds: Math.round(staleAfterMs / 1000),
    instances,
    queues: newest ? queuesOf(newest.payload) : [],
    queuesPublishedAt: newest ? newest.publishedAt.toISOString() : null,
  };
}

/** For the page when the database cannot be read: the service's state is unknown, not "none". */
export function unknownServiceHealth(): ServiceHealth {
  return { state: 'unknown', staleAfterSeconds: (STALE_AFTER_INTERVALS * DEFAULT_HEARTBEAT_MS) / 1000, instances: [], queues: [], queuesPublishedAt: null };
}
