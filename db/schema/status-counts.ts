// Maintained aggregates of client_period_status (decision 100): kept exact by SQL triggers in the
// same transaction as every write (migration 0004), so the dashboard, workspace counts and progress
// read a few hundred rows instead of scanning a period's clients. 0 stands for "none" in key columns
// (no agent yet, no pension type) because NULLs never conflict in a primary key upsert.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Period rows keyed by the client's CURRENT company, branch, pension type and deletion (what the
 * dashboard and the workspace scope and filter by) and by the row's status, last updater, payment
 * and terminal flags.
 */
export const clientStatusCounts = sqliteTable(
  'client_status_counts',
  {
    periodKey: text('period_key').notNull(),
    companyId: integer('company_id').notNull(),
    branchId: integer('branch_id').notNull(),
    statusTypeId: integer('status_type_id').notNull(),
    agentId: integer('agent_id').notNull(), // last_updated_by, 0 = nobody yet
    pensionTypeId: integer('pension_type_id').notNull(), // 0 = none
    hasPayment: integer('has_payment').notNull(),
    isTerminal: integer('is_terminal').notNull(),
    deleted: integer('deleted').notNull(), // the client is soft-deleted
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodKey, t.companyId, t.branchId, t.statusTypeId, t.agentId, t.pensionTypeId, t.hasPayment, t.isTerminal, t.deleted] })],
);

/** Period rows keyed by the row's own company and branch (the areas/branches progress scope). */
export const periodStatusCounts = sqliteTable(
  'period_status_counts',
  {
    periodKey: text('period_key').notNull(),
    companyId: integer('company_id').notNull(),
    branchId: integer('branch_id').notNull(),
    statusTypeId: integer('status_type_id').notNull(),
    agentId: integer('agent_id').notNull(), // 0 = nobody yet
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodKey, t.companyId, t.branchId, t.statusTypeId, t.agentId] })],
);

/** Status events per Manila day (all, and those to DONE), keyed by the client's current company and branch (the daily trend). */
export const statusEventDays = sqliteTable(
  'status_event_days',
  {
    periodKey: text('period_key').notNull(),
    companyId: integer('company_id').notNull(),
    branchId: integer('branch_id').notNull(),
    day: text('day').notNull(),
    updates: integer('updates').notNull(),
    done: integer('done').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodKey, t.companyId, t.branchId, t.day] })],
);
