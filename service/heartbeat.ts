import { hostname } from "node:os";
import { serviceHeartbeats } from "../db/schema";
import type { AppDatabase } from "../db/database";

/** One row per service instance, replaced at every beat; /status reads the newest. */
export async function publishHeartbeat(db: AppDatabase, instanceId: string, payload: Record<string, unknown>) {
  const now = new Date();
  await db
    .insert(serviceHeartbeats)
    .values({ instanceId, hostname: hostname(), version: process.env.APP_VERSION ?? "0.1.0", startedAt: now, publishedAt: now, payload })
    .onConflictDoUpdate({ target: serviceHeartbeats.instanceId, set: { publishedAt: now, payload } });
}
