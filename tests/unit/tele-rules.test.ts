// The FCASH tele workflow rules (shared/domain.md, "FCASH tele workflow") on the pure decisions,
// with lookups built from the seed's own lists (tele statuses with their requires flags, update
// statuses, allowed pairs, the tele_reasons options). Ids are deliberately not the seeded ones.
import { describe, expect, it } from 'vitest';
import { TELE_STATUSES, UPDATE_STATUSES } from '../../db/seed/lookups';
import { CONFIG_CATEGORIES } from '../../db/seed/settings';
import { CLIENT_POINTERS } from '../../db/schema/clients';
import {
  allowedUpdateStatuses,
  canSaveMonthToUpdate,
  checkMonthToUpdate,
  decideTeleStatus,
  monthToUpdateRange,
  nextPointer,
  type PointerEvent,
  type TeleLookups,
} from '../../app/core/tele/tele-rules';
import { monthToUpdateField, updateCustomerRequest } from '../../app/core/tele/nextbank-request';

const teleStatuses = TELE_STATUSES.map((t, i) => ({
  id: 40 + i,
  code: t.code,
  name: t.name,
  requiresReason: t.requiresReason,
  requiresRemarks: t.requiresRemarks,
  isActive: true,
}));
const updateStatuses = UPDATE_STATUSES.map((u, i) => ({ id: 70 + i, code: u.code, name: u.name, isActive: true }));
const idOfUpdate = (code: string) => updateStatuses.find((u) => u.code === code)!.id;
const allowed = TELE_STATUSES.flatMap((t, i) => t.updates.map((u) => ({ teleStatusId: 40 + i, updateStatusId: idOfUpdate(u) })));
const reasonCategory = CONFIG_CATEGORIES.find((c) => c.code === 'tele_reasons')!;
const reasons = reasonCategory.options.map(([code, label]) => ({ code, label, isActive: true }));
const lookups: TeleLookups = { teleStatuses, updateStatuses, allowed, reasons };

const REASON = reasons[0].code;

/** The table of domain.md, written out by hand: the independent answer. */
const TABLE = {
  not_yet_contacted: { allowed: ['pending', 'pending_unavailable', 'pending_not_interested'], reason: false, remarks: false },
  not_yet_updated: { allowed: ['pending', 'pending_unavailable'], reason: true, remarks: true },
  updated: { allowed: ['updated_with_proof', 'updated_online_with_proof', 'updated_no_proof', 'updated_online_no_proof'], reason: true, remarks: true },
} as const;
const TELE_CODES = Object.keys(TABLE) as Array<keyof typeof TABLE>;
const UPDATE_CODES = UPDATE_STATUSES.map((u) => u.code);

