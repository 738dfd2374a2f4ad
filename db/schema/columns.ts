// Column builders shared by every schema file (see docs/CONVENTIONS-db.md).
// Each call returns a fresh builder: drizzle builders must not be shared between tables.
import { sql } from 'drizzle-orm';
import { integer, text } from 'drizzle-orm/sqlite-core';

/** Current UTC time in integer ms, computed by SQLite so set-based INSERT … SELECT gets it too. */
export const nowMs = sql`(cast((julianday('now') - 2440587.5) * 86400000 as integer))`;

export const id = () => integer('id').primaryKey({ autoIncrement: true });

/** Nullable UTC timestamp (integer ms). */
export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const createdAt = () => timestamp('created_at').notNull().default(nowMs);

export const updatedAt = () =>
  timestamp('updated_at')
    .notNull()
    .default(nowMs)
    .$onUpdate(() => new Date());

export const bool = (name: string) => integer(name, { mode: 'boolean' });

/** JSON stored as text (readable from raw SQL with json_extract). */
export const json = <T = unknown>(name: string) => text(name, { mode: 'json' }).$type<T>();

/** Columns every lookup row carries. created_by is a plain id (no FK): lookups are seeded before any user exists. */
export const lookupColumns = () => ({
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  isSystem: bool('is_system').notNull().default(false),
  isActive: bool('is_active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const PERIOD_TYPES = ['monthly', 'quarterly'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const SCOPES = ['self', 'branch', 'area', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** SQL list literal for CHECK constraints: ('a','b'). Values are our own constants, never user input. */
export const sqlList = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v}'`).join(',')})`);
