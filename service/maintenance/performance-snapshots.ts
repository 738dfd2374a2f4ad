// Queue 'performance': recomputes performance_snapshots per branch and per agent for a period, in
// set-based SQL (one DELETE + two INSERT … SELECT in one transaction, so readers never see a half
// refresh). Definitions (docs/decisions/053):
//   total     = the period's client rows (branch), or the rows the agent wrote a status event on (agent)
//   contacted = of those, rows now at CALLED or further in the workflow (status sequence)
//   updated   = rows now at UPDATED or further;  completed = rows now DONE
//   conversion = completed ÷ total × 100, stored in basis points (completed × 10000 ÷ total, rounded).
import { sql } from 'drizzle-orm';
import { performancePayloadSchema } from '../../app/core/jobs/payloads.server';
import type { Period } from '../../app/core/status/periods';
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
  (2 * 10000 * sum(case when st.code = 'DONE' then 1 else 0 end) + count(*)) / (2 * count(*))`;

// created_at is the schema's computedAt.
const COLUMNS = sql.raw(`(company_id, scope, branch_id, user_id, period_type, period_year, period_number, period_key,
  total, contacted, updated, completed, conversion_rate_bp, created_at)`);

export async function refreshPerformanceSnapshots(db: AppDatabase, period: Period, now: Date): Promise<SnapshotCounts> {
  const at = now.getTime();
  const head = sql`cps.period_type, cps.period_year, cps.period_number, cps.period_key`;
  return writeTransaction(db, async (tx) => {
    await tx.run(sql`delete from performance_snapshots where period_key = ${period.key}`);
    const branches = await tx.run(sql`
      insert into performance_snapshots ${COLUMNS}
      select cps.company_id, 'branch', cps.branch_id, null, ${head}, ${MEASURES}, ${at}
      from client_period_status cps join status_types st on st.id = cps.status_type_id
      where cps.period_key = ${period.key}
      group by cps.company_id, cps.branch_id, ${head}`);
    // An agent's rows: each period row they wrote at least one status event on, counted once.
    const agents = await tx.run(sql`
      insert into performance_snapshots ${COLUMNS}
      select cps.company_id, 'agent', null, worked.user_id, ${head}, ${MEASURES}, ${at}
      from (select distinct se.period_status_id, se.created_by as user_id
            from status_events se join client_period_status p on p.id = se.period_status_id
            where p.period_key = ${period.key} and se.created_by is not null) worked
      join client_period_status cps on cps.id = worked.period_status_id
      join status_types st on st.id = cps.status_type_id
      group by cps.company_id, worked.user_id, ${head}`);
    return { periodKey: period.key, branches: branches.rowsAffected, agents: agents.rowsAffected };
  });
}

export const performanceHandler: JobHandler = async (payload, run) => {
  const parsed = performancePayloadSchema.safeParse(payload ?? {});
  if (!parsed.success) throw new PermanentJobError(`invalid performance payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const lines: string[] = [];
  for (const period of targetPeriods(run.clock.now(), parsed.data.periodKey)) {
    run.signal.throwIfAborted();
    const counts = await refreshPerformanceSnapshots(run.db, period, run.clock.now());
    lines.push(`${counts.periodKey}: ${counts.branches} branch rows, ${counts.agents} agent rows`);
  }
  run.logger.info('performance snapshots refreshed', { summary: lines });
  return lines.join('; ');
};
