// Maker-checker (issue 18, decision 101): a change that needs a second person waits here as a request
// until another authorised person approves it (then the direct path applies it) or it is rejected,
// withdrawn, expired or found stale.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, json, timestamp } from './columns';
import { companies } from './lookups';
import { users } from './users';

export const CHANGE_REQUEST_STATES = ['pending', 'approved', 'rejected', 'withdrawn', 'expired', 'stale'] as const;
export type ChangeRequestState = (typeof CHANGE_REQUEST_STATES)[number];

export const changeRequests = sqliteTable(
  'change_requests',
  {
    id: id(),
    /** The company the change is in: reads are scoped by it (and by branch when the target has one). */
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    branchId: integer('branch_id'),
    /** What is asked, e.g. user.grants; the payload is that action's validated input. */
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: integer('target_id').notNull(),
    payload: json<Record<string, unknown>>('payload').notNull(),
    /** The target's state when the request was made: shown as "old" and compared on approval (stale → 409). */
    before: json<Record<string, unknown>>('before').notNull(),
    remark: text('remark').notNull(),
    makerId: integer('maker_id')
      .notNull()
      .references(() => users.id),
    state: text('state', { enum: CHANGE_REQUEST_STATES }).notNull().default('pending'),
    checkerId: integer('checker_id').references(() => users.id),
    decisionRemark: text('decision_remark'),
    decidedAt: timestamp('decided_at'),
    expiresAt: timestamp('expires_at').notNull(),
    /** The maker's request trace id (decision 094). */
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [index('change_requests_company_state_idx').on(t.companyId, t.state, t.createdAt), index('change_requests_maker_idx').on(t.makerId, t.state)],
);

export type ChangeRequest = typeof changeRequests.$inferSelect;
