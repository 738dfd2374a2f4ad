import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/database';
import { activityLogs, clientPeriodStatus, clients, statusEvents } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, scopeIncludesBranch, type StaffScope } from '../access/scope.server';
import type { WriteTransaction } from '../../platform/write-queue';
import { approvalDetails, type AskOutcome, type StatusApproval } from './status-approval';
import { statusLookups } from './status-lookups.server';
import { decideStatusUpdate, type StatusDecision, type StatusRefusal, type StatusUpdateRequest } from './workflow';

export type StatusUpdateResult =
  | { ok: true; version: number; eventSequence: number; isTerminal: boolean }
  | { ok: false; code: 'NOT_FOUND' }
  | { ok: false; code: StatusRefusal; field?: string; message: string; current?: CurrentState }
  /** A form naming a version the row never had: a damaged or forged form (400), not someone else's save. */
  | { ok: false; code: 'VERSION_FROM_FUTURE'; field: 'form'; message: string }
  /** The maker's revert waits for a checker (decision 101): nothing was written but the request. */
  | { ok: false; code: 'AWAITS_APPROVAL'; requestId: number; message: string }
  /** The request could not be stored (remark too short, one already waiting): 400, nothing written. */
  | { ok: false; code: 'REQUEST_REFUSED'; field: 'remarks'; message: string }
  /** The checker's approval found the request stale or already decided: nothing written (409). */
  | { ok: false; code: 'APPROVAL_CONFLICT'; message: string; current: CurrentState };

/** The row as a checked revert's request records it (`before`) and its approval compares it. */
export type RevertTarget = { id: number; companyId: number; branchId: number; version: number; statusTypeId: number; status: string };

/** The row's state a revert request keeps as `before` and its approval compares: version and status. */
function revertState(row: { version: number; statusTypeId: number }, statuses: Array<{ id: number; code: string }>) {
  return { version: row.version, statusTypeId: row.statusTypeId, status: statuses.find((s) => s.id === row.statusTypeId)?.code ?? '?' };
}

export interface StatusUpdateHooks {
  /** Maker's path: in the companies `checked` names, a revert becomes a request (`ask`) instead of the write. */
  revertRequests?: {
    checked: (companyId: number) => boolean;
    ask: (tx: WriteTransaction, target: RevertTarget, remarks: string | null) => Promise<AskOutcome>;
  };
  /** Checker's path: the approval closes its request in this transaction before the write. */
  approval?: StatusApproval;
  /** The status lookups when the caller has just read them (over HTTP a second read is a second round trip). */
  lookups?: Awaited<ReturnType<typeof statusLookups>>;
}

export interface CurrentState {
  statusTypeId: number;
  statusReasonId: number | null;
  remarks: string | null;
  hasPayment: boolean;
  version: number;
  updateCount: number;
}

/** The period row a status update decides on, with its client's current company and branch. */
export type StatusRow = CurrentState & { id: number; companyId: number; branchId: number };

/** The period row of one client and period, where `where` holds (the scope, or the session guard of an early read). */
export function statusRowQuery(db: AppDatabase | WriteTransaction, target: { clientId: number; periodKey: string }, where: SQL) {
  return db
    .select({
      id: clientPeriodStatus.id,
      companyId: clients.companyId,
      branchId: clients.branchId,
      statusTypeId: clientPeriodStatus.statusTypeId,
      statusReasonId: clientPeriodStatus.statusReasonId,
      remarks: clientPeriodStatus.remarks,
      hasPayment: clientPeriodStatus.hasPayment,
      version: clientPeriodStatus.version,
      updateCount: clientPeriodStatus.updateCount,
    })
    .from(clientPeriodStatus)
    .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
    .where(and(eq(clientPeriodStatus.clientId, target.clientId), eq(clientPeriodStatus.periodKey, target.periodKey), where))
    .limit(1);
}

/** Who writes a status update: the user, the branches they may update, and those they may revert. */
type StatusWriter = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/** An allowed update as both paths write it (the decision's `ok` branch). */
type AllowedUpdate = Extract<StatusDecision, { ok: true }>;

/** The period row's new values: both paths set exactly these (each keeps its own WHERE, the version guard). */
function periodRowChange(req: StatusUpdateRequest, decision: AllowedUpdate, who: StatusWriter, now: Date) {
  return {
    statusTypeId: req.statusTypeId,
    statusReasonId: req.reasonId,
    remarks: decision.remarks,
    hasPayment: req.hasPayment,
    isTerminal: decision.isTerminal,
    updateCount: sql`${clientPeriodStatus.updateCount} + 1`,
    version: sql`${clientPeriodStatus.version} + 1`,
    lastUpdatedBy: who.userId,
    lastUpdatedAt: now,
  };
}

