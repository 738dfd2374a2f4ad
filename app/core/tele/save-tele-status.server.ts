import { eq } from 'drizzle-orm';
import { clientTeleHistory, clients } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { latestTeleHistoryId, teleClientInScope, teleCompanyId, type TeleClient } from './tele-client.server';
import { teleLookups } from './tele-lookups.server';
import { decideTeleStatus, nextPointer, type TeleRefusal, type TeleStatusRequest } from './tele-rules';

export interface TeleWho {
  userId: number;
  /** The status:update scope (decision 040). */
  scope: StaffScope;
}

/** The client's tele state a stale form is shown again with, re-based on the newest history row. */
export interface TeleState {
  teleStatus: string | null;
  updateStatus: string | null;
  pointer: string | null;
  monthToUpdate: string | null;
  baseTeleHistoryId: number;
}

/** Someone saved a tele change after the form was loaded (409; decision 045). */
export type TeleStale = { ok: false; code: 'STALE'; field: 'form'; message: string; current: TeleState };

/** Refusals every tele write shares: unknown/out of scope (404) and a client of another company (400). */
export type TeleCommonFailure = { ok: false; code: 'NOT_FOUND' } | { ok: false; code: 'NOT_FCASH'; field: 'form'; message: string };

export type SaveTeleStatusResult =
  { ok: true; historyId: number; pointer: string } | TeleCommonFailure | TeleStale | { ok: false; code: TeleRefusal; field: string; message: string };

export const NOT_FCASH_MESSAGE = 'The tele workflow is for FCASH clients only; this client belongs to another company.';

/** The checks before any tele write: in scope (else 404), and an FCASH client. */
export function teleGate(client: TeleClient | null, fcashId: number | null): TeleCommonFailure | null {
  if (!client) return { ok: false, code: 'NOT_FOUND' };
  if (client.companyId !== fcashId) return { ok: false, code: 'NOT_FCASH', field: 'form', message: NOT_FCASH_MESSAGE };
  return null;
}

export const STALE_MESSAGE =
  "Someone else changed this client's tele workflow while you were working: the forms now show the newer state. Check it, then save again if needed.";

/**
 * The version check of every tele save, inside its transaction: the newest tele history row must
 * still be the one the form was based on (0: none). Otherwise STALE with the newer state. The web
 * forms always carry a base; `undefined` is only for callers without a form (no earlier read).
 */
export async function teleStaleCheck(tx: Parameters<typeof latestTeleHistoryId>[0], client: TeleClient, base: number | undefined): Promise<TeleStale | null> {
  if (base === undefined) return null;
  const latest = await latestTeleHistoryId(tx, client.id);
  if (latest === base) return null;
  const { teleStatus, updateStatus, pointer, monthToUpdate } = client;
  return {
    ok: false,
    code: 'STALE',
    field: 'form',
    message: STALE_MESSAGE,
    current: { teleStatus, updateStatus, pointer, monthToUpdate, baseTeleHistoryId: latest },
  };
}

/**
 * Saves a tele status and update status: the rules (tele-rules.ts), then in ONE transaction the
 * client's columns and pointer (current → touched_status), a client_tele_history row (action
 * 'status') and the activity log. Nothing is written when a rule refuses or the form is stale
 * (`baseTeleHistoryId`: the newest tele history row the form was based on, 0 for none).
 */
export async function saveTeleStatus(
  ctx: AppContext,
  who: TeleWho,
  clientId: number,
  req: TeleStatusRequest & { baseTeleHistoryId?: number },
): Promise<SaveTeleStatusResult> {
  const fcashId = await teleCompanyId(ctx);
  const lookups = fcashId === null ? null : await teleLookups(ctx, fcashId);
  return ctx.write(
    async (tx): Promise<SaveTeleStatusResult> => {
      const client = await teleClientInScope(tx, who.scope, clientId);
      const refused = teleGate(client, fcashId);
      if (refused || !client || !lookups) return refused ?? { ok: false, code: 'NOT_FOUND' };
      const stale = await teleStaleCheck(tx, client, req.baseTeleHistoryId);
      if (stale) return stale;
      const decision = decideTeleStatus(lookups, req);
      if (!decision.ok) return decision;

      const now = ctx.clock.now();
      const pointer = nextPointer(client.pointer, 'status_saved');
      await tx
        .update(clients)
        .set({ teleStatus: decision.teleStatus, updateStatus: decision.updateStatus, pointer, updatedAt: now })
        .where(eq(clients.id, client.id));
      const [history] = await tx
        .insert(clientTeleHistory)
        .values({
          clientId: client.id,
          createdBy: who.userId,
          action: 'status',
          teleStatus: decision.teleStatus,
          updateStatus: decision.updateStatus,
          reason: decision.reason,
          remarks: decision.remarks,
          monthToUpdate: client.monthToUpdate,
          pointerBefore: client.pointer,
          pointerAfter: pointer,
          createdAt: now,
        })
        .returning({ id: clientTeleHistory.id });
      await logActivity(
        ctx,
        {
          userId: who.userId,
          action: 'tele.status',
          resourceType: 'client',
          resourceId: client.id,
          companyId: client.companyId,
          branchId: client.branchId,
          details: {
            historyId: history.id,
            reason: decision.reason,
            old: { teleStatus: client.teleStatus, updateStatus: client.updateStatus, pointer: client.pointer },
            new: { teleStatus: decision.teleStatus, updateStatus: decision.updateStatus, pointer },
          },
        },
        tx,
      );
      return { ok: true, historyId: history.id, pointer };
    },
    { behavior: 'immediate' },
  );
}
