// Precomputed performance per branch or agent per period.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PERIOD_TYPES, createdAt, id, sqlList } from './columns';
import { companies } from './lookups';
import { branches } from './organization';
import { users } from './users';

export const SNAPSHOT_SCOPES = ['branch', 'agent'] as const;

export const performanceSnapshots = sqliteTable(
  'performance_snapshots',
  {
    id: id(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    scope: text('scope', { enum: SNAPSHOT_SCOPES }).notNull(),
    // Always set: an agent row is one agent's rows in one branch (decision 092), so a reader's scope
    // and the branch filter apply to agents as they do to branches.
    branchId: integer('branch_id').references(() => branches.id, { onDelete: 'cascade' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }), // set iff scope = agent (the rows they updated last)
    periodType: text('period_type', { enum: PERIOD_TYPES }).notNull(),
    periodYear: integer('period_year').notNull(),
    periodNumber: integer('period_number').notNull(),
    periodKey: text('period_key').notNull(),
    total: integer('total').notNull().default(0),
    contacted: integer('contacted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    completed: integer('completed').notNull().default(0),
    /** Rows with has_payment = yes. */
    payments: integer('payments').notNull().default(0),
    /** Rows with is_terminal = yes (a terminal reason this period). */
    terminal: integer('terminal').notNull().default(0),
    // completed ÷ total × 100, in basis points (1234 = 12.34 %), so no float is stored.
    conversionRateBp: integer('conversion_rate_bp').notNull().default(0),
    computedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('performance_snapshots_branch_period_uq')
      .on(t.companyId, t.periodKey, t.branchId)
      .where(sql`${t.scope} = 'branch'`),
    uniqueIndex('performance_snapshots_agent_period_uq')
      .on(t.companyId, t.periodKey, t.branchId, t.userId)
      .where(sql`${t.scope} = 'agent'`),
    index('performance_snapshots_period_idx').on(t.periodKey, t.scope),
    check('performance_snapshots_scope_ck', sql`${t.scope} in ${sqlList(SNAPSHOT_SCOPES)}`),
    check(
      'performance_snapshots_subject_ck',
      sql`${t.branchId} is not null and ((${t.scope} = 'branch' and ${t.userId} is null) or (${t.scope} = 'agent' and ${t.userId} is not null))`,
    ),
  ],
);

export type PerformanceSnapshot = typeof performanceSnapshots.$inferSelect;
