// What each queue's job carries: one zod schema per queue, shared by the enqueuer (app) and the
// handler (service), so a malformed payload fails the job with a clear error instead of half-running.
import { z } from 'zod';

export const syncPayloadSchema = z.object({
  /** The sync_jobs row the app created for this request; the scheduler's jobs create their own. */
  syncJobId: z.number().int().positive().optional(),
  mode: z.enum(['full', 'incremental']),
  dryRun: z.boolean().default(false),
  /** Only these branches (BRANCH_CODE); empty or absent = every branch. A filtered sync never deactivates. */
  branchCodes: z.array(z.string().min(1).max(40)).max(200).optional(),
  trigger: z.enum(['schedule', 'manual']).default('schedule'),
  triggeredBy: z.number().int().positive().optional(),
});
export type SyncPayload = z.infer<typeof syncPayloadSchema>;

/** One NextBank UpdateCustomer command from the outbox (client_tele_history row = the outbox entry). */
export const nextbankPayloadSchema = z.object({
  command: z.literal('UpdateCustomer'),
  teleHistoryId: z.number().int().positive(),
  clientId: z.number().int().positive(),
  /** Sent as the request's idempotency key; the same key is stored on the tele history row. */
  idempotencyKey: z.string().min(8).max(100),
  /** YYYY-MM-DD as stored; the service formats MM/DD/YYYY for the custom field. */
  monthToUpdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type NextbankPayload = z.infer<typeof nextbankPayloadSchema>;

/** Queue 'nextbank_sync': one NextBank payment-history sync run over every FCASH client (decision 046). */
export const nextbankSyncPayloadSchema = z.object({}).strict().default({});

export const periodInitPayloadSchema = z.object({
  periodType: z.enum(['monthly', 'quarterly']).optional(),
  /** A specific period (e.g. 2026-11 or 2026-Q4); absent = the current one(s) of periodType. */
  periodKey: z.string().max(10).optional(),
  companyCode: z.string().max(20).optional(),
});
export type PeriodInitPayload = z.infer<typeof periodInitPayloadSchema>;

export const performancePayloadSchema = z.object({ periodKey: z.string().max(10).optional() }).default({});
/**
 * only=export_files: the hourly run that deletes expired export files and nothing else (decision 093);
 * only=change_requests: the hourly run that closes expired maker-checker requests (decision 101).
 */
export const cleanupPayloadSchema = z.object({ only: z.enum(['export_files', 'change_requests']).optional() }).default({});

export const exportPayloadSchema = z.object({ exportJobId: z.number().int().positive() });
