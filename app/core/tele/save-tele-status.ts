import { eq } from "drizzle-orm";
import { clientTeleHistory, clients } from "../../../db/schema";
import type { AppContext } from "../../platform/context";
import { inWriteTurn } from "../../platform/write-queue";
import type { StaffScope } from "../access/scope";
import { logActivity } from "../audit/activity-log";
import { teleClientInScope, teleCompanyId, type TeleClient } from "./tele-client";
import { teleLookups } from "./tele-lookups";
import { decideTeleStatus, nextPointer, type TeleRefusal, type TeleStatusRequest } from "./tele-rules";

export interface TeleWho {
  userId: number;
  /** The status:update scope (decision 040). */
  scope: StaffScope;
}

/** Refusals every tele write shares: unknown/out of scope (404) and a client of another company (400). */
export type TeleCommonFailure =
  | { ok: false; code: "NOT_FOUND" }
  | { ok: false; code: "NOT_FCASH"; field: "form"; message: string };

export type SaveTeleStatusResult =
  | { ok: true; historyId: number; pointer: string }
  | TeleCommonFailure
  | { ok: false; code: TeleRefusal; field: string; message: string };

export const NOT_FCASH_MESSAGE = "The tele workflow is for FCASH clients only; this client belongs to another company.";

/** The checks before any tele write: in scope (else 404), and an FCASH client. */
export function teleGate(client: TeleClient | null, fcashId: number | null): TeleCommonFailure | null {
  if (!client) return { ok: false, code: "NOT_FOUND" };
  if (client.companyId !== fcashId) return { ok: false, code: "NOT_FCASH", field: "form", message: NOT_FCASH_MESSAGE };
  return null;
}

/**
 * Saves a tele status and update status: the rules (tele-rules.ts), then in ONE transaction the
 * client's columns and pointer (current → touched_status), a client_tele_history row (action
 * 'status') and the activity log. Nothing is written when a rule refuses.
 */
export async function saveTeleStatus(ctx: AppContext, who: TeleWho, clientId: number, req: TeleStatusRequest): Promise<SaveTeleStatusResult> {
  const fcashId = await teleCompanyId(ctx);
  const lookups = fcashId === null ? null : await teleLookups(ctx, fcashId);
  return inWriteTurn(ctx.db, () => ctx.db.transaction(async (tx): Promise<SaveTeleStatusResult> => {
    const client = await teleClientInScope(tx, who.scope, clientId);
    const refused = teleGate(client, fcashId);
    if (refused || !client || !lookups) return refused ?? { ok: false, code: "NOT_FOUND" };
    const decision = decideTeleStatus(lookups, req);
    if (!decision.ok) return decision;

    const now = ctx.clock.now();
    const pointer = nextPointer(client.pointer, "status_saved");
    await tx.update(clients)
      .set({ teleStatus: decision.teleStatus, updateStatus: decision.updateStatus, pointer, updatedAt: now })
      .where(eq(clients.id, client.id));
    const [history] = await tx.insert(clientTeleHistory).values({
      clientId: client.id, createdBy: who.userId, action: "status", teleStatus: decision.teleStatus, updateStatus: decision.updateStatus,
      reason: decision.reason, remarks: decision.remarks, monthToUpdate: client.monthToUpdate,
      pointerBefore: client.pointer, pointerAfter: pointer, createdAt: now,
    }).returning({ id: clientTeleHistory.id });
    await logActivity(ctx, {
      userId: who.userId, action: "tele.status", resourceType: "client", resourceId: client.id,
      details: {
        historyId: history.id, reason: decision.reason,
        old: { teleStatus: client.teleStatus, updateStatus: client.updateStatus, pointer: client.pointer },
        new: { teleStatus: decision.teleStatus, updateStatus: decision.updateStatus, pointer },
      },
    }, tx);
    return { ok: true, historyId: history.id, pointer };
  }, { behavior: "immediate" }));
}
