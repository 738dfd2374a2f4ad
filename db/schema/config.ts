// Admin-editable configuration: option lists, typed settings, and their audit trail.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, createdAt, id, json, sqlList, updatedAt } from './columns';
import { companies } from './lookups';
import { users } from './users';

export const configCategories = sqliteTable(
  'config_categories',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    isSystem: bool('is_system').notNull().default(false),
    isActive: bool('is_active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('config_categories_code_uq').on(t.code)],
);

/** Options of a category; parent_option_id makes sub-options. company_id null = all companies. */
export const configOptions = sqliteTable(
  'config_options',
  {
    id: id(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => configCategories.id, { onDelete: 'cascade' }),
    parentOptionId: integer('parent_option_id').references((): AnySQLiteColumn => configOptions.id, {
      onDelete: 'cascade',
    }),
    companyId: integer('company_id').references(() => companies.id),
    code: text('code').notNull(),
    label: text('label').notNull(),
    value: text('value'),
    isDefault: bool('is_default').notNull().default(false),
    isActive: bool('is_active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // NULLs are distinct in SQLite unique indexes, so "all companies" rows get their own partial index.
    uniqueIndex('config_options_company_code_uq')
      .on(t.categoryId, t.companyId, t.code)
      .where(sql`${t.companyId} is not null`),
    uniqueIndex('config_options_global_code_uq')
      .on(t.categoryId, t.code)
      .where(sql`${t.companyId} is null`),
    index('config_options_parent_idx').on(t.parentOptionId),
  ],
);

export const SETTING_VALUE_TYPES = ['string', 'number', 'boolean', 'json'] as const;
export type SettingValueType = (typeof SETTING_VALUE_TYPES)[number];

/** Typed key/value settings; a company row overrides the global (company_id null) row. */
export const configSettings = sqliteTable(
  'config_settings',
  {
    id: id(),
    key: text('key').notNull(),
    companyId: integer('company_id').references(() => companies.id),
    value: text('value').notNull(),
    valueType: text('value_type', { enum: SETTING_VALUE_TYPES }).notNull(),
    isPublic: bool('is_public').notNull().default(false),
    description: text('description'),
    updatedBy: integer('updated_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // NULLs are distinct in SQLite unique indexes: one partial index per case.
    uniqueIndex('config_settings_company_key_uq')
      .on(t.key, t.companyId)
      .where(sql`${t.companyId} is not null`),
    uniqueIndex('config_settings_global_key_uq')
      .on(t.key)
      .where(sql`${t.companyId} is null`),
    check('config_settings_value_type_ck', sql`${t.valueType} in ${sqlList(SETTING_VALUE_TYPES)}`),
  ],
);

/** Who changed which config/lookup row, with before and after values. */
export const configAuditLog = sqliteTable(
  'config_audit_log',
  {
    id: id(),
    tableName: text('table_name').notNull(),
    recordId: integer('record_id').notNull(),
    action: text('action', { enum: ['create', 'update', 'delete', 'restore'] }).notNull(),
    oldValues: json<Record<string, unknown>>('old_values'),
    newValues: json<Record<string, unknown>>('new_values'),
    userId: integer('user_id').references(() => users.id),
    ip: text('ip'),
    requestId: text('request_id'),
    /** The maker-checker request this change was applied through (decision 101), null for a direct change. */
    changeRequestId: integer('change_request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('config_audit_log_table_record_idx').on(t.tableName, t.recordId),
    index('config_audit_log_created_idx').on(t.createdAt),
    index('config_audit_log_request_idx').on(t.requestId),
  ],
);

export type ConfigSetting = typeof configSettings.$inferSelect;
export type ConfigOption = typeof configOptions.$inferSelect;
export type ConfigAuditLog = typeof configAuditLog.$inferSelect;
