// Territory: companies own areas and branches; an area groups branches (area_branches).
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, createdAt, id, sqlList, timestamp, updatedAt } from './columns';
import { companies } from './lookups';

export const areas = sqliteTable(
  'areas',
  {
    id: id(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    isActive: bool('is_active').notNull().default(true),
    deletedAt: timestamp('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Area codes repeat across companies (FCASH NCR and PCNI NCR).
  (t) => [uniqueIndex('areas_company_code_uq').on(t.companyId, t.code)],
);

export const branches = sqliteTable(
  'branches',
  {
    id: id(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    // Globally unique: the Snowflake feed identifies a branch by BRANCH_CODE alone.
    code: text('code').notNull(),
    name: text('name').notNull(),
    location: text('location'),
    category: text('category'),
    isActive: bool('is_active').notNull().default(true),
    deletedAt: timestamp('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('branches_code_uq').on(t.code), index('branches_company_idx').on(t.companyId)],
);

export const areaBranches = sqliteTable(
  'area_branches',
  {
    id: id(),
    areaId: integer('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'cascade' }),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id, { onDelete: 'cascade' }),
    isPrimary: bool('is_primary').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('area_branches_area_branch_uq').on(t.areaId, t.branchId),
    index('area_branches_branch_idx').on(t.branchId),
    // At most one primary area per branch.
    uniqueIndex('area_branches_one_primary_uq')
      .on(t.branchId)
      .where(sql`${t.isPrimary} = 1`),
  ],
);

export const BRANCH_CONTACT_TYPES = ['phone', 'email'] as const;

export const branchContacts = sqliteTable(
  'branch_contacts',
  {
    id: id(),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id, { onDelete: 'cascade' }),
    contactType: text('contact_type', { enum: BRANCH_CONTACT_TYPES }).notNull(),
    value: text('value').notNull(),
    label: text('label'),
    isPrimary: bool('is_primary').notNull().default(false),
    deletedAt: timestamp('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('branch_contacts_branch_idx').on(t.branchId), check('branch_contacts_type_ck', sql`${t.contactType} in ${sqlList(BRANCH_CONTACT_TYPES)}`)],
);

export type Area = typeof areas.$inferSelect;
export type Branch = typeof branches.$inferSelect;
export type AreaBranch = typeof areaBranches.$inferSelect;
export type BranchContact = typeof branchContacts.$inferSelect;
