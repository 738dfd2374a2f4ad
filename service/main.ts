/**
 * The Node service: will claim jobs (Snowflake sync, NextBank delivery, period init) from job_queue.
 * For now it proves it is alive: a heartbeat in the log and in service_heartbeats, for /status.
 */
import { hostname } from "node:os";
import { openDatabase } from "../db/client";
import { createLogger } from "../app/platform/logger";
import { publishHeartbeat } from "./heartbeat";

const logger = createLogger({ level: (process.env.LOG_LEVEL as "info") ?? "info", base: { host: "service" } });
const instanceId = `${hostname()}:${process.pid}`;
const intervalMs = Number(process.env.SERVICE_HEARTBEAT_MS ?? 10_000);
const startedAt = Date.now();

const { client, db } = await openDatabase(process.env.DATABASE_URL ?? "file:data/app.db", process.env.DATABASE_AUTH_TOKEN || undefined);

async function beat() {
  try {
    await publishHeartbeat(db, instanceId, { pid: process.pid, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
    logger.info("service heartbeat", { instanceId });
  } catch (error) {
    logger.error("service heartbeat failed", { instanceId, error });
  }
}

await beat();
const timer = setInterval(beat, intervalMs);
logger.info("service started", { instanceId, heartbeatMs: intervalMs });

function stop() {
  clearInterval(timer);
  client.close();
  logger.info("service stopped", { instanceId });
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
