/**
 * The status rules of domain.md ("Status update"), as a pure decision: no I/O, so every line of
 * the rules has a fast unit test. The data module (apply-status-update.ts) loads the facts,
 * asks this function, and stores the outcome in one transaction.
 */
export interface StatusType {
  id: number;
  code: string;
  sequence: number;
  companyId: number | null; // null = every company
  isActive: boolean;
}

export interface StatusReason {
  id: number;
  code: string;
  statusTypeId: number;
  isTerminal: boolean;
  requiresRemarks: boolean;
  isActive: boolean;
}

export interface StatusUpdateFacts {
  companyId: number;
  current: { statusTypeId: number; version: number };
  statuses: StatusType[];
  reasons: StatusReason[];
  canRevert: boolean;
}

export interface StatusUpdateRequest {
  statusTypeId: number;
  reasonId: number | null;
  remarks: string | null;
  hasPayment: boolean;
  baseVersion: number;
}

export type StatusDecision =
  | { ok: true; isRevert: boolean; isTerminal: boolean; remarks: string | null }
  | { ok: false; code: StatusRefusal; field?: 'statusTypeId' | 'reasonId' | 'remarks'; message: string };

export type StatusRefusal =
  | 'STALE_VERSION'
  | 'UNKNOWN_STATUS'
  | 'STATUS_NOT_IN_WORKFLOW'
  | 'DONE_IS_CLOSED'
  | 'BACKWARD_NEEDS_REVERT'
  | 'REVERT_NEEDS_REMARKS'
  | 'REASON_REQUIRED'
  | 'REASON_NOT_OF_STATUS'
  | 'REMARKS_REQUIRED';

export const DONE = 'DONE';

/** The statuses of one company's workflow, in order (VISITED is FCASH only: company_id set). */
export function workflowOf(statuses: StatusType[], companyId: number): StatusType[] {
  return statuses.filter((s) => s.isActive && (s.companyId === null || s.companyId === companyId)).sort((a, b) => a.sequence - b.sequence);
}

export function reasonsOf(reasons: StatusReason[], statusTypeId: number): StatusReason[] {
  return reasons.filter((r) => r.isActive && r.statusTypeId === statusTypeId);
}

export function decideStatusUpdate(facts: StatusUpdateFacts, req: StatusUpdateRequest): StatusDecision {
  if (req.baseVersion !== facts.current.version) {
    return { ok: false, code: 'STALE_VERSION', message: 'Someone else updated this client meanwhile. Review the newer state and try again.' };
  }
  const workflow = workflowOf(facts.statuses, facts.companyId);
  const target = facts.statuses.find((s) => s.id === req.statusTypeId);
  if (!target) return { ok: false, code: 'UNKNOWN_STATUS', field: 'statusTypeId', message: 'Choose a status.' };
  if (!workflow.some((s) => s.id === target.id)) {
    return { ok: false, code: 'STATUS_NOT_IN_WORKFLOW', field: 'statusTypeId', message: `${target.code} is not a step of this company's workflow.` };
  }
  const current = facts.statuses.find((s) => s.id === facts.current.statusTypeId);
  const remarks = req.remarks?.trim() ? req.remarks.trim() : null;
  const backward = Boolean(current && target.sequence < current.sequence);
  // DONE is closed: any change to a DONE row (even DONE again with another reason) is a revert,
  // which needs the permission and remarks.
  const fromDone = current?.code === DONE;
  if (fromDone && target.code === DONE && !facts.canRevert) {
    return { ok: false, code: 'DONE_IS_CLOSED', field: 'statusTypeId', message: 'This client is DONE for the period; only a supervisor can change it.' };
  }
  if (backward || fromDone) {
    if (!facts.canRevert) {
      return {
        ok: false,
        code: 'BACKWARD_NEEDS_REVERT',
        field: 'statusTypeId',
        message: `Moving back from ${current!.code} to ${target.code} needs a supervisor's revert.`,
      };
    }
    if (!remarks) return { ok: false, code: 'REVERT_NEEDS_REMARKS', field: 'remarks', message: 'Say why in the remarks: a revert needs them.' };
  }
  const reasons = reasonsOf(facts.reasons, target.id);
  const reason = req.reasonId === null ? null : (facts.reasons.find((r) => r.id === req.reasonId) ?? null);
  if (req.reasonId !== null && (!reason || !reason.isActive || reason.statusTypeId !== target.id)) {
    return { ok: false, code: 'REASON_NOT_OF_STATUS', field: 'reasonId', message: `That reason does not belong to ${target.code}.` };
  }
  if (reasons.length > 0 && !reason) return { ok: false, code: 'REASON_REQUIRED', field: 'reasonId', message: `Choose a reason for ${target.code}.` };
  if (reason?.requiresRemarks && !remarks) {
    return { ok: false, code: 'REMARKS_REQUIRED', field: 'remarks', message: `Remarks are required for "${reason.code}".` };
  }
  return { ok: true, isRevert: backward || fromDone, isTerminal: Boolean(reason?.isTerminal), remarks };
}