/** The activity row's details; the batch writes them as JSON text with the sequence set in SQL, the transaction as an object. */
function statusUpdateDetails(target: { periodKey: string }, row: StatusRow, req: StatusUpdateRequest, eventSequence: number) {
  return { periodKey: target.periodKey, from: row.statusTypeId, to: req.statusTypeId, reasonId: req.reasonId, hasPayment: req.hasPayment, eventSequence };
}

/**
 * The status event and activity row of one allowed update, the same for both paths but for the
 * event's sequence (a number, or the batch's subquery) and the activity's details (object or SQL).
 */
function statusUpdateRecords(
  ctx: AppContext,
  who: StatusWriter,
  target: { clientId: number },
  row: StatusRow,
  req: StatusUpdateRequest,
  decision: AllowedUpdate,
  now: Date,
  written: { eventSequence: number | SQL; details: Record<string, unknown> | SQL },
) {
  return {
    event: {
      periodStatusId: row.id,
      clientId: target.clientId,
      eventSequence: written.eventSequence,
      fromStatusTypeId: row.statusTypeId,
      toStatusTypeId: req.statusTypeId,
      statusReasonId: req.reasonId,
      remarks: decision.remarks,
      hasPayment: req.hasPayment,
      isRevert: decision.isRevert,
      createdBy: who.userId,
      createdAt: now,
    },
    activity: {
      userId: who.userId,
      action: decision.isRevert ? 'status.revert' : 'status.update',
      resourceType: 'client',
      resourceId: String(target.clientId),
      companyId: row.companyId, // the resource's company and branch: the activity viewer scopes by them
      branchId: row.branchId,
      ip: ctx.clientIp,
      requestId: ctx.requestId,
      createdAt: now,
      details: written.details,
    },
  };
}

/**
 * The plain update as ONE batch (a libSQL batch is one transaction; decision 109), on a row read
 * before (beside the session, not in this transaction): the UPDATE holds only while the row, its
 * status and its client's company and branch are still what the decision saw; the event takes the
 * next sequence in SQL, and a NULL sequence (the UPDATE changed nothing) fails the NOT NULL
 * constraint, so the batch rolls back whole. null: not a plain update, or the row moved since it
 * was read: the caller takes the transaction (which reads the row again and answers as always).
 * Plain = in scope, allowed by the rules, and not a revert (a revert may wait for a checker, whose
 * switch is another read; decision 101).
 */
export async function plainStatusUpdate(
  ctx: AppContext,
  who: StatusWriter,
  target: { clientId: number; periodKey: string },
  req: StatusUpdateRequest,
  row: StatusRow | null,
  lookups: Awaited<ReturnType<typeof statusLookups>>,
): Promise<StatusUpdateResult | null> {
  if (!row || !scopeIncludesBranch(who.scope, row.companyId, row.branchId)) return null;
  const canRevert = Boolean(who.revertScope && scopeIncludesBranch(who.revertScope, row.companyId, row.branchId));
  const facts = { companyId: row.companyId, current: row, statuses: lookups.statuses, reasons: lookups.reasons, canRevert };
  const decision = decideStatusUpdate(facts, req);
  if (!decision.ok || decision.isRevert) return null;
  const now = ctx.clock.now();
  const nextSequence = sql`(select case when changes() = 1 then coalesce(max(${statusEvents.eventSequence}), 0) + 1 end from ${statusEvents} where ${statusEvents.periodStatusId} = ${row.id})`;
  const lastSequence = sql`(select max(${statusEvents.eventSequence}) from ${statusEvents} where ${statusEvents.periodStatusId} = ${row.id})`;
  const { event, activity } = statusUpdateRecords(ctx, who, target, row, req, decision, now, {
    eventSequence: nextSequence,
    // The sequence replaced in place (json_set keeps the key's position): the same text as the transaction writes.
    details: sql`json_set(${JSON.stringify(statusUpdateDetails(target, row, req, 0))}, '$.eventSequence', ${lastSequence})`,
  });
  try {
    const [, , , [written]] = await ctx.db.batch([
      ctx.db
        .update(clientPeriodStatus)
        .set(periodRowChange(req, decision, who, now))
        .where(
          and(
            eq(clientPeriodStatus.id, row.id),
            eq(clientPeriodStatus.version, req.baseVersion),
            eq(clientPeriodStatus.statusTypeId, row.statusTypeId),
            sql`${clientPeriodStatus.clientId} in (select ${clients.id} from ${clients} where ${clients.id} = ${target.clientId} and ${clients.companyId} = ${row.companyId} and ${clients.branchId} = ${row.branchId})`,
          ),
        ),
      ctx.db.insert(statusEvents).values(event),
      ctx.db.insert(activityLogs).values(activity),
      ctx.db.select({ next: sql<number>`${lastSequence}`.mapWith(Number) }).from(sql`(select 1)`),
    ]);
    return { ok: true, version: row.version + 1, eventSequence: written.next, isTerminal: decision.isTerminal };
  } catch (error) {
    if (isNotNullOfSequence(error)) return null; // the row moved on since it was read: nothing was written
    throw error;
  }
}