describe('tele status → allowed update statuses (domain.md table)', () => {
  it.each(TELE_CODES)('%s offers exactly its update statuses', (tele) => {
    expect(allowedUpdateStatuses(lookups, tele).map((u) => u.code)).toEqual(TABLE[tele].allowed);
  });

  // Every pair of the 3 × 7 grid, with reason and remarks given: allowed pairs save, the rest are refused.
  const grid = TELE_CODES.flatMap((tele) => UPDATE_CODES.map((update) => [tele, update] as const));
  it.each(grid)('%s + %s', (tele, update) => {
    const decision = decideTeleStatus(lookups, { teleStatus: tele, updateStatus: update, reason: REASON, remarks: 'called at 10:00' });
    if ((TABLE[tele].allowed as readonly string[]).includes(update)) {
      expect(decision).toEqual({ ok: true, teleStatus: tele, updateStatus: update, reason: REASON, remarks: 'called at 10:00' });
    } else {
      expect(decision).toMatchObject({ ok: false, code: 'UPDATE_STATUS_NOT_ALLOWED', field: 'updateStatus' });
    }
  });

  it('an unknown or inactive tele status offers nothing and is refused', () => {
    expect(allowedUpdateStatuses(lookups, 'called_twice')).toEqual([]);
    expect(decideTeleStatus(lookups, { teleStatus: 'called_twice', updateStatus: 'pending', reason: null, remarks: null })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_TELE_STATUS',
      field: 'teleStatus',
    });
    const inactive = { ...lookups, teleStatuses: teleStatuses.map((t) => (t.code === 'not_yet_contacted' ? { ...t, isActive: false } : t)) };
    expect(allowedUpdateStatuses(inactive, 'not_yet_contacted')).toEqual([]);
    expect(decideTeleStatus(inactive, { teleStatus: 'not_yet_contacted', updateStatus: 'pending', reason: null, remarks: null }).ok).toBe(false);
  });

  it('an unknown or inactive update status is refused', () => {
    expect(decideTeleStatus(lookups, { teleStatus: 'updated', updateStatus: 'updated_by_fax', reason: REASON, remarks: 'x' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_UPDATE_STATUS',
      field: 'updateStatus',
    });
    const inactive = { ...lookups, updateStatuses: updateStatuses.map((u) => (u.code === 'pending' ? { ...u, isActive: false } : u)) };
    expect(allowedUpdateStatuses(inactive, 'not_yet_contacted').map((u) => u.code)).toEqual(['pending_unavailable', 'pending_not_interested']);
    expect(decideTeleStatus(inactive, { teleStatus: 'not_yet_contacted', updateStatus: 'pending', reason: null, remarks: null })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_UPDATE_STATUS',
    });
  });

  it('the allowed pairs come from the lookup table, not from code: a pair added by an admin is allowed', () => {
    const extra = { ...lookups, allowed: [...allowed, { teleStatusId: 40, updateStatusId: idOfUpdate('updated_no_proof') }] };
    expect(decideTeleStatus(extra, { teleStatus: 'not_yet_contacted', updateStatus: 'updated_no_proof', reason: null, remarks: null }).ok).toBe(true);
  });
});

