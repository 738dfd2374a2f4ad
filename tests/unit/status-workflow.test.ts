// Every line of the status rules (shared/domain.md, "Status update") on the pure decision,
// with facts built by hand from the seed's own lookup lists (so "which statuses have reasons"
// is the seed's answer, not a guess). Ids are deliberately not the seeded ones.
import { describe, expect, it } from 'vitest';
import { STATUS_REASONS, STATUS_TYPES, type StatusCode } from '../../db/seed/lookups';
import {
  decideStatusUpdate,
  reasonsOf,
  workflowOf,
  type StatusReason,
  type StatusType,
  type StatusUpdateFacts,
  type StatusUpdateRequest,
} from '../../app/core/status/workflow';

const FCASH = 7;
const PCNI = 9;
const companyIdOf = { FCASH, PCNI } as const;

const statuses: StatusType[] = STATUS_TYPES.map((s, i) => ({
  id: 101 + i * 3,
  code: s.code,
  sequence: s.sequence,
  companyId: s.company === null ? null : companyIdOf[s.company],
  isActive: true,
}));
const reasons: StatusReason[] = STATUS_REASONS.map((r, i) => ({
  id: 501 + i * 2,
  code: r.code,
  statusTypeId: statusId(r.status),
  isTerminal: r.terminal,
  requiresRemarks: r.remarks,
  isActive: true,
}));

function statusId(code: StatusCode): number {
  const found = statuses.find((s) => s.code === code);
  if (!found) throw new Error(`no status ${code}`);
  return found.id;
}

function reasonId(status: StatusCode, code: string, list: StatusReason[] = reasons): number {
  const found = list.find((r) => r.statusTypeId === statusId(status) && r.code === code);
  if (!found) throw new Error(`no reason ${status}/${code}`);
  return found.id;
}

/** A reason that fits the status (the first one), or null when the status has none. */
function anyReason(status: StatusCode): number | null {
  return reasonsOf(reasons, statusId(status))[0]?.id ?? null;
}

const VERSION = 4;

function facts(from: StatusCode, over: Partial<StatusUpdateFacts> = {}): StatusUpdateFacts {
  return { companyId: FCASH, current: { statusTypeId: statusId(from), version: VERSION }, statuses, reasons, canRevert: false, ...over };
}

function request(to: StatusCode, over: Partial<StatusUpdateRequest> = {}): StatusUpdateRequest {
  return { statusTypeId: statusId(to), reasonId: anyReason(to), remarks: null, hasPayment: false, baseVersion: VERSION, ...over };
}

const codesOf = (list: StatusType[]) => list.map((s) => s.code);
const FCASH_FLOW = ['PENDING', 'TO_FOLLOW', 'CALLED', 'VISITED', 'UPDATED', 'DONE'] as const;
const PCNI_FLOW = ['PENDING', 'TO_FOLLOW', 'CALLED', 'UPDATED', 'DONE'] as const;

describe('the seed lookups these facts come from', () => {
  it('has the statuses of domain.md in sequence, VISITED for FCASH only', () => {
    expect(codesOf(workflowOf(statuses, FCASH))).toEqual(FCASH_FLOW);
    expect(codesOf(workflowOf(statuses, PCNI))).toEqual(PCNI_FLOW);
  });

  it('gives reasons to TO_FOLLOW, CALLED and DONE only (PENDING, VISITED and UPDATED have none)', () => {
    const withReasons = FCASH_FLOW.filter((s) => reasonsOf(reasons, statusId(s)).length > 0);
    expect(withReasons).toEqual(['TO_FOLLOW', 'CALLED', 'DONE']);
    expect(reasonsOf(reasons, statusId('DONE')).map((r) => r.code)).toEqual([
      'CONFIRMED',
      'DECEASED',
      'FULLY_PAID',
      'ACCOUNT_CLOSED',
      'NOT_REACHABLE',
      'REFUSED_TO_UPDATE',
    ]);
    for (const s of ['TO_FOLLOW', 'CALLED'] as const) {
      expect(reasonsOf(reasons, statusId(s)).map((r) => r.code)).toEqual(['NO_ANSWER', 'WRONG_NUMBER', 'CALLBACK_REQUESTED']);
    }
  });

  it('leaves inactive statuses out of the workflow', () => {
    const withInactive = statuses.map((s) => (s.code === 'TO_FOLLOW' ? { ...s, isActive: false } : s));
    expect(codesOf(workflowOf(withInactive, FCASH))).not.toContain('TO_FOLLOW');
  });
});

