/**
 * The Node service: claims jobs from job_queue (leases), fires scheduled_jobs ticks, and publishes
 * a heartbeat (queue depths, circuit breakers) for /status. Config: service/config.ts.
 * Run: node --import tsx service/main.ts
 */
import { jobHandlers } from './handlers';
import { runServiceProcess } from './service-process';

// Unset means production (issue 14 item 8): the handlers read process.env when they are built.
process.env.NODE_ENV ??= 'production';
await runServiceProcess(() => jobHandlers({ env: process.env }));