describe('tele status requirements', () => {
  it.each(TELE_CODES)('%s: reason and remarks as the table says', (tele) => {
    const update = TABLE[tele].allowed[0];
    const without = decideTeleStatus(lookups, { teleStatus: tele, updateStatus: update, reason: null, remarks: null });
    if (TABLE[tele].reason) expect(without).toMatchObject({ ok: false, code: 'REASON_REQUIRED', field: 'reason' });
    else expect(without).toEqual({ ok: true, teleStatus: tele, updateStatus: update, reason: null, remarks: null });
    const reasonOnly = decideTeleStatus(lookups, { teleStatus: tele, updateStatus: update, reason: REASON, remarks: '   ' });
    if (TABLE[tele].remarks) expect(reasonOnly).toMatchObject({ ok: false, code: 'REMARKS_REQUIRED', field: 'remarks' });
    else expect(reasonOnly).toMatchObject({ ok: true, reason: REASON, remarks: null });
    const remarksOnly = decideTeleStatus(lookups, { teleStatus: tele, updateStatus: update, reason: '', remarks: 'left a message' });
    expect(remarksOnly.ok).toBe(!TABLE[tele].reason);
  });

  it('the requirement flags are data: a tele status seeded without them needs nothing', () => {
    const relaxed = { ...lookups, teleStatuses: teleStatuses.map((t) => ({ ...t, requiresReason: false, requiresRemarks: false })) };
    expect(decideTeleStatus(relaxed, { teleStatus: 'updated', updateStatus: 'updated_no_proof', reason: null, remarks: null }).ok).toBe(true);
  });

  it('a reason must be one of the active tele reasons, even where none is required', () => {
    for (const tele of TELE_CODES) {
      expect(decideTeleStatus(lookups, { teleStatus: tele, updateStatus: TABLE[tele].allowed[0], reason: 'BRIBED', remarks: 'x' })).toMatchObject({
        ok: false,
        code: 'UNKNOWN_REASON',
        field: 'reason',
      });
    }
    const inactive = { ...lookups, reasons: reasons.map((r) => (r.code === REASON ? { ...r, isActive: false } : r)) };
    expect(decideTeleStatus(inactive, { teleStatus: 'updated', updateStatus: 'updated_no_proof', reason: REASON, remarks: 'x' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_REASON',
    });
  });

  it('trims reason and remarks before storing them', () => {
    expect(decideTeleStatus(lookups, { teleStatus: 'updated', updateStatus: 'updated_no_proof', reason: ` ${REASON} `, remarks: '  sent photo  ' })).toEqual({
      ok: true,
      teleStatus: 'updated',
      updateStatus: 'updated_no_proof',
      reason: REASON,
      remarks: 'sent photo',
    });
  });
});

describe('pointer transitions', () => {
  // The whole 4 × 3 table (null = a client that never had a pointer = current).
  const EXPECTED: Record<string, Record<PointerEvent, string>> = {
    null: { status_saved: 'touched_status', month_confirmed: 'current', nextbank_sync: 'current' },
    current: { status_saved: 'touched_status', month_confirmed: 'current', nextbank_sync: 'current' },
    touched_status: { status_saved: 'touched_status', month_confirmed: 'touched_month', nextbank_sync: 'touched_status' },
    touched_month: { status_saved: 'touched_month', month_confirmed: 'touched_month', nextbank_sync: 'current' },
  };
  const cases = [null, ...CLIENT_POINTERS].flatMap((p) => (['status_saved', 'month_confirmed', 'nextbank_sync'] as const).map((e) => [p, e] as const));
  it.each(cases)('%s + %s', (pointer, event) => {
    expect(nextPointer(pointer, event)).toBe(EXPECTED[String(pointer)][event]);
  });

  it('the full cycle of domain.md: current → touched_status → touched_month → current', () => {
    let p = nextPointer('current', 'status_saved');
    expect(p).toBe('touched_status');
    p = nextPointer(p, 'month_confirmed');
    expect(p).toBe('touched_month');
    expect(nextPointer(p, 'nextbank_sync')).toBe('current');
  });

  it('a Month to Update waits for the tele status of the cycle', () => {
    expect(canSaveMonthToUpdate('current')).toBe(false);
    expect(canSaveMonthToUpdate(null)).toBe(false);
    expect(canSaveMonthToUpdate('touched_status')).toBe(true);
    expect(canSaveMonthToUpdate('touched_month')).toBe(true);
  });
});

describe('Month to Update date', () => {
  const TODAY = '2026-11-15';
  it.each([
    ['2026-11-01', true],
    ['2026-11-15', true],
    ['2026-12-31', true],
    ['2028-02-29', true],
    ['2028-11-30', true],
    ['2026-10-31', false],
    ['2028-12-01', false],
    ['2027-02-29', false],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['11/30/2026', false],
    ['2026-1-5', false],
    ['', false],
    ['next month', false],
    ['2026-11-30T00:00', false],
  ])('%s → %s', (value, ok) => {
    expect(checkMonthToUpdate(value, TODAY).ok).toBe(ok);
  });

  it('says what is wrong', () => {
    expect(checkMonthToUpdate('30/11/2026', TODAY)).toEqual({ ok: false, message: 'Enter the date as YYYY-MM-DD.' });
    expect(checkMonthToUpdate('2027-02-30', TODAY)).toEqual({ ok: false, message: 'That date does not exist.' });
    expect(checkMonthToUpdate('2026-10-31', TODAY)).toMatchObject({ ok: false, message: expect.stringMatching(/before this month/) });
    expect(checkMonthToUpdate('2029-01-01', TODAY)).toMatchObject({ ok: false, message: expect.stringMatching(/24 months ahead/) });
  });

  it('the range runs from the first of this month to the last day 24 months ahead, across year ends', () => {
    expect(monthToUpdateRange('2026-11-15')).toEqual({ earliest: '2026-11-01', latest: '2028-11-30' });
    expect(monthToUpdateRange('2026-12-31')).toEqual({ earliest: '2026-12-01', latest: '2028-12-31' });
    expect(monthToUpdateRange('2027-02-01')).toEqual({ earliest: '2027-02-01', latest: '2029-02-28' });
  });
});

describe('the NextBank UpdateCustomer request', () => {
  it('carries the customer, the custom field in MM/DD/YYYY and the idempotency key', () => {
    expect(monthToUpdateField('2026-12-01')).toBe('12/01/2026');
    expect(updateCustomerRequest({ customerId: '0012345678', monthToUpdate: '2027-01-31', idempotencyKey: 'k-123' })).toEqual({
      method: 'POST',
      path: '/command/UpdateCustomer',
      idempotencyKey: 'k-123',
      body: { customerId: '0012345678', customFields: [{ name: 'Month to Update (MM/DD/YYYY)', value: '01/31/2027' }] },
    });
  });
});