describe('forward moves', () => {
  it('may skip steps: PENDING → UPDATED', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { reasonId: null }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: false,
      remarks: null,
    });
  });

  const forwardPairs = FCASH_FLOW.flatMap((from, i) => FCASH_FLOW.slice(i + 1).map((to) => [from, to] as const));
  it.each(forwardPairs)('allows every forward move without revert: %s → %s', (from, to) => {
    const decision = decideStatusUpdate(facts(from), request(to));
    expect(decision).toMatchObject({ ok: true, isRevert: false });
  });

  it('does not need remarks or the revert permission to move forward', () => {
    expect(decideStatusUpdate(facts('TO_FOLLOW'), request('DONE', { reasonId: reasonId('DONE', 'CONFIRMED') }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: false,
      remarks: null,
    });
  });
});

describe('the same status again', () => {
  it.each(['PENDING', 'TO_FOLLOW', 'CALLED', 'VISITED', 'UPDATED'] as const)('is allowed as a re-update: %s → %s', (s) => {
    expect(decideStatusUpdate(facts(s), request(s))).toMatchObject({ ok: true, isRevert: false });
  });

  it('takes a new reason and remarks (CALLED/NO_ANSWER → CALLED/CALLBACK_REQUESTED)', () => {
    const decision = decideStatusUpdate(facts('CALLED'), request('CALLED', { reasonId: reasonId('CALLED', 'CALLBACK_REQUESTED'), remarks: ' call at 3 PM ' }));
    expect(decision).toEqual({ ok: true, isRevert: false, isTerminal: false, remarks: 'call at 3 PM' });
  });
});

describe('backward moves', () => {
  it('are refused without status:revert (BACKWARD_NEEDS_REVERT), even with remarks', () => {
    const decision = decideStatusUpdate(facts('CALLED'), request('TO_FOLLOW', { remarks: 'wrong client' }));
    expect(decision).toMatchObject({ ok: false, code: 'BACKWARD_NEEDS_REVERT', field: 'statusTypeId' });
  });

  const backwardPairs = FCASH_FLOW.flatMap((from, i) => FCASH_FLOW.slice(0, i).map((to) => [from, to] as const));
  it.each(backwardPairs)('every backward move needs the revert: %s → %s', (from, to) => {
    expect(decideStatusUpdate(facts(from), request(to, { remarks: 'why' }))).toMatchObject({ ok: false, code: 'BACKWARD_NEEDS_REVERT' });
    expect(decideStatusUpdate(facts(from, { canRevert: true }), request(to, { remarks: 'why' }))).toMatchObject({ ok: true, isRevert: true });
  });

  it('are allowed with canRevert and remarks, marked isRevert, remarks trimmed', () => {
    const decision = decideStatusUpdate(facts('UPDATED', { canRevert: true }), request('CALLED', { remarks: '  recorded on the wrong client  ' }));
    expect(decision).toEqual({ ok: true, isRevert: true, isTerminal: false, remarks: 'recorded on the wrong client' });
  });

  it('are refused with canRevert but no remarks (REVERT_NEEDS_REMARKS)', () => {
    expect(decideStatusUpdate(facts('UPDATED', { canRevert: true }), request('CALLED', { remarks: null }))).toMatchObject({
      ok: false,
      code: 'REVERT_NEEDS_REMARKS',
      field: 'remarks',
    });
  });

  it('count whitespace-only remarks as none (REVERT_NEEDS_REMARKS)', () => {
    expect(decideStatusUpdate(facts('UPDATED', { canRevert: true }), request('CALLED', { remarks: ' \n\t ' }))).toMatchObject({
      ok: false,
      code: 'REVERT_NEEDS_REMARKS',
    });
  });

  it('still apply the reason rules to the status moved back to', () => {
    expect(decideStatusUpdate(facts('UPDATED', { canRevert: true }), request('CALLED', { remarks: 'why', reasonId: null }))).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
    });
  });
});

