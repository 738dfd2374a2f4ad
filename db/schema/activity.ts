// User activity trail (logins, status updates, admin actions); kept 90 days.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, json } from './columns';
import { users } from './users';

export const activityLogs = sqliteTable(
  'activity_logs',
  {
    id: id(),
    // Nullable: failed logins and system actions have no user.
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(), // e.g. status.update, auth.login_failed
    resourceType: text('resource_type'),
    resourceId: text('resource_id'),
    // The resource's company and branch when the row was written (a client's, a config row's),
    // so reads are scoped by what the row is about; null for user events and system rows.
    // Plain integers, no foreign keys: a log row outlives what it names.
    companyId: integer('company_id'),
    branchId: integer('branch_id'),
    details: json<Record<string, unknown>>('details'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** The request's W3C trace id (decision 094); a job's rows carry its attempt's trace. */
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('activity_logs_user_created_idx').on(t.userId, t.createdAt),
    index('activity_logs_created_idx').on(t.createdAt),
    index('activity_logs_request_idx').on(t.requestId),
  ],
);

export type ActivityLog = typeof activityLogs.$inferSelect;
export type NewActivityLog = typeof activityLogs.$inferInsert;