/** The batch's guard: the event's NOT NULL sequence, NULL when the UPDATE changed no row. */
function isNotNullOfSequence(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/NOT NULL constraint failed: status_events\.event_sequence/.test(e.message)) return true;
  }
  return false;
}

/**
 * Records one status update for one client and period: the rules (workflow.ts), then the row, its
 * event (next sequence, no gaps) and the activity log in ONE transaction. The row changes only if
 * its version is still the one the form was based on; otherwise STALE_VERSION with the newer state.
 */
export async function applyStatusUpdate(
  ctx: AppContext,
  who: StatusWriter,
  target: { clientId: number; periodKey: string },
  req: StatusUpdateRequest,
  hooks: StatusUpdateHooks = {},
): Promise<StatusUpdateResult> {
  const lookups = hooks.lookups ?? (await statusLookups(ctx));
  return ctx.write(
    async (tx): Promise<StatusUpdateResult> => {
      const [row] = await statusRowQuery(tx, target, scopeCondition(who.scope, { companyId: clients.companyId, branchId: clients.branchId }));
      if (!row) return { ok: false as const, code: 'NOT_FOUND' as const };
      const current: CurrentState = {
        statusTypeId: row.statusTypeId,
        statusReasonId: row.statusReasonId,
        remarks: row.remarks,
        hasPayment: row.hasPayment,
        version: row.version,
        updateCount: row.updateCount,
      };
      const canRevert = Boolean(who.revertScope && scopeIncludesBranch(who.revertScope, row.companyId, row.branchId));
      const facts = { companyId: row.companyId, current, statuses: lookups.statuses, reasons: lookups.reasons, canRevert };
      const decision = decideStatusUpdate(facts, req);
      const asks = hooks.revertRequests?.checked(row.companyId) ? hooks.revertRequests : null;
      // A request is never made on a version the row never had (a forged or damaged form): 400, not 409.
      if (asks && req.baseVersion > row.version) {
        const probe = decideStatusUpdate(facts, { ...req, baseVersion: row.version });
        if (probe.ok && probe.isRevert) {
          return {
            ok: false,
            code: 'VERSION_FROM_FUTURE',
            field: 'form',
            message: 'This form names a version this client never had: reload the page and try again.',
          };
        }
      }
      const { approval } = hooks;
      // An approval closes its request first: as stale when the row moved on since (nothing applied).
      if (approval?.decide && (decision.ok || decision.code === 'STALE_VERSION')) {
        const closed = await approval.decide(tx, revertState(row, lookups.statuses));
        if (!closed.ok) return { ok: false, code: 'APPROVAL_CONFLICT', message: closed.message, current };
      }
      if (!decision.ok) return { ...decision, current };
      if (decision.isRevert && asks) {
        const target = { id: row.id, companyId: row.companyId, branchId: row.branchId, ...revertState(row, lookups.statuses) };
        const asked = await asks.ask(tx, target, decision.remarks);
        if (asked.ok) return { ok: false, code: 'AWAITS_APPROVAL', requestId: asked.requestId, message: `Waiting for approval (request ${asked.requestId}).` };
        return { ok: false, code: 'REQUEST_REFUSED', field: 'remarks', message: asked.message };
      }

      const now = ctx.clock.now();
      const updated = await tx
        .update(clientPeriodStatus)
        .set(periodRowChange(req, decision, who, now))
        .where(and(eq(clientPeriodStatus.id, row.id), eq(clientPeriodStatus.version, req.baseVersion)));
      if (updated.rowsAffected !== 1) {
        return { ok: false as const, code: 'STALE_VERSION' as const, message: 'Someone else updated this client meanwhile.', current };
      }
      const [{ next }] = await tx.all<{ next: number }>(
        sql`select coalesce(max(event_sequence), 0) + 1 as next from status_events where period_status_id = ${row.id}`,
      );
      const { event, activity } = statusUpdateRecords(ctx, who, target, row, req, decision, now, {
        eventSequence: next,
        details: { ...statusUpdateDetails(target, row, req, next), ...(approval ? approvalDetails(approval, who.userId) : {}) },
      });
      await tx.insert(statusEvents).values(event);
      await tx.insert(activityLogs).values(activity);
      return { ok: true as const, version: row.version + 1, eventSequence: next, isTerminal: decision.isTerminal };
    },
    { behavior: 'immediate' },
  );
  // No dashboard generation to bump after the commit: the new event row starts one (dashboard-cache.ts, decision 109).
}
