// Reading config rows for the generic list and edit screens, always inside the admin's reach
// (config-reach.ts): a row of a company the admin cannot read is never listed and answers 404.
import { and, asc, desc, eq, getTableColumns, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { configCategories, configOptions, pensionTypes, statusTypes, teleStatusUpdateStatuses, updateStatuses } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { pageCount } from '../paging/paging';
import { likeContains } from '../search/like.server';
import type { AdminListQuery, AdminListSpec } from './admin-list-query';
import { canManageCompany, type ConfigReach } from './config-reach.server';
import type { ConfigTable, FilterName } from './config-tables.server';
import type { FieldOption } from './form-fields';

export type ConfigRow = { id: number } & Record<string, unknown>;
type Db = Pick<AppContext['db'], 'select'>;

export function columnsOf(def: ConfigTable): Record<string, SQLiteColumn> {
  return getTableColumns(def.table) as Record<string, SQLiteColumn>;
}

const idsOrNothing = (col: SQLiteColumn, ids: number[]): SQL => (ids.length ? inArray(col, ids) : sql`0`);

/** The WHERE part that keeps rows inside the companies the admin may read. */
export function reachCondition(def: ConfigTable, reach: ConfigReach): SQL | undefined {
  const cols = columnsOf(def);
  switch (def.company) {
    case 'none':
      return undefined;
    case 'required':
      return idsOrNothing(cols.companyId, reach.readIds);
    case 'optional':
      return or(isNull(cols.companyId), idsOrNothing(cols.companyId, reach.readIds));
    case 'statusType':
      return inArray(cols.statusTypeId, sqlVisibleStatusTypes(reach));
  }
}

function sqlVisibleStatusTypes(reach: ConfigReach) {
  return sql`(select ${statusTypes.id} from ${statusTypes} where ${or(isNull(statusTypes.companyId), idsOrNothing(statusTypes.companyId, reach.readIds))})`;
}

/** The company a row belongs to (null: shared by every company). */
export async function rowCompanyId(db: Db, def: ConfigTable, row: Record<string, unknown>): Promise<number | null> {
  if (def.company === 'none') return null;
  if (def.company !== 'statusType') return (row.companyId as number | null) ?? null;
  const [type] = await db
    .select({ companyId: statusTypes.companyId })
    .from(statusTypes)
    .where(eq(statusTypes.id, Number(row.statusTypeId)));
  return type?.companyId ?? null;
}

/** One row by id inside the reach, with display names; null when unknown or out of reach. */
export async function configRow(
  ctx: AppContext,
  def: ConfigTable,
  reach: ConfigReach,
  id: number,
): Promise<(ConfigRow & { canManage: boolean; ownerCompanyId: number | null }) | null> {
  const cols = columnsOf(def);
  const [row] = await ctx.db
    .select()
    .from(def.table)
    .where(and(eq(cols.id, id), reachCondition(def, reach)))
    .limit(1);
  if (!row) return null;
  const [decorated] = await decorate(ctx, def, reach, [row as ConfigRow]);
  const ownerCompanyId = await rowCompanyId(ctx.db, def, row);
  return { ...decorated, ownerCompanyId, canManage: canManageCompany(reach, ownerCompanyId) };
}

/** Why an admin who may read a row may not change it. */
export function notManagedMessage(def: ConfigTable, companyId: number | null): string {
  return companyId === null
    ? `${def.label} shared by every company can be changed only by an admin of every company.`
    : "You cannot change this company's configuration.";
}

/** The filters of a table's list with the values the admin may pick. */
export async function listFilters(
  ctx: AppContext,
  def: ConfigTable,
  reach: ConfigReach,
): Promise<Array<{ name: FilterName; label: string; options: FieldOption[] }>> {
  const out: Array<{ name: FilterName; label: string; options: FieldOption[] }> = [];
  for (const name of def.filters) {
    if (name === 'active')
      out.push({
        name,
        label: 'Active',
        options: [
          { value: '1', label: 'Active' },
          { value: '0', label: 'Inactive' },
        ],
      });
    if (name === 'company') {
      out.push({
        name,
        label: 'Company',
        options: [
          { value: 'shared', label: 'All companies (shared)' },
          ...reach.companies.filter((c) => reach.readIds.includes(c.id)).map((c) => ({ value: String(c.id), label: c.code })),
        ].filter((o) => def.company === 'optional' || o.value !== 'shared'),
      });
    }
    if (name === 'statusType') {
      const rows = await ctx.db
        .select({ id: statusTypes.id, name: statusTypes.name })
        .from(statusTypes)
        .where(inArray(statusTypes.id, sqlVisibleStatusTypes(reach)))
        .orderBy(asc(statusTypes.sequence));
      out.push({ name, label: 'Status', options: rows.map((r) => ({ value: String(r.id), label: r.name })) });
    }
    if (name === 'category') {
      const rows = await ctx.db
        .select({ id: configCategories.id, name: configCategories.name })
        .from(configCategories)
        .orderBy(asc(configCategories.sortOrder));
      out.push({ name, label: 'Category', options: rows.map((r) => ({ value: String(r.id), label: r.name })) });
    }
    if (name === 'valueType') out.push({ name, label: 'Type', options: ['string', 'number', 'boolean', 'json'].map((v) => ({ value: v, label: v })) });
  }
  return out;
}

export function listSpecOf(def: ConfigTable, filters: Awaited<ReturnType<typeof listFilters>>): AdminListSpec {
  return { sorts: def.sorts.map((s) => s.value), filters: Object.fromEntries(filters.map((f) => [f.name, f.options.map((o) => o.value)])) };
}

const SORT_COLUMNS: Record<string, string> = {
  order: 'sortOrder',
  code: 'code',
  name: 'name',
  label: 'label',
  sequence: 'sequence',
  key: 'key',
  updated: 'updatedAt',
};

/** A page of a table's rows inside the reach: search, filters, sort (then id), ≤ 100 per page. */
export async function listConfigRows(ctx: AppContext, def: ConfigTable, reach: ConfigReach, q: AdminListQuery) {
  const cols = columnsOf(def);
  const parts: Array<SQL | undefined> = [reachCondition(def, reach)];
  if (q.q) parts.push(or(...def.searchIn.map((c) => likeContains(cols[c], q.q))));
  const f = q.filters;
  if (f.active) parts.push(eq(cols.isActive, f.active === '1'));
  if (f.company) parts.push(f.company === 'shared' ? isNull(cols.companyId) : eq(cols.companyId, Number(f.company)));
  if (f.statusType) parts.push(eq(cols.statusTypeId, Number(f.statusType)));
  if (f.category) parts.push(eq(cols.categoryId, Number(f.category)));
  if (f.valueType) parts.push(eq(cols.valueType, f.valueType));
  const where = and(...parts);
  const sortCol = cols[SORT_COLUMNS[q.sort] ?? ''] ?? cols.id;
  const order = q.dir === 'desc' ? [desc(sortCol), desc(cols.id)] : [asc(sortCol), asc(cols.id)];
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select()
      .from(def.table)
      .where(where)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ctx.db
      .select({ total: sql<number>`count(*)` })
      .from(def.table)
      .where(where),
  ]);
  const decorated = await decorate(ctx, def, reach, rows as ConfigRow[]);
  const typeIds = def.company === 'statusType' ? [...new Set(decorated.map((r) => Number(r.statusTypeId)))] : [];
  const typeCompany = new Map(
    typeIds.length
      ? (await ctx.db.select({ id: statusTypes.id, companyId: statusTypes.companyId }).from(statusTypes).where(inArray(statusTypes.id, typeIds))).map((t) => [
          t.id,
          t.companyId,
        ])
      : [],
  );
  const owner = (r: ConfigRow) =>
    def.company === 'none' ? null : def.company === 'statusType' ? (typeCompany.get(Number(r.statusTypeId)) ?? null) : ((r.companyId as number | null) ?? null);
  return {
    rows: decorated.map((r) => ({ ...r, canManage: canManageCompany(reach, owner(r)) })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    pages: pageCount(total, q.pageSize),
  };
}

