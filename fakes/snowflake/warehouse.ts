// The fake's data: a client view of any size, deterministic from a seed. Row i is the seed's
// client i (db/seed/client-generator with the seed's own random stream and branch list), so a
// warehouse with seed 42 and today 2026-11-15 holds exactly the test database's 2,000 clients as
// its first rows and new clients after them. Rows are kept as one JSON text each (the wire form)
// plus typed arrays for the filters, so 200,000 rows cost tens of MB, not hundreds.
import { generateClient, type CompanyCode } from '../../db/seed/client-generator';
import { demoBranches } from '../../db/seed/demo-org';
import { manilaMidnightMs } from '../../db/seed/periods';
import { createRandom, type Random } from '../../db/seed/prng';
import { CORRUPTION_VALUES, changeFor, pickDistinct, type ColumnChange, type Corruption, type MutableField } from './row-changes';
import { COLUMN_INDEX, VIEW_COLUMNS, amountWire, timestampFromWire, timestampWire, type ViewColumn, type WireRow } from './view-columns';

export interface WarehouseOptions {
  rows: number;
  /** Same meaning as the seed's --seed (default 42). */
  seed?: number | string;
  /** Same meaning as the seed's --today (default 2026-11-15, the test database's). */
  today?: string;
}

export type { WireRow };

export { CORRUPTIONS, MUTABLE_FIELDS, type ColumnChange, type Corruption, type MutableField } from './row-changes';

const C = { code: COLUMN_INDEX.get('CLIENT_CODE')!, branch: COLUMN_INDEX.get('BRANCH_CODE')!, updated: COLUMN_INDEX.get('UPDATED_AT')! };

export class Warehouse {
  readonly seed: number | string;
  readonly today: string;
  private encoded: string[] = [];
  private codes: string[] = [];
  private byCode = new Map<string, number>();
  private updatedMs: number[] = [];
  private branchOf: string[] = [];
  private removed = new Set<number>();
  private sortedByCode: number[] | null = null;
  private readonly clientRandom: Random;
  private readonly updatedRandom: Random;
  private readonly branchCodes: Record<CompanyCode, string[]>;
  private mutations = 0;
  /** The newest UPDATED_AT in the view (ms); mutations move it forward. */
  latestUpdatedMs: number;

