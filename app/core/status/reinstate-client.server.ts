import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { clientPeriodStatus, clients, statusReasons } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { recordAudit } from '../audit/audit-trail.server';
import { forgetDashboards } from '../reports/dashboard-cache';
import type { WriteTransaction } from '../../platform/write-queue';
import { approvalDetails, type AskOutcome, type StatusApproval } from './status-approval';

export type ReinstateResult =
  | { ok: true; periods: string[] }
  | { ok: false; code: 'NOT_FOUND' }
  | { ok: false; code: 'NOT_TERMINAL' | 'REMARKS_REQUIRED' | 'REQUEST_REFUSED'; field: 'form' | 'remarks'; message: string }
  /** The maker's reinstatement waits for a checker (decision 101): nothing written but the request. */
  | { ok: false; code: 'AWAITS_APPROVAL'; requestId: number; message: string }
  /** The approval found the client's terminal rows changed since the request, or it was decided already (409). */
  | { ok: false; code: 'APPROVAL_CONFLICT'; message: string };

/** The client's terminal rows as a reinstatement request records them: row id → version. */
export type TerminalRows = Record<string, number>;

export interface ReinstateHooks {
  /** Maker's path: an outcome means "asked, not applied"; null applies it at once. */
  askForReinstate?: (tx: WriteTransaction, target: { companyId: number; branchId: number; rows: TerminalRows }, remarks: string) => Promise<AskOutcome | null>;
  /** Checker's path: closes the request in this transaction before the write. */
  approval?: StatusApproval;
}

/**
 * Reinstates a client a terminal reason (Deceased, Fully Paid, Account Closed) took out of later
 * periods: clears is_terminal on every terminal row of the client (initialization leaves a client
 * out while ANY earlier row is terminal), bumps those rows' version so an open form gets the 409,
 * and records who, why, and old → new per row in the activity log and the audit trail, all in one
 * transaction. The rows keep their status and reason: what happened in that period stays history.
 * The client rejoins at the next initialization of a later period (decision 042).
 */
export async function reinstateClient(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope },
  clientId: number,
  input: { remarks: string },
  hooks: ReinstateHooks = {},
): Promise<ReinstateResult> {
  const remarks = input.remarks.trim();
  const result = await ctx.write(
    async (tx): Promise<ReinstateResult> => {
      const [client] = await tx
        .select({ id: clients.id, companyId: clients.companyId, branchId: clients.branchId })
        .from(clients)
        .where(
          and(eq(clients.id, clientId), isNull(clients.deletedAt), scopeCondition(who.scope, { companyId: clients.companyId, branchId: clients.branchId })),
        )
        .limit(1);
      if (!client) return { ok: false, code: 'NOT_FOUND' };
      const rows = await tx
        .select({
          id: clientPeriodStatus.id,
          periodKey: clientPeriodStatus.periodKey,
          version: clientPeriodStatus.version,
          statusReasonId: clientPeriodStatus.statusReasonId,
          reasonCode: statusReasons.code,
        })
        .from(clientPeriodStatus)
        .leftJoin(statusReasons, eq(statusReasons.id, clientPeriodStatus.statusReasonId))
        .where(and(eq(clientPeriodStatus.clientId, client.id), eq(clientPeriodStatus.isTerminal, true)))
        .orderBy(asc(clientPeriodStatus.periodYear), asc(clientPeriodStatus.periodNumber));
      const terminal: TerminalRows = Object.fromEntries(rows.map((r) => [String(r.id), r.version]));
      // An approval closes its request first: as stale when the terminal rows moved on (or are gone).
      if (hooks.approval?.decide) {
        const closed = await hooks.approval.decide(tx, { rows: terminal });
        if (!closed.ok) return { ok: false, code: 'APPROVAL_CONFLICT', message: closed.message };
      }
      if (rows.length === 0) return { ok: false, code: 'NOT_TERMINAL', field: 'form', message: 'This client is not terminal in any period.' };
      if (!remarks) return { ok: false, code: 'REMARKS_REQUIRED', field: 'remarks', message: 'Say why the client is reinstated.' };
      if (hooks.askForReinstate) {
        const asked = await hooks.askForReinstate(tx, { companyId: client.companyId, branchId: client.branchId, rows: terminal }, remarks);
        if (asked?.ok) return { ok: false, code: 'AWAITS_APPROVAL', requestId: asked.requestId, message: `Waiting for approval (request ${asked.requestId}).` };
        if (asked) return { ok: false, code: 'REQUEST_REFUSED', field: 'remarks', message: asked.message };
      }

      await tx
        .update(clientPeriodStatus)
        .set({ isTerminal: false, version: sql`${clientPeriodStatus.version} + 1` })
        .where(and(eq(clientPeriodStatus.clientId, client.id), eq(clientPeriodStatus.isTerminal, true)));
      for (const row of rows) {
        await recordAudit(
          ctx,
          {
            table: 'client_period_status',
            recordId: row.id,
            action: 'update',
            userId: who.userId,
            before: { isTerminal: true, version: row.version },
            after: { isTerminal: false, version: row.version + 1 },
          },
          tx,
        );
      }
      await logActivity(
        ctx,
        {
          userId: who.userId,
          action: 'client.reinstate',
          resourceType: 'client',
          resourceId: client.id,
          companyId: client.companyId,
          branchId: client.branchId,
          details: {
            remarks,
            ...(hooks.approval ? approvalDetails(hooks.approval, who.userId) : {}),
            rows: rows.map((r) => ({ id: r.id, periodKey: r.periodKey, reason: r.reasonCode, old: { isTerminal: true }, new: { isTerminal: false } })),
          },
        },
        tx,
      );
      return { ok: true, periods: rows.map((r) => r.periodKey) };
    },
    { behavior: 'immediate' },
  );
  // The dashboards count terminal rows.
  if (result.ok) await forgetDashboards(ctx);
  return result;
}

/** Keys of the client's terminal period rows, oldest first (the caller has checked the scope). */
export async function terminalPeriodsOf(ctx: AppContext, clientId: number): Promise<string[]> {
  const rows = await ctx.db
    .select({ periodKey: clientPeriodStatus.periodKey })
    .from(clientPeriodStatus)
    .where(and(eq(clientPeriodStatus.clientId, clientId), eq(clientPeriodStatus.isTerminal, true)))
    .orderBy(asc(clientPeriodStatus.periodYear), asc(clientPeriodStatus.periodNumber));
  return rows.map((r) => r.periodKey);
}
