// Accounts, grants, territory assignments, sessions and role templates.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { SCOPES, bool, createdAt, id, sqlList, timestamp, updatedAt } from './columns';
import { companies } from './lookups';
import { areas, branches } from './organization';

export const users = sqliteTable(
  'users',
  {
    id: id(),
    // Stored lower-cased by the app, so the unique index is case-insensitive in effect.
    email: text('email').notNull(),
    fullName: text('full_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: bool('must_change_password').notNull().default(true),
    passwordChangedAt: timestamp('password_changed_at'),
    lastLoginAt: timestamp('last_login_at'),
    loginCount: integer('login_count').notNull().default(0),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until'),
    isActive: bool('is_active').notNull().default(true),
    /**
     * Moves on with every change of the user's grants, territory or active state (decision 101): the
     * admin forms carry it, so a change asked on an outdated page is refused (409), a forged one 400.
     */
    accessVersion: integer('access_version').notNull().default(0),
    deletedAt: timestamp('deleted_at'),
    createdBy: integer('created_by').references((): AnySQLiteColumn => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

export const permissions = sqliteTable(
  'permissions',
  {
    id: id(),
    code: text('code').notNull(), // e.g. status:update
    name: text('name').notNull(),
    description: text('description'),
    isSystem: bool('is_system').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('permissions_code_uq').on(t.code)],
);

/** One grant = permission + company + scope. */
export const userPermissions = sqliteTable(
  'user_permissions',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    permissionId: integer('permission_id')
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    scope: text('scope', { enum: SCOPES }).notNull(),
    grantedBy: integer('granted_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('user_permissions_user_perm_company_uq').on(t.userId, t.permissionId, t.companyId),
    check('user_permissions_scope_ck', sql`${t.scope} in ${sqlList(SCOPES)}`),
  ],
);

export const userBranches = sqliteTable(
  'user_branches',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id, { onDelete: 'cascade' }),
    assignedBy: integer('assigned_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_branches_user_branch_uq').on(t.userId, t.branchId), index('user_branches_branch_idx').on(t.branchId)],
);

export const userAreas = sqliteTable(
  'user_areas',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    areaId: integer('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'cascade' }),
    assignedBy: integer('assigned_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_areas_user_area_uq').on(t.userId, t.areaId), index('user_areas_area_idx').on(t.areaId)],
);

export const SESSION_END_REASONS = [
  'logout',
  'idle_timeout',
  'absolute_timeout',
  'password_changed',
  'deactivated',
  'revoked_by_user',
  'revoked_by_admin',
  /** A new sign-in on the same browser replaced it. */
  'replaced',
] as const;

/** Only the SHA-256 of the cookie token is stored. */
export const userSessions = sqliteTable(
  'user_sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(), // absolute expiry
    ip: text('ip'),
    userAgent: text('user_agent'),
    endedAt: timestamp('ended_at'),
    endReason: text('end_reason', { enum: SESSION_END_REASONS }),
  },
  (t) => [uniqueIndex('user_sessions_token_hash_uq').on(t.tokenHash), index('user_sessions_user_idx').on(t.userId)],
);

/** Bundles of grants an admin applies to a user for one company. company_id set = only for that company. */
export const roleTemplates = sqliteTable(
  'role_templates',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    companyId: integer('company_id').references(() => companies.id),
    isSystem: bool('is_system').notNull().default(false),
    isActive: bool('is_active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('role_templates_code_uq').on(t.code)],
);

export const roleTemplateGrants = sqliteTable(
  'role_template_grants',
  {
    id: id(),
    roleTemplateId: integer('role_template_id')
      .notNull()
      .references(() => roleTemplates.id, { onDelete: 'cascade' }),
    permissionId: integer('permission_id')
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
    scope: text('scope', { enum: SCOPES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_template_grants_template_perm_uq').on(t.roleTemplateId, t.permissionId),
    check('role_template_grants_scope_ck', sql`${t.scope} in ${sqlList(SCOPES)}`),
  ],
);

/** The role template last applied to a user for a company: what the admin screens call the user's role. */
export const userRoles = sqliteTable(
  'user_roles',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    roleTemplateId: integer('role_template_id')
      .notNull()
      .references(() => roleTemplates.id),
    assignedBy: integer('assigned_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_roles_user_company_uq').on(t.userId, t.companyId), index('user_roles_template_idx').on(t.roleTemplateId)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Permission = typeof permissions.$inferSelect;
export type UserPermission = typeof userPermissions.$inferSelect;
export type UserSession = typeof userSessions.$inferSelect;
export type RoleTemplate = typeof roleTemplates.$inferSelect;
