/**
 * The FCASH tele workflow rules of domain.md ("FCASH tele workflow") as pure decisions, no I/O:
 * which update statuses a tele status allows and what it requires, and how the pointer moves.
 * The lookups (tele_statuses with their requires flags, update_statuses, the allowed pairs, and the
 * tele reasons from config_options) are loaded by tele-lookups.ts; nothing here is hard-coded data.
 */
import type { ClientPointer } from '../../../db/schema/clients';

export interface TeleStatus {
  id: number;
  code: string;
  name: string;
  requiresReason: boolean;
  requiresRemarks: boolean;
  isActive: boolean;
}

export interface UpdateStatus {
  id: number;
  code: string;
  name: string;
  isActive: boolean;
}

/** An option of the config category tele_reasons (decision 040). */
export interface TeleReason {
  code: string;
  label: string;
  isActive: boolean;
}

export interface TeleLookups {
  teleStatuses: TeleStatus[];
  updateStatuses: UpdateStatus[];
  /** Allowed (tele status id, update status id) pairs: tele_status_update_statuses. */
  allowed: Array<{ teleStatusId: number; updateStatusId: number }>;
  reasons: TeleReason[];
}

export interface TeleStatusRequest {
  teleStatus: string;
  updateStatus: string;
  reason: string | null;
  remarks: string | null;
}

export type TeleRefusal =
  'UNKNOWN_TELE_STATUS' | 'UNKNOWN_UPDATE_STATUS' | 'UPDATE_STATUS_NOT_ALLOWED' | 'REASON_REQUIRED' | 'UNKNOWN_REASON' | 'REMARKS_REQUIRED';

export type TeleDecision =
  | { ok: true; teleStatus: string; updateStatus: string; reason: string | null; remarks: string | null }
  | { ok: false; code: TeleRefusal; field: 'teleStatus' | 'updateStatus' | 'reason' | 'remarks'; message: string };

/** Active tele statuses, in lookup order. */
export function activeTeleStatuses(lookups: TeleLookups): TeleStatus[] {
  return lookups.teleStatuses.filter((t) => t.isActive);
}

/** The active update statuses a tele status allows (none for an unknown or inactive tele status). */
export function allowedUpdateStatuses(lookups: TeleLookups, teleStatusCode: string): UpdateStatus[] {
  const tele = lookups.teleStatuses.find((t) => t.code === teleStatusCode && t.isActive);
  if (!tele) return [];
  const ids = new Set(lookups.allowed.filter((a) => a.teleStatusId === tele.id).map((a) => a.updateStatusId));
  return lookups.updateStatuses.filter((u) => u.isActive && ids.has(u.id));
}

export function activeReasons(lookups: TeleLookups): TeleReason[] {
  return lookups.reasons.filter((r) => r.isActive);
}

/** One tele status + update status save: the pair must be allowed, and the tele status's requirements met. */
export function decideTeleStatus(lookups: TeleLookups, req: TeleStatusRequest): TeleDecision {
  const tele = lookups.teleStatuses.find((t) => t.code === req.teleStatus && t.isActive);
  if (!tele) return { ok: false, code: 'UNKNOWN_TELE_STATUS', field: 'teleStatus', message: 'Choose a tele status from the list.' };
  const update = lookups.updateStatuses.find((u) => u.code === req.updateStatus && u.isActive);
  if (!update) return { ok: false, code: 'UNKNOWN_UPDATE_STATUS', field: 'updateStatus', message: 'Choose an update status from the list.' };
  if (!allowedUpdateStatuses(lookups, tele.code).some((u) => u.id === update.id)) {
    return {
      ok: false,
      code: 'UPDATE_STATUS_NOT_ALLOWED',
      field: 'updateStatus',
      message: `"${update.name}" is not an update status for "${tele.name}".`,
    };
  }
  const reasonCode = req.reason?.trim() ? req.reason.trim() : null;
  const remarks = req.remarks?.trim() ? req.remarks.trim() : null;
  // A reason given is checked even where none is required: only listed reasons are ever stored.
  if (reasonCode !== null && !activeReasons(lookups).some((r) => r.code === reasonCode)) {
    return { ok: false, code: 'UNKNOWN_REASON', field: 'reason', message: 'Choose a reason from the list.' };
  }
  if (tele.requiresReason && reasonCode === null) {
    return { ok: false, code: 'REASON_REQUIRED', field: 'reason', message: `"${tele.name}" needs a reason.` };
  }
  if (tele.requiresRemarks && remarks === null) {
    return { ok: false, code: 'REMARKS_REQUIRED', field: 'remarks', message: `"${tele.name}" needs remarks.` };
  }
  return { ok: true, teleStatus: tele.code, updateStatus: update.code, reason: reasonCode, remarks };
}

