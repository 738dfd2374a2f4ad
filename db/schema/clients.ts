// Client master data (synced from Snowflake), its change history and the FCASH tele trail.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, createdAt, id, json, sqlList, timestamp, updatedAt } from './columns';
import { accountTypes, companies, parStatuses, pensionTypes, pensionerTypes, products, teleStatuses, updateStatuses } from './lookups';
import { branches } from './organization';
import { jobQueue, syncJobs } from './jobs';
import { users } from './users';

export const CLIENT_POINTERS = ['current', 'touched_status', 'touched_month'] as const;
export type ClientPointer = (typeof CLIENT_POINTERS)[number];

export const clients = sqliteTable(
  'clients',
  {
    id: id(),
    clientCode: text('client_code').notNull(),
    fullName: text('full_name').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    pensionNumber: text('pension_number'),
    birthDate: text('birth_date'), // YYYY-MM-DD
    contactNumber: text('contact_number'),
    contactNumberAlt: text('contact_number_alt'),
    // Denormalised from products.company_id so every scoped query filters one column.
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    pensionTypeId: integer('pension_type_id').references(() => pensionTypes.id),
    pensionerTypeId: integer('pensioner_type_id').references(() => pensionerTypes.id),
    accountTypeId: integer('account_type_id').references(() => accountTypes.id),
    parStatusId: integer('par_status_id')
      .notNull()
      .references(() => parStatuses.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    pastDueCentavos: integer('past_due_centavos').notNull().default(0),
    loanStatus: text('loan_status'),
    isActive: bool('is_active').notNull().default(true),
    deletedAt: timestamp('deleted_at'),
    lastSyncedAt: timestamp('last_synced_at'),
    syncSource: text('sync_source'), // snowflake | seed | manual
    // FCASH tele workflow (null for PCNI). Codes reference the lookups' unique code.
    customerIdNb: text('customer_id_nb'), // NextBank customer id
    teleStatus: text('tele_status').references(() => teleStatuses.code),
    updateStatus: text('update_status').references(() => updateStatuses.code),
    pointer: text('pointer', { enum: CLIENT_POINTERS }),
    monthToUpdate: text('month_to_update'), // YYYY-MM-DD
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('clients_client_code_uq').on(t.clientCode),
    // A branch's clients, with what the branch page counts (product, PAR status, active, deleted): the
    // count per product and PAR reads this index alone instead of every client row (decision 120).
    index('clients_branch_idx').on(t.branchId, t.productId, t.parStatusId, t.isActive, t.deletedAt),
    // Live clients by name, per branch and per company: the lists' WHERE and ORDER BY in one index.
    index('clients_live_branch_name_idx')
      .on(t.branchId, t.fullName)
      .where(sql`${t.deletedAt} is null`),
    index('clients_company_par_idx').on(t.companyId, t.parStatusId),
    // A branch's live clients in id order (entries end in the rowid): the workspace sorted by branch or
    // by status reads one branch's rows in client order and stops at the page (decision 129).
    index('clients_live_branch_company_idx')
      .on(t.branchId, t.companyId)
      .where(sql`${t.deletedAt} is null`),
    // Live clients by past due, per company and per branch: the list sorted by past due reads each in
    // order and stops at the page's end instead of sorting every client in scope (decision 129).
    index('clients_live_company_past_due_idx')
      .on(t.companyId, t.pastDueCentavos)
      .where(sql`${t.deletedAt} is null`),
    index('clients_live_branch_past_due_idx')
      .on(t.branchId, t.pastDueCentavos)
      .where(sql`${t.deletedAt} is null`),
    index('clients_pension_number_idx').on(t.pensionNumber),
    // id and branch_id ride along: a list scoped to some branches of a company walks the names in order
    // and filters on the branch from the index, without reading each client row (decision 120).
    index('clients_company_full_name_idx')
      .on(t.companyId, t.fullName, t.id, t.branchId)
      .where(sql`${t.deletedAt} is null`),
    index('clients_product_idx').on(t.productId),
    // The soft-deleted clients alone (few): a search's total is the index's match count minus the deleted
    // matches, found from this side without looking up every match (decision 108).
    index('clients_deleted_idx')
      .on(t.deletedAt)
      .where(sql`${t.deletedAt} is not null`),
    check('clients_pointer_ck', sql`${t.pointer} is null or ${t.pointer} in ${sqlList(CLIENT_POINTERS)}`),
  ],
);

/**
 * Live (not soft-deleted) clients per branch, kept exact by triggers on `clients` in the same
 * transaction as every write (migration 0004, decision 099): the clients list's unfiltered total
 * without counting 200,000 rows.
 */
export const clientBranchCounts = sqliteTable(
  'client_branch_counts',
  {
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    live: integer('live').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.branchId] })],
);

/** One row per changed field per sync. */
export const clientSyncHistory = sqliteTable(
  'client_sync_history',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    syncJobId: integer('sync_job_id').references(() => syncJobs.id, { onDelete: 'set null' }),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    createdAt: createdAt(),
  },
  (t) => [index('client_sync_history_client_idx').on(t.clientId, t.createdAt), index('client_sync_history_job_idx').on(t.syncJobId)],
);

export const NEXTBANK_STATUSES = ['pending', 'sent', 'confirmed', 'failed'] as const;
export type NextbankStatus = (typeof NEXTBANK_STATUSES)[number];

/** Every FCASH tele action, with what was sent to / received from NextBank (null status = no NextBank call). */
export const clientTeleHistory = sqliteTable(
  'client_tele_history',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id),
    action: text('action', { enum: ['status', 'month_to_update', 'retry'] }).notNull(),
    teleStatus: text('tele_status'),
    updateStatus: text('update_status'),
    reason: text('reason'),
    remarks: text('remarks'),
    monthToUpdate: text('month_to_update'),
    pointerBefore: text('pointer_before', { enum: CLIENT_POINTERS }),
    pointerAfter: text('pointer_after', { enum: CLIENT_POINTERS }),
    nextbankStatus: text('nextbank_status', { enum: NEXTBANK_STATUSES }),
    nextbankRequest: json('nextbank_request'),
    nextbankResponse: json('nextbank_response'),
    idempotencyKey: text('idempotency_key'),
    jobQueueId: integer('job_queue_id').references(() => jobQueue.id, { onDelete: 'set null' }),
    /** The trace of the request that wrote this outbox row (decision 094). */
    traceId: text('trace_id'),
    error: text('error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at'),
    confirmedAt: timestamp('confirmed_at'),
  },
  (t) => [
    index('client_tele_history_client_idx').on(t.clientId, t.createdAt),
    index('client_tele_history_trace_idx').on(t.traceId),
    uniqueIndex('client_tele_history_idempotency_uq').on(t.idempotencyKey),
    check('client_tele_history_nextbank_status_ck', sql`${t.nextbankStatus} is null or ${t.nextbankStatus} in ${sqlList(NEXTBANK_STATUSES)}`),
  ],
);

export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type ClientSyncHistory = typeof clientSyncHistory.$inferSelect;
export type ClientTeleHistory = typeof clientTeleHistory.$inferSelect;