/** Adds display names of the referenced rows (company, status, pension type, category, parent, update statuses). */
async function decorate(ctx: AppContext, def: ConfigTable, reach: ConfigReach, rows: ConfigRow[]): Promise<ConfigRow[]> {
  if (!rows.length) return rows;
  const company = new Map(reach.companies.map((c) => [c.id, c.code]));
  const ids = (key: string) => [...new Set(rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number'))];
  const names = async (key: string, table: typeof statusTypes | typeof pensionTypes | typeof configCategories) =>
    new Map(
      (ids(key).length
        ? await ctx.db
            .select({ id: table.id, name: table.name })
            .from(table)
            .where(inArray(table.id, ids(key)))
        : []
      ).map((r) => [r.id, r.name]),
    );
  const statusNames = 'statusTypeId' in columnsOf(def) ? await names('statusTypeId', statusTypes) : new Map();
  const pensionNames = 'pensionTypeId' in columnsOf(def) ? await names('pensionTypeId', pensionTypes) : new Map();
  const categoryNames = 'categoryId' in columnsOf(def) ? await names('categoryId', configCategories) : new Map();
  const parents =
    def.slug === 'config-options' && ids('parentOptionId').length
      ? new Map(
          (
            await ctx.db
              .select({ id: configOptions.id, label: configOptions.label })
              .from(configOptions)
              .where(inArray(configOptions.id, ids('parentOptionId')))
          ).map((r) => [r.id, r.label]),
        )
      : new Map<number, string>();
  const links =
    def.slug === 'tele-statuses'
      ? await ctx.db
          .select({ teleStatusId: teleStatusUpdateStatuses.teleStatusId, id: updateStatuses.id, code: updateStatuses.code })
          .from(teleStatusUpdateStatuses)
          .innerJoin(updateStatuses, eq(updateStatuses.id, teleStatusUpdateStatuses.updateStatusId))
          .where(
            inArray(
              teleStatusUpdateStatuses.teleStatusId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(updateStatuses.sortOrder))
      : [];
  return rows.map((r) => ({
    ...r,
    ...(def.company === 'required' || def.company === 'optional' ? { company: r.companyId ? (company.get(r.companyId as number) ?? null) : 'All' } : {}),
    ...(def.company === 'statusType' ? { statusType: statusNames.get(r.statusTypeId) ?? null } : {}),
    ...('pensionTypeId' in r ? { pensionType: pensionNames.get(r.pensionTypeId) ?? null } : {}),
    ...('categoryId' in r ? { category: categoryNames.get(r.categoryId) ?? null, parent: parents.get(r.parentOptionId as number) ?? null } : {}),
    ...(def.slug === 'tele-statuses'
      ? {
          updateStatusIds: links.filter((l) => l.teleStatusId === r.id).map((l) => l.id),
          updateStatuses: links
            .filter((l) => l.teleStatusId === r.id)
            .map((l) => l.code)
            .join(', '),
        }
      : {}),
  }));
}

/** Rows per table inside the reach (active / all), for the config index. */
export async function configTableCounts(ctx: AppContext, tables: readonly ConfigTable[], reach: ConfigReach) {
  return Promise.all(
    tables.map(async (def) => {
      const cols = columnsOf(def);
      const [row] = await ctx.db
        .select({
          total: sql<number>`count(*)`,
          active: def.softDelete ? sql<number>`coalesce(sum(${cols.isActive}), 0)` : sql<number>`count(*)`,
        })
        .from(def.table)
        .where(reachCondition(def, reach));
      return { slug: def.slug, total: Number(row.total), active: Number(row.active) };
    }),
  );
}
