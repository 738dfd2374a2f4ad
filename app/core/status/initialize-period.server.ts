import type { InValue } from '@libsql/client';
import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { AppContext } from '../../platform/context';
import { periodKey, type PeriodType } from './periods';

export interface PeriodRef {
  type: PeriodType;
  year: number;
  number: number;
}

export interface InitializationReport {
  periodKey: string;
  created: number;
  alreadyPresent: number;
  leftOut: { inactive: number; parNotTrackable: number; otherCycle: number; terminalEarlier: number };
}

/** yyyymm of the period's first month: compares monthly and quarterly periods on one scale. */
function startMonthSql(type: SQL, year: SQL, number: SQL): SQL {
  return sql`(${year} * 100 + case ${type} when 'monthly' then ${number} else (${number} - 1) * 3 + 1 end)`;
}

/**
 * Creates the PENDING row of every eligible client for one period in ONE set-based statement
 * (INSERT … SELECT … ON CONFLICT DO NOTHING), so a second run creates nothing. Eligible: active,
 * not deleted, PAR trackable, product cycle = period type, and not terminal in an earlier period.
 */
/** The client `c` (with its product `p` and PAR status `ps`) has a terminal row in a period before this one. */
function terminalEarlierSql(period: PeriodRef): SQL {
  const start = startMonthSql(sql`${period.type}`, sql`${period.year}`, sql`${period.number}`);
  return sql`exists (select 1 from client_period_status t where t.client_id = c.id and t.is_terminal = 1
    and ${startMonthSql(sql.raw('t.period_type'), sql.raw('t.period_year'), sql.raw('t.period_number'))} < ${start})`;
}

/** Eligible for the period (domain.md "Period initialization"), over `c`, `p` and `ps`. */
function eligibleSql(period: PeriodRef): SQL {
  return sql`c.is_active = 1 and c.deleted_at is null and ps.is_trackable = 1 and p.tracking_cycle = ${period.type}
      and not ${terminalEarlierSql(period)}`;
}

/** The PENDING rows of `key` for the eligible clients `c` of `from` (a FROM clause that names clients c). */
function insertPendingRows(period: PeriodRef, from: SQL, nowMs: number): SQL {
  const key = periodKey(period.type, period.year, period.number);
  return sql`
    insert into client_period_status
      (client_id, company_id, branch_id, period_type, period_year, period_number, period_key, status_type_id,
       has_payment, is_terminal, update_count, version, created_at)
    select c.id, c.company_id, c.branch_id, ${period.type}, ${period.year}, ${period.number}, ${key},
           (select id from status_types where code = 'PENDING'), 0, 0, 0, 1, ${nowMs}
    from ${from}
    join products p on p.id = c.product_id
    join par_statuses ps on ps.id = c.par_status_id
    where ${eligibleSql(period)}
    on conflict (client_id, period_key) do nothing`;
}

const dialect = new SQLiteSyncDialect();

/**
 * The same initialization for some clients only, by client code: the sync's chunk writes it in its own
 * transaction for the clients it created or made newly eligible (decision 130), so their period rows
 * commit with them. Returns the statement for any libSQL executor (the sync's writer thread has no Drizzle).
 */
export function initializePeriodForClients(period: PeriodRef, clientCodes: readonly string[], nowMs: number): { sql: string; args: InValue[] } {
  const from = sql`json_each(${JSON.stringify(clientCodes)}) j join clients c on c.client_code = j.value`;
  const query = dialect.sqlToQuery(insertPendingRows(period, from, nowMs));
  return { sql: query.sql, args: query.params as InValue[] };
}

export async function initializePeriod(ctx: AppContext, period: PeriodRef): Promise<InitializationReport> {
  const key = periodKey(period.type, period.year, period.number);
  const terminalEarlier = terminalEarlierSql(period);

  // Why clients are left out, counted before the insert (each client in its first matching bucket).
  const [buckets] = await ctx.db.all<Record<string, number>>(sql`
    select
      sum(case when c.is_active = 0 or c.deleted_at is not null then 1 else 0 end) as inactive,
      sum(case when c.is_active = 1 and c.deleted_at is null and ps.is_trackable = 0 then 1 else 0 end) as parNotTrackable,
      sum(case when c.is_active = 1 and c.deleted_at is null and ps.is_trackable = 1 and p.tracking_cycle <> ${period.type} then 1 else 0 end) as otherCycle,
      sum(case when c.is_active = 1 and c.deleted_at is null and ps.is_trackable = 1 and p.tracking_cycle = ${period.type}
               and ${terminalEarlier} then 1 else 0 end) as terminalEarlier
    from clients c join products p on p.id = c.product_id join par_statuses ps on ps.id = c.par_status_id`);

  const eligible = eligibleSql(period);
  const result = await ctx.db.run(insertPendingRows(period, sql`clients c`, ctx.clock.now().getTime()));

  // Rows of eligible clients only: a client who has since left (deactivated, say) is counted once, as left out.
  const [{ present }] = await ctx.db.all<{ present: number }>(sql`
    select count(*) as present from client_period_status t
    join clients c on c.id = t.client_id join products p on p.id = c.product_id join par_statuses ps on ps.id = c.par_status_id
    where t.period_key = ${key} and ${eligible}`);
  const created = result.rowsAffected;
  return {
    periodKey: key,
    created,
    alreadyPresent: present - created,
    leftOut: {
      inactive: Number(buckets?.inactive ?? 0),
      parNotTrackable: Number(buckets?.parNotTrackable ?? 0),
      otherCycle: Number(buckets?.otherCycle ?? 0),
      terminalEarlier: Number(buckets?.terminalEarlier ?? 0),
    },
  };
}