describe('the company workflow', () => {
  it('refuses VISITED for a PCNI client (STATUS_NOT_IN_WORKFLOW)', () => {
    expect(decideStatusUpdate(facts('CALLED', { companyId: PCNI }), request('VISITED'))).toMatchObject({
      ok: false,
      code: 'STATUS_NOT_IN_WORKFLOW',
      field: 'statusTypeId',
    });
  });

  it('refuses VISITED for PCNI even to a supervisor with remarks', () => {
    expect(decideStatusUpdate(facts('DONE', { companyId: PCNI, canRevert: true }), request('VISITED', { remarks: 'why' }))).toMatchObject({
      ok: false,
      code: 'STATUS_NOT_IN_WORKFLOW',
    });
  });

  it('allows VISITED for an FCASH client', () => {
    expect(decideStatusUpdate(facts('CALLED'), request('VISITED', { reasonId: null }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: false,
      remarks: null,
    });
  });

  it('allows the shared statuses for PCNI (PENDING → UPDATED)', () => {
    expect(decideStatusUpdate(facts('PENDING', { companyId: PCNI }), request('UPDATED'))).toMatchObject({ ok: true });
  });

  it('refuses a status id that does not exist (UNKNOWN_STATUS) and an inactive status (STATUS_NOT_IN_WORKFLOW)', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('CALLED', { statusTypeId: 9999 }))).toMatchObject({ ok: false, code: 'UNKNOWN_STATUS' });
    const inactive = statuses.map((s) => (s.code === 'UPDATED' ? { ...s, isActive: false } : s));
    expect(decideStatusUpdate(facts('PENDING', { statuses: inactive }), request('UPDATED'))).toMatchObject({
      ok: false,
      code: 'STATUS_NOT_IN_WORKFLOW',
    });
  });
});

describe('reasons', () => {
  it.each(['TO_FOLLOW', 'CALLED', 'DONE'] as const)('are required for %s, which has active reasons (REASON_REQUIRED)', (to) => {
    expect(decideStatusUpdate(facts('PENDING'), request(to, { reasonId: null }))).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
      field: 'reasonId',
    });
  });

  it.each(['VISITED', 'UPDATED'] as const)('are not required for %s, which has none', (to) => {
    expect(decideStatusUpdate(facts('PENDING'), request(to, { reasonId: null }))).toMatchObject({ ok: true });
  });

  it('are not required when every reason of the status is inactive', () => {
    const calledInactive = reasons.map((r) => (r.statusTypeId === statusId('CALLED') ? { ...r, isActive: false } : r));
    expect(decideStatusUpdate(facts('PENDING', { reasons: calledInactive }), request('CALLED', { reasonId: null }))).toMatchObject({ ok: true });
  });

  it("refuses another status's reason, even one with the same code (REASON_NOT_OF_STATUS)", () => {
    const decision = decideStatusUpdate(facts('PENDING'), request('CALLED', { reasonId: reasonId('TO_FOLLOW', 'NO_ANSWER') }));
    expect(decision).toMatchObject({ ok: false, code: 'REASON_NOT_OF_STATUS', field: 'reasonId' });
    expect(decideStatusUpdate(facts('PENDING'), request('CALLED', { reasonId: reasonId('DONE', 'CONFIRMED') }))).toMatchObject({
      ok: false,
      code: 'REASON_NOT_OF_STATUS',
    });
  });

  it('refuses a reason for a status that has none (REASON_NOT_OF_STATUS)', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { reasonId: reasonId('DONE', 'CONFIRMED') }))).toMatchObject({
      ok: false,
      code: 'REASON_NOT_OF_STATUS',
    });
  });

  it('refuses an unknown reason id (REASON_NOT_OF_STATUS)', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('CALLED', { reasonId: 424242 }))).toMatchObject({ ok: false, code: 'REASON_NOT_OF_STATUS' });
  });

  it('refuses an inactive reason of the right status (REASON_NOT_OF_STATUS)', () => {
    const callback = reasonId('CALLED', 'CALLBACK_REQUESTED');
    const list = reasons.map((r) => (r.id === callback ? { ...r, isActive: false } : r));
    expect(decideStatusUpdate(facts('PENDING', { reasons: list }), request('CALLED', { reasonId: callback }))).toMatchObject({
      ok: false,
      code: 'REASON_NOT_OF_STATUS',
    });
    // the other reasons of CALLED still work
    expect(decideStatusUpdate(facts('PENDING', { reasons: list }), request('CALLED', { reasonId: reasonId('CALLED', 'NO_ANSWER') }))).toMatchObject({
      ok: true,
    });
  });
});

