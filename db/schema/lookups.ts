// Lookup tables: small, admin-editable reference data. System rows (is_system) are seeded.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PERIOD_TYPES, bool, createdAt, id, lookupColumns, sqlList } from './columns';

export const companies = sqliteTable('companies', { ...lookupColumns() }, (t) => [uniqueIndex('companies_code_uq').on(t.code)]);

export const pensionTypes = sqliteTable(
  'pension_types',
  {
    ...lookupColumns(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
  },
  (t) => [uniqueIndex('pension_types_code_uq').on(t.code), index('pension_types_company_idx').on(t.companyId)],
);

export const pensionerTypes = sqliteTable('pensioner_types', { ...lookupColumns() }, (t) => [uniqueIndex('pensioner_types_code_uq').on(t.code)]);

/** A product fixes a client's company and tracking cycle. */
export const products = sqliteTable(
  'products',
  {
    ...lookupColumns(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    pensionTypeId: integer('pension_type_id').references(() => pensionTypes.id),
    trackingCycle: text('tracking_cycle', { enum: PERIOD_TYPES }).notNull(),
  },
  (t) => [
    uniqueIndex('products_code_uq').on(t.code),
    index('products_company_idx').on(t.companyId),
    check('products_tracking_cycle_ck', sql`${t.trackingCycle} in ${sqlList(PERIOD_TYPES)}`),
  ],
);

export const accountTypes = sqliteTable('account_types', { ...lookupColumns() }, (t) => [uniqueIndex('account_types_code_uq').on(t.code)]);

/** PAR (portfolio at risk) bucket; only trackable buckets get period rows. */
export const parStatuses = sqliteTable('par_statuses', { ...lookupColumns(), isTrackable: bool('is_trackable').notNull().default(true) }, (t) => [
  uniqueIndex('par_statuses_code_uq').on(t.code),
]);

/** Workflow steps, ordered by sequence. company_id null = every company (VISITED is FCASH only). */
export const statusTypes = sqliteTable(
  'status_types',
  {
    ...lookupColumns(),
    sequence: integer('sequence').notNull(),
    companyId: integer('company_id').references(() => companies.id),
  },
  (t) => [uniqueIndex('status_types_code_uq').on(t.code)],
);

/** Reasons belong to one status type; the same code (e.g. NO_ANSWER) may exist under several types. */
export const statusReasons = sqliteTable(
  'status_reasons',
  {
    ...lookupColumns(),
    statusTypeId: integer('status_type_id')
      .notNull()
      .references(() => statusTypes.id),
    isTerminal: bool('is_terminal').notNull().default(false),
    requiresRemarks: bool('requires_remarks').notNull().default(false),
  },
  (t) => [uniqueIndex('status_reasons_type_code_uq').on(t.statusTypeId, t.code)],
);

/** FCASH tele workflow: tele status (not_yet_contacted, not_yet_updated, updated). */
export const teleStatuses = sqliteTable(
  'tele_statuses',
  {
    ...lookupColumns(),
    requiresReason: bool('requires_reason').notNull().default(false),
    requiresRemarks: bool('requires_remarks').notNull().default(false),
  },
  (t) => [uniqueIndex('tele_statuses_code_uq').on(t.code)],
);

/** FCASH tele workflow: update status (pending, updated_with_proof, …). */
export const updateStatuses = sqliteTable('update_statuses', { ...lookupColumns() }, (t) => [uniqueIndex('update_statuses_code_uq').on(t.code)]);

/** Which update statuses each tele status allows ("pending" is allowed under two tele statuses). */
export const teleStatusUpdateStatuses = sqliteTable(
  'tele_status_update_statuses',
  {
    id: id(),
    teleStatusId: integer('tele_status_id')
      .notNull()
      .references(() => teleStatuses.id, { onDelete: 'cascade' }),
    updateStatusId: integer('update_status_id')
      .notNull()
      .references(() => updateStatuses.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tele_status_update_statuses_uq').on(t.teleStatusId, t.updateStatusId)],
);

export type Company = typeof companies.$inferSelect;
export type Product = typeof products.$inferSelect;
export type ParStatus = typeof parStatuses.$inferSelect;
export type StatusType = typeof statusTypes.$inferSelect;
export type StatusReason = typeof statusReasons.$inferSelect;
