// Pure: a client's period rows and their status_events, consistent with the workflow rules.
import type { Period } from './periods';
import { STATUS_REASONS, STATUS_TYPES, type StatusCode } from './lookups';
import type { Random } from './prng';
import type { CompanyCode } from './client-generator';

export interface GeneratedEvent {
  sequence: number;
  from: StatusCode;
  to: StatusCode;
  reason: string | null;
  remarks: string | null;
  hasPayment: boolean;
  isRevert: boolean;
  createdBy: number | null;
  createdAtMs: number;
}

export interface GeneratedPeriodRow {
  period: Period;
  status: StatusCode;
  reason: string | null;
  remarks: string | null;
  hasPayment: boolean;
  isTerminal: boolean;
  updateCount: number;
  version: number;
  lastUpdatedBy: number | null;
  lastUpdatedAtMs: number | null;
  createdAtMs: number;
  events: GeneratedEvent[];
}

/** Who writes the events of one branch: field staff for updates, a manager for reverts. */
export interface BranchAuthors {
  updaters: readonly (number | null)[];
  reverter: number | null;
}

const SEQUENCE = new Map(STATUS_TYPES.map((s) => [s.code as StatusCode, s.sequence]));
const reasonsOf = (status: StatusCode) => STATUS_REASONS.filter((r) => r.status === status);

export function workflowOf(company: CompanyCode): StatusCode[] {
  return STATUS_TYPES.filter((s) => s.company === null || s.company === company).map((s) => s.code);
}

const PAST_MIX = [
  ['DONE', 55],
  ['UPDATED', 14],
  ['VISITED', 5],
  ['CALLED', 8],
  ['TO_FOLLOW', 8],
  ['PENDING', 10],
] as const;
const CURRENT_MIX = [
  ['PENDING', 45],
  ['TO_FOLLOW', 15],
  ['CALLED', 14],
  ['VISITED', 5],
  ['UPDATED', 11],
  ['DONE', 10],
] as const;
const TERMINAL_SHARE_OF_DONE = 0.025;

const REMARKS: Record<string, readonly string[]> = {
  WRONG_NUMBER: ['Number belongs to another person', 'Number not in service'],
  NOT_REACHABLE: ['No answer after three calls and one visit', 'Moved, new address unknown'],
  REFUSED_TO_UPDATE: ['Client declined to give updated information', 'Family asked us not to call'],
  revert: ['Reverted: status was recorded on the wrong client', 'Reverted: update not confirmed by branch'],
  any: ['Relative answered, will call back', 'Client went to the branch', 'Left message with family', 'Asked for updated ID'],
};

/** The statuses one period walks through: forward moves with skips, some re-updates, rare reverts. */
export function statusPath(random: Random, workflow: readonly StatusCode[], final: StatusCode): StatusCode[] {
  const seq = (s: StatusCode) => SEQUENCE.get(s)!;
  if (final === 'PENDING') return random.chance(0.05) ? ['TO_FOLLOW', 'PENDING'] : [];
  const path = workflow.filter((s) => seq(s) > 1 && seq(s) < seq(final) && random.chance(0.45));
  path.push(final);
  if (random.chance(0.12)) {
    const i = random.int(0, path.length - 1);
    if (path[i] !== 'DONE') path.splice(i, 0, path[i]); // same status again, new reason/remarks
  }
  if (path.length >= 2 && random.chance(0.05)) {
    const i = random.int(0, path.length - 2);
    const back = workflow[workflow.indexOf(path[i]) - 1]; // one step back, then forward again
    if (back) path.splice(i + 1, 0, back);
  }
  return path;
}

function pickReason(random: Random, to: StatusCode, terminal: boolean) {
  const reasons = reasonsOf(to);
  if (reasons.length === 0) return null;
  if (to !== 'DONE') return random.weighted(reasons.map((r) => [r, r.code === 'NO_ANSWER' ? 5 : r.code === 'CALLBACK_REQUESTED' ? 3 : 2] as const));
  if (terminal) return random.pick(reasons.filter((r) => r.terminal));
  return random.weighted(reasons.filter((r) => !r.terminal).map((r) => [r, r.code === 'CONFIRMED' ? 8 : 1] as const));
}

/** Sorted, strictly increasing instants inside [from, to). */
function instants(random: Random, count: number, from: number, to: number): number[] {
  const span = Math.max(to - from, count);
  return Array.from({ length: count }, () => from + Math.floor(random.next() * span))
    .sort((a, b) => a - b)
    .map((t, i) => t + i);
}

/**
 * Rows for `periods` (oldest first). Stops after a terminal DONE: that client is out of later periods.
 * `nowMs` caps event times in the current period.
 */
export function generatePeriodHistory(
  random: Random,
  company: CompanyCode,
  periods: readonly Period[],
  nowMs: number,
  authors: BranchAuthors,
): GeneratedPeriodRow[] {
  const workflow = workflowOf(company);
  const rows: GeneratedPeriodRow[] = [];
  for (let p = 0; p < periods.length; p++) {
    const period = periods[p];
    const isCurrent = p === periods.length - 1;
    const mix = (isCurrent ? CURRENT_MIX : PAST_MIX).filter(([s]) => workflow.includes(s));
    const final = random.weighted(mix) as StatusCode;
    const terminal = final === 'DONE' && random.chance(TERMINAL_SHARE_OF_DONE);
    const path = statusPath(random, workflow, final);
    // Period init runs just after Manila midnight; work happens from 8 AM until the period ends (or now).
    const createdAtMs = period.startMs + 5 * 60_000;
    const times = instants(random, path.length, period.startMs + 8 * 3_600_000, Math.min(period.endMs, nowMs));
    const events: GeneratedEvent[] = [];
    let from: StatusCode = 'PENDING';
    path.forEach((to, i) => {
      const isRevert = SEQUENCE.get(to)! < SEQUENCE.get(from)!;
      const reason = pickReason(random, to, terminal && i === path.length - 1);
      const needsRemarks = isRevert || reason?.remarks === true;
      const remarksKey = isRevert ? 'revert' : reason?.remarks ? reason.code : 'any';
      events.push({
        sequence: i + 1,
        from,
        to,
        reason: reason?.code ?? null,
        remarks: needsRemarks || random.chance(0.2) ? random.pick(REMARKS[remarksKey]) : null,
        hasPayment: random.chance(to === 'UPDATED' || to === 'DONE' ? 0.65 : 0.25),
        isRevert,
        createdBy: isRevert ? authors.reverter : authors.updaters.length ? random.pick(authors.updaters) : null,
        createdAtMs: times[i],
      });
      from = to;
    });
    const last = events[events.length - 1];
    rows.push({
      period,
      status: last?.to ?? 'PENDING',
      reason: last?.reason ?? null,
      remarks: last?.remarks ?? null,
      hasPayment: last?.hasPayment ?? false,
      isTerminal: terminal,
      updateCount: events.length,
      version: 1 + events.length,
      lastUpdatedBy: last?.createdBy ?? null,
      lastUpdatedAtMs: last?.createdAtMs ?? null,
      createdAtMs,
      events,
    });
    if (terminal) break;
  }
  return rows;
}