describe('remarks the reason asks for', () => {
  const needRemarks = [
    ['TO_FOLLOW', 'WRONG_NUMBER'],
    ['CALLED', 'WRONG_NUMBER'],
    ['DONE', 'NOT_REACHABLE'],
    ['DONE', 'REFUSED_TO_UPDATE'],
  ] as const;

  it.each(needRemarks)('are required for %s/%s (REMARKS_REQUIRED)', (to, code) => {
    expect(decideStatusUpdate(facts('PENDING'), request(to, { reasonId: reasonId(to, code), remarks: null }))).toMatchObject({
      ok: false,
      code: 'REMARKS_REQUIRED',
      field: 'remarks',
    });
  });

  it.each(needRemarks)('whitespace-only remarks count as none for %s/%s', (to, code) => {
    expect(decideStatusUpdate(facts('PENDING'), request(to, { reasonId: reasonId(to, code), remarks: '   \n ' }))).toMatchObject({
      ok: false,
      code: 'REMARKS_REQUIRED',
    });
  });

  it.each(needRemarks)('are accepted (trimmed) for %s/%s', (to, code) => {
    expect(decideStatusUpdate(facts('PENDING'), request(to, { reasonId: reasonId(to, code), remarks: ' number not in service ' }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: false,
      remarks: 'number not in service',
    });
  });

  it('are optional for a reason that does not ask, and come back null when blank', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('CALLED', { reasonId: reasonId('CALLED', 'NO_ANSWER'), remarks: '  ' }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: false,
      remarks: null,
    });
  });
});

describe('terminal reasons', () => {
  it.each(['DECEASED', 'FULLY_PAID', 'ACCOUNT_CLOSED'])('DONE/%s sets isTerminal', (code) => {
    expect(decideStatusUpdate(facts('CALLED'), request('DONE', { reasonId: reasonId('DONE', code) }))).toEqual({
      ok: true,
      isRevert: false,
      isTerminal: true,
      remarks: null,
    });
  });

  it.each(['CONFIRMED', 'NOT_REACHABLE', 'REFUSED_TO_UPDATE'])('DONE/%s does not', (code) => {
    expect(decideStatusUpdate(facts('CALLED'), request('DONE', { reasonId: reasonId('DONE', code), remarks: 'r' }))).toMatchObject({
      ok: true,
      isTerminal: false,
    });
  });
});

