// Seeds synthetic clients plus their recent period rows and status events, in chunks (500k fits in memory).
import type { Client } from '@libsql/client';
import { type CompanyCode, generateClient } from './client-generator';
import { DEMO_TELE_BRANCH_CODES } from './demo-users';
import { idsByCode } from './demo-org';
import { PRODUCTS } from './lookups';
import { type Period, recentPeriods } from './periods';
import { createRandom, type Random } from './prng';
import { insertStatements, runBatch } from './sql-batch';
import { type BranchAuthors, generatePeriodHistory } from './status-history';

export interface SeedClientsOptions {
  clients: number;
  seed: number | string;
  today: string; // Manila calendar date, YYYY-MM-DD
  nowMs: number; // caps event times in the current period
  chunkSize?: number;
  /** Periods of history per client (default PERIODS_PER_CLIENT); the bench asks for 12. */
  periods?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedClientsResult {
  clients: number;
  periodRows: number;
  events: number;
}

export const PERIODS_PER_CLIENT = 6;

const CLIENT_COLUMNS = [
  'id',
  'client_code',
  'full_name',
  'first_name',
  'last_name',
  'pension_number',
  'birth_date',
  'contact_number',
  'contact_number_alt',
  'company_id',
  'product_id',
  'pension_type_id',
  'pensioner_type_id',
  'account_type_id',
  'par_status_id',
  'branch_id',
  'past_due_centavos',
  'loan_status',
  'is_active',
  'last_synced_at',
  'sync_source',
  'customer_id_nb',
  'tele_status',
  'update_status',
  'pointer',
  'month_to_update',
];
const PERIOD_COLUMNS = [
  'id',
  'client_id',
  'company_id',
  'branch_id',
  'period_type',
  'period_year',
  'period_number',
  'period_key',
  'status_type_id',
  'status_reason_id',
  'remarks',
  'has_payment',
  'is_terminal',
  'update_count',
  'version',
  'last_updated_by',
  'last_updated_at',
  'created_at',
];
const EVENT_COLUMNS = [
  'period_status_id',
  'client_id',
  'event_sequence',
  'from_status_type_id',
  'to_status_type_id',
  'status_reason_id',
  'remarks',
  'has_payment',
  'is_revert',
  'created_by',
  'created_at',
];

type Ids = Awaited<ReturnType<typeof loadIds>>;

/** Everything the generator's codes map to, read once. */
async function loadIds(client: Client) {
  const q = (sql: string) => idsByCode(client, sql);
  const parRows = (await client.execute('SELECT id, code, is_trackable FROM par_statuses')).rows;
  const branchRows = (
    await client.execute(
      `SELECT b.id, b.code, c.code AS company, a.code AS area FROM branches b
     JOIN companies c ON c.id = b.company_id
     LEFT JOIN area_branches ab ON ab.branch_id = b.id AND ab.is_primary = 1
     LEFT JOIN areas a ON a.id = ab.area_id
     WHERE b.deleted_at IS NULL AND b.is_active = 1 ORDER BY b.code`,
    )
  ).rows;
  return {
    company: await q('SELECT id, code FROM companies'),
    product: await q('SELECT id, code FROM products'),
    pensionType: await q('SELECT id, code FROM pension_types'),
    pensionerType: await q('SELECT id, code FROM pensioner_types'),
    accountType: await q('SELECT id, code FROM account_types'),
    statusType: await q('SELECT id, code FROM status_types'),
    reason: await q("SELECT r.id, t.code || '/' || r.code AS code FROM status_reasons r JOIN status_types t ON t.id = r.status_type_id"),
    user: await q('SELECT id, email AS code FROM users'),
    par: new Map(parRows.map((r) => [String(r.code), { id: Number(r.id), trackable: Number(r.is_trackable) === 1 }])),
    branches: branchRows.map((r) => ({
      id: Number(r.id),
      code: String(r.code),
      company: String(r.company) as CompanyCode,
      area: r.area === null ? null : String(r.area),
    })),
  };
}

/** Demo users write the events of their own territory; without demo users events have no author. */
function authorsByBranch(ids: Ids): Map<string, BranchAuthors> {
  const admin = ids.user.get('admin@demo.test') ?? null;
  const area = ids.user.get('area.ncr@demo.test') ?? null;
  const officer = ids.user.get('branch.mnla01@demo.test') ?? null;
  const tele = ids.user.get('tele.fcash@demo.test') ?? null;
  const result = new Map<string, BranchAuthors>();
  for (const b of ids.branches) {
    const ncr = b.area === 'NCR';
    const updaters = [
      (DEMO_TELE_BRANCH_CODES as readonly string[]).includes(b.code) ? tele : null,
      b.code === 'MNLA01' ? officer : null,
      ncr ? area : null,
    ].filter((u): u is number => u !== null);
    if (updaters.length === 0 && admin !== null) updaters.push(admin);
    result.set(b.code, { updaters, reverter: (ncr ? area : admin) ?? admin });
  }
  return result;
}

async function maxId(client: Client, table: string): Promise<number> {
  return Number((await client.execute(`SELECT coalesce(max(id), 0) AS m FROM ${table}`)).rows[0].m);
}

interface ChunkContext {
  ids: Ids;
  authors: Map<string, BranchAuthors>;
  branchId: Map<string, number>;
  branchCodes: Record<CompanyCode, string[]>;
  periodsByCycle: Record<'monthly' | 'quarterly', Period[]>;
  clientRandom: Random;
  historyRandom: Random;
  today: string;
  nowMs: number;
  startIndex: number;
  periodId: number; // last period row id written (advanced by buildChunk)
}

const cycleOf = new Map(PRODUCTS.map((p) => [p.code, p.cycle]));

/** Rows for clients [from, to): the client, its period rows and their events, with explicit ids. */
function buildChunk(ctx: ChunkContext, from: number, to: number) {
  const { ids } = ctx;
  const clientRows: unknown[][] = [];
  const periodRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  for (let i = from; i < to; i++) {
    const c = generateClient(ctx.clientRandom, ctx.startIndex + i, ctx.branchCodes, ctx.today);
    const id = ctx.startIndex + i + 1;
    const companyId = ids.company.get(c.company);
    const bId = ctx.branchId.get(c.branchCode);
    const par = ids.par.get(c.par)!;
    clientRows.push([
      id,
      c.clientCode,
      c.fullName,
      c.firstName,
      c.lastName,
      c.pensionNumber,
      c.birthDate,
      c.contactNumber,
      c.contactNumberAlt,
      companyId,
      ids.product.get(c.product),
      ids.pensionType.get(c.pensionType),
      ids.pensionerType.get(c.pensionerType),
      ids.accountType.get(c.accountType),
      par.id,
      bId,
      c.pastDueCentavos,
      c.loanStatus,
      c.isActive,
      ctx.nowMs,
      'seed',
      c.customerIdNb,
      c.teleStatus,
      c.updateStatus,
      c.pointer,
      c.monthToUpdate,
    ]);
    if (!c.isActive || !par.trackable) continue; // period initialization would skip them too
    const periods = ctx.periodsByCycle[cycleOf.get(c.product)!];
    const history = generatePeriodHistory(ctx.historyRandom, c.company, periods, ctx.nowMs, ctx.authors.get(c.branchCode)!);
    for (const row of history) {
      const periodId = ++ctx.periodId;
      const p = row.period;
      periodRows.push([
        periodId,
        id,
        companyId,
        bId,
        p.type,
        p.year,
        p.number,
        p.key,
        ids.statusType.get(row.status),
        row.reason && ids.reason.get(`${row.status}/${row.reason}`),
        row.remarks,
        row.hasPayment,
        row.isTerminal,
        row.updateCount,
        row.version,
        row.lastUpdatedBy,
        row.lastUpdatedAtMs,
        row.createdAtMs,
      ]);
      for (const e of row.events) {
        eventRows.push([
          periodId,
          id,
          e.sequence,
          ids.statusType.get(e.from),
          ids.statusType.get(e.to),
          e.reason && ids.reason.get(`${e.to}/${e.reason}`),
          e.remarks,
          e.hasPayment,
          e.isRevert,
          e.createdBy,
          e.createdAtMs,
        ]);
      }
    }
  }
  return { clientRows, periodRows, eventRows };
}

export async function seedClients(client: Client, options: SeedClientsOptions): Promise<SeedClientsResult> {
  const { clients: total, seed, today, nowMs, chunkSize = 5000 } = options;
  const ids = await loadIds(client);
  const branchCodes = {
    FCASH: ids.branches.filter((b) => b.company === 'FCASH').map((b) => b.code),
    PCNI: ids.branches.filter((b) => b.company === 'PCNI').map((b) => b.code),
  };
  if (total > 0 && (branchCodes.FCASH.length === 0 || branchCodes.PCNI.length === 0)) {
    throw new Error('Seed clients: both companies need active branches (seed the demo org first)');
  }
  const ctx: ChunkContext = {
    ids,
    authors: authorsByBranch(ids),
    branchId: new Map(ids.branches.map((b) => [b.code, b.id])),
    branchCodes,
    periodsByCycle: {
      monthly: recentPeriods('monthly', today, options.periods ?? PERIODS_PER_CLIENT),
      quarterly: recentPeriods('quarterly', today, options.periods ?? PERIODS_PER_CLIENT),
    },
    // Separate streams: the client list depends only on the seed, not on --today or the histories.
    clientRandom: createRandom(`${seed}:clients`),
    historyRandom: createRandom(`${seed}:history`),
    today,
    nowMs,
    startIndex: await maxId(client, 'clients'),
    periodId: await maxId(client, 'client_period_status'),
  };
  const result: SeedClientsResult = { clients: 0, periodRows: 0, events: 0 };
  const restoreCache = await enlargePageCache(client);
  try {
    for (let offset = 0; offset < total; offset += chunkSize) {
      const { clientRows, periodRows, eventRows } = buildChunk(ctx, offset, Math.min(total, offset + chunkSize));
      await runBatch(client, [
        ...insertStatements('clients', CLIENT_COLUMNS, clientRows),
        ...insertStatements('client_period_status', PERIOD_COLUMNS, periodRows),
        ...insertStatements('status_events', EVENT_COLUMNS, eventRows),
      ]); // one write transaction per chunk
      result.clients += clientRows.length;
      result.periodRows += periodRows.length;
      result.events += eventRows.length;
      options.onProgress?.(result.clients, total);
    }
  } finally {
    await restoreCache();
  }
  return result;
}

/**
 * Index inserts at 200k+ clients thrash SQLite's default 2 MB page cache (the seed became I/O bound).
 * Sequential calls reuse the pool's one idle connection, so the pragma reaches the seeding connection.
 * Servers (sqld/Turso) may refuse the pragma; that only costs speed.
 */
async function enlargePageCache(client: Client): Promise<() => Promise<void>> {
  try {
    const previous = Number((await client.execute('PRAGMA cache_size')).rows[0].cache_size);
    await client.execute('PRAGMA cache_size=-262144'); // 256 MiB
    return async () => {
      await client.execute(`PRAGMA cache_size=${previous}`);
    };
  } catch {
    return async () => {};
  }
}
