import { describe, expect, it } from 'vitest';
import { generateClient, mobileNumber, pensionNumber } from '../../db/seed/client-generator';
import { demoBranches } from '../../db/seed/demo-org';
import { PRODUCTS, STATUS_TYPES, TELE_STATUSES } from '../../db/seed/lookups';
import { recentPeriods } from '../../db/seed/periods';
import { createRandom } from '../../db/seed/prng';
import { generatePeriodHistory, statusPath, workflowOf } from '../../db/seed/status-history';

const branches = demoBranches();
const codes = {
  FCASH: branches.filter((b) => b.company === 'FCASH').map((b) => b.code),
  PCNI: branches.filter((b) => b.company === 'PCNI').map((b) => b.code),
};

describe('prng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom('42x');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('demo org', () => {
  it('has 150 unique branch codes, MNLA01 first in FCASH NCR', () => {
    expect(branches).toHaveLength(150);
    expect(new Set(branches.map((b) => b.code)).size).toBe(150);
    expect(branches[0]).toMatchObject({ company: 'FCASH', area: 'NCR', code: 'MNLA01' });
    expect(branches.every((b) => /^[A-Z]{3,4}\d{2}$/.test(b.code))).toBe(true);
  });
});

describe('client generator', () => {
  const random = createRandom('unit');
  const clients = Array.from({ length: 3000 }, (_, i) => generateClient(random, i, codes, '2026-11-15'));

  it('formats pension and phone numbers like the agencies and carriers do', () => {
    const r = createRandom(1);
    expect(pensionNumber(r, 'SSS')).toMatch(/^\d{2}-\d{7}-\d$/);
    expect(pensionNumber(r, 'GSIS')).toMatch(/^BP\d{10}$/);
    expect(pensionNumber(r, 'PVAO')).toMatch(/^PVAO-\d{4}-\d{6}$/);
    expect(pensionNumber(r, 'PNP')).toMatch(/^PNP-(O-\d{5}|\d{6})$/);
    for (let i = 0; i < 100; i++) expect(mobileNumber(r)).toMatch(/^09\d{9}$/);
  });

  it('keeps company, product, branch and tele fields consistent', () => {
    const product = new Map(PRODUCTS.map((p) => [p.code, p]));
    const allowed = new Map(TELE_STATUSES.map((t) => [t.code as string, t.updates as readonly string[]]));
    for (const c of clients) {
      expect(product.get(c.product)!.company).toBe(c.company);
      expect(codes[c.company]).toContain(c.branchCode);
      if (c.company === 'PCNI') {
        expect([c.teleStatus, c.updateStatus, c.pointer, c.monthToUpdate, c.customerIdNb]).toEqual([null, null, null, null, null]);
      } else {
        expect(allowed.get(c.teleStatus!)).toContain(c.updateStatus);
        if (c.pointer === 'touched_month') expect(c.monthToUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(c.pastDueCentavos === 0).toBe(c.par === 'do_not_show');
      expect(Number.isInteger(c.pastDueCentavos)).toBe(true);
    }
  });

  it('has the intended mix: mostly current, some 30+, a few 60+', () => {
    const share = (par: string) => clients.filter((c) => c.par === par).length / clients.length;
    expect(share('do_not_show')).toBeGreaterThan(0.75);
    expect(share('tele_130')).toBeGreaterThan(0.05);
    expect(share('tele_hardcore')).toBeGreaterThan(0.01);
    expect(share('tele_hardcore')).toBeLessThan(share('tele_130'));
  });
});

describe('status history generator', () => {
  const seq = new Map(STATUS_TYPES.map((s) => [s.code as string, s.sequence]));

  it('walks a path that ends on the final status and only reverts one step at a time', () => {
    const r = createRandom(5);
    for (let i = 0; i < 2000; i++) {
      const workflow = workflowOf(i % 2 ? 'FCASH' : 'PCNI');
      const final = workflow[r.int(0, workflow.length - 1)];
      const path = statusPath(r, workflow, final);
      if (final === 'PENDING') expect(path.length === 0 || path[path.length - 1] === 'PENDING').toBe(true);
      else expect(path[path.length - 1]).toBe(final);
      expect(path.every((s) => workflow.includes(s))).toBe(true);
      expect(path.slice(0, -1)).not.toContain('DONE');
    }
  });

  it('produces gap-free sequences chained from PENDING, stopping after a terminal row', () => {
    const r = createRandom(9);
    const periods = recentPeriods('monthly', '2026-11-15', 6);
    const now = periods[5].startMs + 14 * 86_400_000;
    let terminals = 0;
    for (let i = 0; i < 600; i++) {
      const company = i % 3 ? 'FCASH' : 'PCNI';
      const rows = generatePeriodHistory(r, company, periods, now, { updaters: [1, 2], reverter: 3 });
      rows.forEach((row, index) => {
        let from = 'PENDING';
        row.events.forEach((e, k) => {
          expect(e.sequence).toBe(k + 1);
          expect(e.from).toBe(from);
          expect(e.isRevert).toBe(seq.get(e.to)! < seq.get(from)!);
          if (e.isRevert) expect(e.createdBy).toBe(3);
          expect(e.createdAtMs).toBeLessThanOrEqual(now);
          expect(e.createdAtMs).toBeGreaterThanOrEqual(row.period.startMs);
          from = e.to;
        });
        expect(row.status).toBe(from);
        expect(row.updateCount).toBe(row.events.length);
        expect(row.version).toBe(row.events.length + 1);
        if (company === 'PCNI') expect(row.events.map((e) => e.to)).not.toContain('VISITED');
        if (row.isTerminal) {
          terminals++;
          expect(row.status).toBe('DONE');
          expect(['DECEASED', 'FULLY_PAID', 'ACCOUNT_CLOSED']).toContain(row.reason);
          expect(index).toBe(rows.length - 1);
        }
      });
    }
    expect(terminals).toBeGreaterThan(0);
  });
});