describe('DONE is closed', () => {
  it.each(['PENDING', 'TO_FOLLOW', 'CALLED', 'VISITED', 'UPDATED'] as const)('DONE → %s is refused without revert', (to) => {
    expect(decideStatusUpdate(facts('DONE'), request(to, { remarks: 'please' }))).toMatchObject({
      ok: false,
      code: 'BACKWARD_NEEDS_REVERT',
    });
  });

  it('DONE → DONE is refused without revert (DONE_IS_CLOSED), whatever the reason or remarks', () => {
    for (const code of ['CONFIRMED', 'DECEASED', 'NOT_REACHABLE']) {
      expect(decideStatusUpdate(facts('DONE'), request('DONE', { reasonId: reasonId('DONE', code), remarks: 'again' }))).toMatchObject({
        ok: false,
        code: 'DONE_IS_CLOSED',
        field: 'statusTypeId',
      });
    }
  });

  it('DONE → an earlier status is a revert: allowed with canRevert and remarks, refused without remarks', () => {
    expect(decideStatusUpdate(facts('DONE', { canRevert: true }), request('UPDATED', { remarks: 'not confirmed' }))).toEqual({
      ok: true,
      isRevert: true,
      isTerminal: false,
      remarks: 'not confirmed',
    });
    expect(decideStatusUpdate(facts('DONE', { canRevert: true }), request('UPDATED', { remarks: ' ' }))).toMatchObject({
      ok: false,
      code: 'REVERT_NEEDS_REMARKS',
    });
  });

  // "DONE rows can only change by a revert": even DONE again (another reason) needs the permission and remarks.
  it('DONE → DONE by a supervisor is a revert: needs remarks and is marked isRevert', () => {
    const deceased = reasonId('DONE', 'DECEASED');
    expect(decideStatusUpdate(facts('DONE', { canRevert: true }), request('DONE', { reasonId: deceased, remarks: null }))).toMatchObject({
      ok: false,
      code: 'REVERT_NEEDS_REMARKS',
    });
    expect(decideStatusUpdate(facts('DONE', { canRevert: true }), request('DONE', { reasonId: deceased, remarks: 'death certificate seen' }))).toMatchObject({
      ok: true,
      isRevert: true,
      isTerminal: true,
    });
  });
});

describe('the version check', () => {
  it('refuses a stale base version (STALE_VERSION)', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { baseVersion: VERSION - 1 }))).toMatchObject({
      ok: false,
      code: 'STALE_VERSION',
    });
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { baseVersion: VERSION + 1 }))).toMatchObject({
      ok: false,
      code: 'STALE_VERSION',
    });
  });

  it('is checked before every other rule', () => {
    const stale = { baseVersion: VERSION - 1 };
    const cases: Array<[StatusUpdateFacts, StatusUpdateRequest]> = [
      [facts('PENDING'), request('CALLED', { ...stale, statusTypeId: 9999 })], // unknown status
      [facts('CALLED', { companyId: PCNI }), request('VISITED', stale)], // not in workflow
      [facts('DONE'), request('DONE', stale)], // DONE closed
      [facts('CALLED'), request('PENDING', stale)], // backward
      [facts('CALLED', { canRevert: true }), request('PENDING', stale)], // revert without remarks
      [facts('PENDING'), request('CALLED', { ...stale, reasonId: null })], // reason required
      [facts('PENDING'), request('CALLED', { ...stale, reasonId: reasonId('DONE', 'CONFIRMED') })], // reason of another status
      [facts('PENDING'), request('CALLED', { ...stale, reasonId: reasonId('CALLED', 'WRONG_NUMBER') })], // remarks required
    ];
    for (const [f, r] of cases) expect(decideStatusUpdate(f, r)).toMatchObject({ ok: false, code: 'STALE_VERSION' });
  });

  it('does not care about has_payment: it is recorded, not judged', () => {
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { hasPayment: true }))).toMatchObject({ ok: true });
    expect(decideStatusUpdate(facts('PENDING'), request('UPDATED', { hasPayment: false }))).toMatchObject({ ok: true });
  });
});
