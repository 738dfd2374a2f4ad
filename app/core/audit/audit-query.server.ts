// Reading config_audit_log for the viewer and its CSV: filters (table, record, user, Manila date
// range), newest first, and the reach: an admin whose config:read covers every company sees every
// row; otherwise only rows of shared tables and of records of their companies, and for branch-owned
// tables (branches, contacts, user and area links) only branches of their territory (decision 072).
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { configAuditLog, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { ConfigReach } from '../config/config-reach.server';
import { pageCount, pagingFrom } from '../paging/paging';
import { likeContains } from '../search/like.server';
import { idField } from '../ids/record-id';
import { maxLengthOf } from '../config/form-fields';
import { auditFilterFields } from './audit-filter-fields';
import { withApprovalTrails } from './approval-trail.server';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'is not a real date');
const blank = (v: unknown) => (v === '' ? undefined : v);

export const auditQuerySchema = z.object({
  table: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z_]{1,40}$/, 'is not a table name')
      .optional(),
  ),
  record: z.preprocess(blank, idField('must be a record id (a whole number)').optional()),
  user: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(maxLengthOf(auditFilterFields.user)!, `is at most ${maxLengthOf(auditFilterFields.user)} characters`)
      .optional(),
  ),
  action: z.preprocess(blank, z.enum(['create', 'update', 'delete', 'restore'], { error: 'must be create, update, delete or restore' }).optional()),
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
});

export type AuditQuery = z.infer<typeof auditQuerySchema> & { page: number; pageSize: number };

export function parseAuditQuery(params: URLSearchParams): { ok: true; query: AuditQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params);
  const r = auditQuerySchema.safeParse(raw);
  if (!r.success) return { ok: false, message: `Filter "${r.error.issues[0].path.join('.')}" ${r.error.issues[0].message}` };
  if (r.data.from && r.data.to && r.data.from > r.data.to) return { ok: false, message: `Filter "from" (${r.data.from}) is after "to" (${r.data.to}).` };
  return { ok: true, query: { ...r.data, ...pagingFrom(raw) } };
}

const manilaDayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

// The company of an audited record: the live row first, else the values it was deleted with.
const rec = sql.raw('config_audit_log.record_id');
const old = (field: string) => sql.raw(`json_extract(config_audit_log.old_values, '$.${field}')`);
const own = (table: string) => sql`coalesce((select company_id from ${sql.raw(table)} where id = ${rec}), ${old('companyId')})`;
const via = (table: string, fk: string, parent: string) => sql`coalesce(
  (select p.company_id from ${sql.raw(table)} t join ${sql.raw(parent)} p on p.id = t.${sql.raw(fk)} where t.id = ${rec}),
  (select company_id from ${sql.raw(parent)} where id = ${old(fk.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()))}))`;

// The branch of an audited row of a branch-owned table: the live row, else the values it was deleted
// (or, for a link created and later removed, created) with.
const neu = (field: string) => sql.raw(`json_extract(config_audit_log.new_values, '$.${field}')`);
const branchVia = (table: string) => sql`coalesce((select branch_id from ${sql.raw(table)} where id = ${rec}), ${old('branchId')}, ${neu('branchId')})`;
/** Tables whose rows belong to one branch: read by territory, not only by company (decision 072 addendum). */
const BRANCH_OF: Record<string, SQL> = {
  branches: rec,
  branch_contacts: branchVia('branch_contacts'),
  user_branches: branchVia('user_branches'),
  area_branches: branchVia('area_branches'),
};

/** Tables whose rows belong to a company: how to find it, and whether null means "shared". */
const COMPANY_OF: Record<string, { expr: SQL; nullIsShared: boolean }> = {
  pension_types: { expr: own('pension_types'), nullIsShared: false },
  products: { expr: own('products'), nullIsShared: false },
  status_types: { expr: own('status_types'), nullIsShared: true },
  config_options: { expr: own('config_options'), nullIsShared: true },
  config_settings: { expr: own('config_settings'), nullIsShared: true },
  status_reasons: { expr: via('status_reasons', 'status_type_id', 'status_types'), nullIsShared: true },
  areas: { expr: own('areas'), nullIsShared: false },
  branches: { expr: own('branches'), nullIsShared: false },
  branch_contacts: { expr: via('branch_contacts', 'branch_id', 'branches'), nullIsShared: false },
  area_branches: { expr: via('area_branches', 'area_id', 'areas'), nullIsShared: false },
  user_branches: { expr: via('user_branches', 'branch_id', 'branches'), nullIsShared: false },
};
/** Tables shared by every company: every config reader sees their audit rows. */
const SHARED = ['pensioner_types', 'account_types', 'par_statuses', 'tele_statuses', 'update_statuses', 'config_categories'];