  constructor(options: WarehouseOptions) {
    if (!Number.isInteger(options.rows) || options.rows < 0) throw new Error(`rows must be a non-negative integer, got ${options.rows}`);
    this.seed = options.seed ?? 42;
    this.today = options.today ?? '2026-11-15';
    // The seed's streams: `${seed}:clients` drives generateClient exactly as db/seed/clients.ts does.
    this.clientRandom = createRandom(`${this.seed}:clients`);
    this.updatedRandom = createRandom(`${this.seed}:updated_at`);
    const sorted = demoBranches()
      .map((b) => ({ code: b.code, company: b.company }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    this.branchCodes = {
      FCASH: sorted.filter((b) => b.company === 'FCASH').map((b) => b.code),
      PCNI: sorted.filter((b) => b.company === 'PCNI').map((b) => b.code),
    };
    // Loaded at 05:00 Manila "today", before the 06:00 daily sync.
    this.latestUpdatedMs = manilaMidnightMs(this.today) + 5 * 3_600_000;
    this.append(options.rows);
  }

  /** Rows in the view (removed rows not counted). */
  get size(): number {
    return this.encoded.length - this.removed.size;
  }

  private append(count: number): string[] {
    const added: string[] = [];
    const base = manilaMidnightMs(this.today) + 5 * 3_600_000;
    for (let n = 0; n < count; n++) {
      const index = this.encoded.length;
      const c = generateClient(this.clientRandom, index, this.branchCodes, this.today);
      const updated = Math.min(base - this.updatedRandom.int(0, 365 * 24 * 3600) * 1000, this.latestUpdatedMs);
      const row: WireRow = [
        c.clientCode,
        c.fullName,
        c.pensionNumber,
        c.birthDate,
        c.contactNumber,
        c.contactNumberAlt,
        c.pensionType,
        c.pensionerType,
        c.product,
        c.branchCode,
        c.par,
        c.accountType,
        amountWire(c.pastDueCentavos),
        c.loanStatus,
        c.isActive ? '1' : '0',
        timestampWire(updated),
      ];
      this.store(index, row);
      added.push(c.clientCode);
    }
    this.sortedByCode = null;
    return added;
  }

  private store(index: number, row: WireRow): void {
    this.encoded[index] = JSON.stringify(row);
    this.codes[index] = row[C.code] as string;
    this.byCode.set(this.codes[index], index);
    this.updatedMs[index] = timestampFromWire(row[C.updated] as string);
    this.branchOf[index] = String(row[C.branch]);
  }

  /** Adds `count` new clients (the generator's next ones), updated at `at`. Returns their codes. */
  addRows(count: number, at?: Date): string[] {
    const from = this.encoded.length;
    const codes = this.append(count);
    const ms = this.nextUpdate(at);
    for (let i = from; i < this.encoded.length; i++) this.patchIndex(i, {}, ms);
    return codes;
  }

  /** Takes clients out of the view (as if the source deleted them). */
  removeRows(clientCodes: readonly string[]): void {
    for (const code of clientCodes) {
      const index = this.indexOf(code);
      if (index === undefined) throw new Error(`no row ${code} in the warehouse`);
      this.removed.add(index);
    }
  }

  rowAt(index: number): WireRow {
    return JSON.parse(this.encoded[index]) as WireRow;
  }

  /** The row of a client as a column → value object (undefined if absent). */
  row(clientCode: string): Record<ViewColumn, string | null> | undefined {
    const index = this.indexOf(clientCode);
    if (index === undefined) return undefined;
    const values = this.rowAt(index);
    return Object.fromEntries(VIEW_COLUMNS.map((name, i) => [name, values[i]])) as Record<ViewColumn, string | null>;
  }

  /** Client codes in generation order (removed rows left out). */
  clientCodes(): string[] {
    return this.codes.filter((_, i) => !this.removed.has(i));
  }

  private indexOf(clientCode: string): number | undefined {
    const i = this.byCode.get(clientCode);
    return i === undefined || this.removed.has(i) ? undefined : i;
  }

  /** The JSON text of a row as it goes on the wire (all columns, view order). */
  encodedAt(index: number): string {
    return this.encoded[index];
  }

  /** Row indices matching the filter, in ORDER BY order. */
  select(
    filter: { updatedAfterMs?: number; updatedFromMs?: number; branchCodes?: ReadonlySet<string> },
    orderBy?: { column: ViewColumn; descending: boolean },
  ): number[] {
    const order = this.order(orderBy?.column);
    const out: number[] = [];
    for (const i of order) {
      if (this.removed.has(i)) continue;
      if (filter.updatedAfterMs !== undefined && !(this.updatedMs[i] > filter.updatedAfterMs)) continue;
      if (filter.updatedFromMs !== undefined && !(this.updatedMs[i] >= filter.updatedFromMs)) continue;
      if (filter.branchCodes && !filter.branchCodes.has(this.branchOf[i])) continue;
      out.push(i);
    }
    if (orderBy?.descending) out.reverse();
    return out;
  }

  private order(column: ViewColumn | undefined): number[] {
    const all = () => Array.from({ length: this.encoded.length }, (_, i) => i);
    if (column === undefined) return all();
    if (column === 'CLIENT_CODE') {
      this.sortedByCode ??= all().sort((a, b) => (this.codes[a] < this.codes[b] ? -1 : this.codes[a] > this.codes[b] ? 1 : 0));
      return this.sortedByCode;
    }
    if (column === 'UPDATED_AT') return all().sort((a, b) => this.updatedMs[a] - this.updatedMs[b] || a - b);
    const ci = COLUMN_INDEX.get(column)!;
    const values = this.encoded.map((_, i) => String(this.rowAt(i)[ci] ?? ''));
    return all().sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
  }

  private nextUpdate(at?: Date): number {
    const ms = at ? at.getTime() : this.latestUpdatedMs + 60_000;
    this.latestUpdatedMs = Math.max(this.latestUpdatedMs, ms);
    return ms;
  }

  /** Sets columns of one row (and bumps its UPDATED_AT). Returns what changed. */
  patch(clientCode: string, values: Partial<Record<ViewColumn, string | null>>, at?: Date): ColumnChange[] {
    const index = this.indexOf(clientCode);
    if (index === undefined) throw new Error(`no row ${clientCode} in the warehouse`);
    return this.patchIndex(index, values, this.nextUpdate(at));
  }

  private patchIndex(index: number, values: Partial<Record<ViewColumn, string | null>>, updatedMs: number): ColumnChange[] {
    const row = this.rowAt(index);
    const changes: ColumnChange[] = [];
    for (const [name, value] of Object.entries(values) as [ViewColumn, string | null][]) {
      const ci = COLUMN_INDEX.get(name);
      if (ci === undefined || name === 'CLIENT_CODE' || name === 'UPDATED_AT') throw new Error(`cannot patch column ${name}`);
      if (row[ci] === value) continue;
      changes.push({ clientCode: row[C.code] as string, column: name, old: row[ci], new: value });
      row[ci] = value;
    }
    row[C.updated] = timestampWire(updatedMs);
    this.store(index, row);
    return changes;
  }

  /**
   * Changes `fields` of N% (or `count`) of the rows, picked deterministically (seeded; each call
   * picks afresh). One field per picked row, taking `fields` in turn; UPDATED_AT moves to `at`
   * (default a minute after the newest); `among` limits the pick to those clients. Returns every column change (a product change also
   * changes PENSION_TYPE_CODE, as the products tie them).
   */
  mutate(options: { percent?: number; count?: number; fields: readonly MutableField[]; at?: Date; among?: readonly string[] }): ColumnChange[] {
    const live = this.pool(options.among);
    const count = options.count ?? Math.round((live.length * (options.percent ?? 0)) / 100);
    if (count > live.length) throw new Error(`cannot change ${count} of ${live.length} rows`);
    if (options.fields.length === 0) throw new Error('mutate needs at least one field');
    const random = createRandom(`${this.seed}:mutate:${++this.mutations}`);
    const picked = pickDistinct(random, live, count);
    const ms = this.nextUpdate(options.at);
    const changes: ColumnChange[] = [];
    picked.forEach((index, n) => {
      const field = options.fields[n % options.fields.length];
      changes.push(...this.patchIndex(index, changeFor(field, this.rowAt(index), random, this.branchCodes), ms));
    });
    return changes;
  }

  /**
   * Leaves bad values in `count` rows (kinds taken in turn): what the sync must reject into its
   * report. Returns the affected client codes with their corruption.
   */
  corrupt(options: { count: number; kinds: readonly Corruption[]; at?: Date; among?: readonly string[] }): { clientCode: string; kind: Corruption }[] {
    const random = createRandom(`${this.seed}:corrupt:${++this.mutations}`);
    const pool = this.pool(options.among);
    if (options.count > pool.length) throw new Error(`cannot corrupt ${options.count} of ${pool.length} rows`);
    const picked = pickDistinct(random, pool, options.count);
    const ms = this.nextUpdate(options.at);
    return picked.map((index, n) => {
      const kind = options.kinds[n % options.kinds.length];
      this.patchIndex(index, CORRUPTION_VALUES[kind], ms);
      return { clientCode: this.codes[index], kind };
    });
  }

  /** Live rows, or only those of the given codes (`among`). */
  private pool(among?: readonly string[]): number[] {
    if (!among) return this.liveIndices();
    return among.map((code) => this.indexOf(code)).filter((i): i is number => i !== undefined);
  }

  private liveIndices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.encoded.length; i++) if (!this.removed.has(i)) out.push(i);
    return out;
  }
}

export function createWarehouse(options: WarehouseOptions): Warehouse {
  return new Warehouse(options);
}