// ---------------------------------------------------------------------------------------------
// The pointer: current →(status saved)→ touched_status →(month confirmed)→ touched_month →(sync)→ current.

export type PointerEvent = 'status_saved' | 'month_confirmed' | 'nextbank_sync';

/** A client without a pointer yet (null) is at the start of the cycle. */
export function pointerOf(value: ClientPointer | null | undefined): ClientPointer {
  return value ?? 'current';
}

/**
 * The pointer after an event. Only the three edges of domain.md move it; every other event leaves
 * it where it is: a status saved again after the month stays touched_month, a confirmation that
 * arrives after a sync began a new cycle (pointer back at current) does not jump it, and a sync
 * while the month is still unconfirmed keeps touched_status (decision 040).
 */
export function nextPointer(pointer: ClientPointer | null | undefined, event: PointerEvent): ClientPointer {
  const at = pointerOf(pointer);
  if (event === 'status_saved' && at === 'current') return 'touched_status';
  if (event === 'month_confirmed' && at === 'touched_status') return 'touched_month';
  if (event === 'nextbank_sync' && at === 'touched_month') return 'current';
  return at;
}

/** A Month to Update follows the tele status of the same cycle: refused while the pointer is at current. */
export function canSaveMonthToUpdate(pointer: ClientPointer | null | undefined): boolean {
  return pointerOf(pointer) !== 'current';
}

export const POINTER_LABELS: Record<ClientPointer, string> = {
  current: 'Current',
  touched_status: 'Status touched',
  touched_month: 'Month touched',
};

// ---------------------------------------------------------------------------------------------
// Month to Update: a real calendar date, from the first day of this Manila month to 24 months ahead.

export const MONTH_TO_UPDATE_MONTHS_AHEAD = 24;

export type MonthCheck = { ok: true; value: string } | { ok: false; message: string };

/** The dates a Month to Update may take, given the Manila calendar date `today` (YYYY-MM-DD). */
export function monthToUpdateRange(today: string): { earliest: string; latest: string } {
  const [ty, tm] = today.split('-').map(Number);
  const lastIndex = ty * 12 + (tm - 1) + MONTH_TO_UPDATE_MONTHS_AHEAD;
  const latest = new Date(Date.UTC(Math.floor(lastIndex / 12), (lastIndex % 12) + 1, 0)).toISOString().slice(0, 10);
  return { earliest: `${today.slice(0, 7)}-01`, latest }; // latest: the last day of that month
}

/** `today` is the Manila calendar date YYYY-MM-DD. */
export function checkMonthToUpdate(value: string, today: string): MonthCheck {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return { ok: false, message: 'Enter the date as YYYY-MM-DD.' };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, message: 'That date does not exist.' };
  }
  const { earliest, latest } = monthToUpdateRange(today);
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  if (iso < earliest) return { ok: false, message: 'The Month to Update cannot be before this month.' };
  if (iso > latest) return { ok: false, message: `The Month to Update is at most ${MONTH_TO_UPDATE_MONTHS_AHEAD} months ahead.` };
  return { ok: true, value: iso };
}