/** A branch-owned row inside the reach: its branch's company read company-wide, or the branch in the territory. */
function branchReach(reach: ConfigReach, branch: SQL): SQL {
  const company = sql`(select company_id from branches where id = ${branch})`;
  const parts = reach.readBranches.map(({ companyId, branchIds }) =>
    branchIds === 'all'
      ? sql`${company} = ${companyId}`
      : branchIds.length
        ? sql`(${company} = ${companyId} and ${branch} in (${sql.join(
            branchIds.map((id) => sql`${id}`),
            sql`, `,
          )}))`
        : sql`0`,
  );
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`0`;
}

export function auditReachCondition(reach: ConfigReach): SQL | undefined {
  if (reach.companies.every((c) => reach.readBranches.some((r) => r.companyId === c.id && r.branchIds === 'all'))) return undefined;
  const ids = reach.readIds.length
    ? sql.join(
        reach.readIds.map((id) => sql`${id}`),
        sql`, `,
      )
    : sql`null`;
  const parts = Object.entries(COMPANY_OF).map(([table, { expr, nullIsShared }]) =>
    BRANCH_OF[table]
      ? sql`(${configAuditLog.tableName} = ${table} and ${branchReach(reach, BRANCH_OF[table])})`
      : sql`(${configAuditLog.tableName} = ${table} and (${expr} in (${ids})${nullIsShared ? sql` or ${expr} is null` : sql``}))`,
  );
  return sql`(${inArray(configAuditLog.tableName, SHARED)} or ${sql.join(parts, sql` or `)})`;
}

function whereOf(reach: ConfigReach, q: AuditQuery): SQL | undefined {
  const parts: Array<SQL | undefined> = [auditReachCondition(reach)];
  if (q.table) parts.push(eq(configAuditLog.tableName, q.table));
  if (q.record) parts.push(eq(configAuditLog.recordId, q.record));
  if (q.action) parts.push(eq(configAuditLog.action, q.action));
  if (q.user) parts.push(/^\d+$/.test(q.user) ? eq(configAuditLog.userId, Number(q.user)) : likeContains(users.email, q.user.toLowerCase()));
  if (q.from) parts.push(gte(configAuditLog.createdAt, manilaDayStart(q.from)));
  if (q.to) parts.push(lt(configAuditLog.createdAt, new Date(manilaDayStart(q.to).getTime() + 86_400_000)));
  return and(...parts);
}

const columns = {
  id: configAuditLog.id,
  tableName: configAuditLog.tableName,
  recordId: configAuditLog.recordId,
  action: configAuditLog.action,
  oldValues: configAuditLog.oldValues,
  newValues: configAuditLog.newValues,
  userId: configAuditLog.userId,
  userEmail: users.email,
  ip: configAuditLog.ip,
  requestId: configAuditLog.requestId,
  changeRequestId: configAuditLog.changeRequestId,
  createdAt: configAuditLog.createdAt,
};

/** One page of audit rows, newest first, with the total. */
export async function auditEntries(ctx: AppContext, reach: ConfigReach, q: AuditQuery) {
  const where = whereOf(reach, q);
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select(columns)
      .from(configAuditLog)
      .leftJoin(users, eq(users.id, configAuditLog.userId))
      .where(where)
      .orderBy(desc(configAuditLog.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ctx.db
      .select({ total: sql<number>`count(*)` })
      .from(configAuditLog)
      .leftJoin(users, eq(users.id, configAuditLog.userId))
      .where(where),
  ]);
  const withTrails = await withApprovalTrails(ctx, rows, (r) => r.changeRequestId);
  return { rows: withTrails, total, page: q.page, pageSize: q.pageSize, pages: pageCount(total, q.pageSize) };
}

/** Rows for the CSV, newest first, in batches below `beforeId` (keyset: no OFFSET over a long export). */
export async function auditBatch(ctx: AppContext, reach: ConfigReach, q: AuditQuery, beforeId: number | null, size: number) {
  const rows = await ctx.db
    .select(columns)
    .from(configAuditLog)
    .leftJoin(users, eq(users.id, configAuditLog.userId))
    .where(and(whereOf(reach, q), beforeId === null ? undefined : lt(configAuditLog.id, beforeId)))
    .orderBy(desc(configAuditLog.id))
    .limit(size);
  return withApprovalTrails(ctx, rows, (r) => r.changeRequestId);
}

/** The table names present in the log (for the filter), within the reach. */
export async function auditedTables(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db.selectDistinct({ t: configAuditLog.tableName }).from(configAuditLog).orderBy(configAuditLog.tableName);
  return rows.map((r) => r.t);
}

export type AuditEntry = Awaited<ReturnType<typeof auditEntries>>['rows'][number];
