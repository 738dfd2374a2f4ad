// Queue 'performance': recomputes performance_snapshots per branch and per agent for a period, in
// set-based SQL (one DELETE + two INSERT … SELECT in one transaction, so readers never see a half
// refresh). Definitions (docs/decisions/053, agents and payments/terminal from decision 092):
//   branch row = the period's client rows of one branch (client_period_status.branch_id);
//   agent row  = of those, the rows one user updated last (client_period_status.last_updated_by, as the
//                dashboard's "completion per agent", decision 043): one row per (branch, agent), so a
//                reader's territory and the branch filter apply to agents too; rows nobody updated
//                yet have no agent row (the screen shows them as "Not yet updated");
//   contacted  = rows now at CALLED or further in the workflow (status sequence);
//   updated    = rows now at UPDATED or further;  completed = rows now DONE;
//   payments   = rows with has_payment;  terminal = rows with is_terminal;
//   conversion = completed ÷ total × 100, stored in basis points (completed × 10000 ÷ total, half up).
import { sql } from 'drizzle-orm';
import { performancePayloadSchema } from '../../app/core/jobs/payloads.server';
import { TREND_PERIODS } from '../../app/core/reports/performance-figures';
import { shiftPeriod, type Period } from '../../app/core/status/periods';
import { writeTransaction } from '../../app/platform/write-queue';
import type { AppDatabase } from '../../db/database';
import { PermanentJobError, type JobHandler } from '../jobs/handler';
import { targetPeriods } from './period-targets';

export interface SnapshotCounts {
  periodKey: string;
  branches: number;
  agents: number;
}

const seq = (code: string) => sql.raw(`(select min(sequence) from status_types where code = '${code}')`);

/** Aggregates over client_period_status `cps` joined to status_types `st`. */
const MEASURES = sql`count(*),
  sum(case when st.sequence >= ${seq('CALLED')} then 1 else 0 end),
  sum(case when st.sequence >= ${seq('UPDATED')} then 1 else 0 end),
  sum(case when st.code = 'DONE' then 1 else 0 end),
  sum(case when cps.has_payment then 1 else 0 end),
  sum(case when cps.is_terminal then 1 else 0 end),
  (2 * 10000 * sum(case when st.code = 'DONE' then 1 else 0 end) + count(*)) / (2 * count(*))`;

// created_at is the schema's computedAt.
const COLUMNS = sql.raw(`(company_id, scope, branch_id, user_id, period_type, period_year, period_number, period_key,
  total, contacted, updated, completed, payments, terminal, conversion_rate_bp, created_at)`);

export async function refreshPerformanceSnapshots(db: AppDatabase, period: Period, now: Date): Promise<SnapshotCounts> {
  const at = now.getTime();
  const head = sql`cps.period_type, cps.period_year, cps.period_number, cps.period_key`;
  const from = sql`from client_period_status cps join status_types st on st.id = cps.status_type_id where cps.period_key = ${period.key}`;
  return writeTransaction(db, async (tx) => {
    await tx.run(sql`delete from performance_snapshots where period_key = ${period.key}`);
    const branches = await tx.run(sql`
      insert into performance_snapshots ${COLUMNS}
      select cps.company_id, 'branch', cps.branch_id, null, ${head}, ${MEASURES}, ${at}
      ${from}
      group by cps.company_id, cps.branch_id, ${head}`);
    const agents = await tx.run(sql`
      insert into performance_snapshots ${COLUMNS}
      select cps.company_id, 'agent', cps.branch_id, cps.last_updated_by, ${head}, ${MEASURES}, ${at}
      ${from} and cps.last_updated_by is not null
      group by cps.company_id, cps.branch_id, cps.last_updated_by, ${head}`);
    return { periodKey: period.key, branches: branches.rowsAffected, agents: agents.rowsAffected };
  });
}

/**
 * The earlier periods of the screen's trend (the TREND_PERIODS − 1 before each current period) that
 * have client rows but were never computed: the hourly run fills them once, so the trend is whole
 * from the first day. Later changes to a past period are picked up by a manager's refresh of it.
 */
export async function uncomputedTrendPeriods(db: AppDatabase, current: readonly Period[]): Promise<Period[]> {
  const past = current.flatMap((p) => Array.from({ length: TREND_PERIODS - 1 }, (_, i) => shiftPeriod(p, -(i + 1))));
  if (!past.length) return [];
  const keys = sql.join(
    past.map((p) => sql`${p.key}`),
    sql`, `,
  );
  const rows = await db.all<{ k: string }>(sql`
    select k.period_key as k from (select distinct period_key from client_period_status where period_key in (${keys})) k
    where not exists (select 1 from performance_snapshots ps where ps.period_key = k.period_key and ps.scope = 'branch')`);
  const missing = new Set(rows.map((r) => r.k));
  return past.filter((p) => missing.has(p.key));
}

export const performanceHandler: JobHandler = async (payload, run) => {
  const parsed = performancePayloadSchema.safeParse(payload ?? {});
  if (!parsed.success) throw new PermanentJobError(`invalid performance payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const lines: string[] = [];
  const periods = targetPeriods(run.clock.now(), parsed.data.periodKey);
  if (!parsed.data.periodKey) periods.push(...(await uncomputedTrendPeriods(run.db, periods)));
  for (const period of periods) {
    run.signal.throwIfAborted();
    const counts = await refreshPerformanceSnapshots(run.db, period, run.clock.now());
    lines.push(`${counts.periodKey}: ${counts.branches} branch rows, ${counts.agents} agent rows`);
  }
  run.logger.info('performance snapshots refreshed', { summary: lines });
  return lines.join('; ');
};
