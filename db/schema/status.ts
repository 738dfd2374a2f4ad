// Period tracking: one row per client per period, plus the append-only event trail.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PERIOD_TYPES, bool, createdAt, id, sqlList, timestamp } from './columns';
import { clients } from './clients';
import { companies, statusReasons, statusTypes } from './lookups';
import { branches } from './organization';
import { users } from './users';

export const clientPeriodStatus = sqliteTable(
  'client_period_status',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    // company_id and branch_id are copied from the client so scoped dashboards need no join.
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    periodType: text('period_type', { enum: PERIOD_TYPES }).notNull(),
    periodYear: integer('period_year').notNull(),
    periodNumber: integer('period_number').notNull(), // month 1-12 or quarter 1-4
    periodKey: text('period_key').notNull(), // '2026-11' or '2026-Q4'
    statusTypeId: integer('status_type_id')
      .notNull()
      .references(() => statusTypes.id),
    statusReasonId: integer('status_reason_id').references(() => statusReasons.id),
    remarks: text('remarks'),
    hasPayment: bool('has_payment').notNull().default(false),
    isTerminal: bool('is_terminal').notNull().default(false),
    updateCount: integer('update_count').notNull().default(0),
    version: integer('version').notNull().default(1), // optimistic concurrency: bump on every change
    lastUpdatedBy: integer('last_updated_by').references(() => users.id),
    lastUpdatedAt: timestamp('last_updated_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('client_period_status_client_period_uq').on(t.clientId, t.periodKey),
    // client_id last: one status's rows of a period in client order, for the workspace sorted by status (decision 128).
    index('client_period_status_period_status_idx').on(t.periodKey, t.statusTypeId, t.clientId),
    // The workspace sorted by last update: walked in order instead of sorting the period's rows (decision 128).
    index('client_period_status_period_updated_idx').on(t.periodKey, t.lastUpdatedAt, t.clientId),
    index('client_period_status_period_branch_idx').on(t.periodKey, t.branchId),
    // The terminal rows only (~1 % of them): "terminal in an earlier period" (period initialization,
    // reinstatement) probes a client's few terminal rows instead of every row of its history (decision 126).
    index('client_period_status_terminal_idx')
      .on(t.clientId, t.periodYear, t.periodNumber, t.periodType)
      .where(sql`${t.isTerminal} = 1`),
    check('client_period_status_period_type_ck', sql`${t.periodType} in ${sqlList(PERIOD_TYPES)}`),
    check('client_period_status_period_number_ck', sql`${t.periodNumber} between 1 and (case ${t.periodType} when 'monthly' then 12 else 4 end)`),
  ],
);

/** Append-only: event_sequence runs 1, 2, 3 … per period row with no gaps. */
export const statusEvents = sqliteTable(
  'status_events',
  {
    id: id(),
    periodStatusId: integer('period_status_id')
      .notNull()
      .references(() => clientPeriodStatus.id, { onDelete: 'cascade' }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    eventSequence: integer('event_sequence').notNull(),
    fromStatusTypeId: integer('from_status_type_id').references(() => statusTypes.id),
    toStatusTypeId: integer('to_status_type_id')
      .notNull()
      .references(() => statusTypes.id),
    statusReasonId: integer('status_reason_id').references(() => statusReasons.id),
    remarks: text('remarks'),
    hasPayment: bool('has_payment').notNull().default(false),
    isRevert: bool('is_revert').notNull().default(false),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('status_events_period_seq_uq').on(t.periodStatusId, t.eventSequence),
    index('status_events_client_idx').on(t.clientId),
    index('status_events_created_by_idx').on(t.createdBy, t.createdAt),
    index('status_events_created_idx').on(t.createdAt),
  ],
);

export type ClientPeriodStatus = typeof clientPeriodStatus.$inferSelect;
export type NewClientPeriodStatus = typeof clientPeriodStatus.$inferInsert;
export type StatusEvent = typeof statusEvents.$inferSelect;
export type NewStatusEvent = typeof statusEvents.$inferInsert;
