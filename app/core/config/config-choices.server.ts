// The options of a config form's selects, per request. For a write they are exactly what the
// admin may choose (active rows, companies they manage), so the schema built from the fields
// refuses anything else as a field error; for display (read-only viewers) they name what is there.
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { configCategories, configOptions, pensionTypes, statusTypes, updateStatuses } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { ConfigReach } from './config-reach.server';
import type { ConfigRow } from './config-rows.server';
import type { Choices, ConfigTable } from './config-tables.server';

export type ChoicesPurpose = 'write' | 'display';

const opt = (id: number, label: string) => ({ value: String(id), label });

/** Active rows (write) plus the row's current value, so an unchanged reference never fails. */
function activeOr(isActive: SQL, idCol: SQL | undefined): SQL | undefined {
  return idCol ? or(isActive, idCol) : isActive;
}

export async function configChoices(ctx: AppContext, def: ConfigTable, reach: ConfigReach, purpose: ChoicesPurpose, row?: ConfigRow | null): Promise<Choices> {
  const write = purpose === 'write';
  const companyIds = write ? reach.manageIds : reach.readIds;
  const companyCode = new Map(reach.companies.map((c) => [c.id, c.code]));
  const cur = (key: string) => (row && typeof row[key] === 'number' ? (row[key] as number) : null);
  const fields = new Set(
    def.fields({ companies: [], shared: true, pensionTypes: [], statusTypes: [], categories: [], parentOptions: [], updateStatuses: [] }).map((f) => f.name),
  );

  const pensionRows = fields.has('pensionTypeId')
    ? await ctx.db
        .select({ id: pensionTypes.id, name: pensionTypes.name, companyId: pensionTypes.companyId })
        .from(pensionTypes)
        .where(
          and(
            // On edit only the product's own company; on create every company the admin may choose.
            row ? eq(pensionTypes.companyId, Number(row.companyId)) : companyIds.length ? inArray(pensionTypes.companyId, companyIds) : sql`0`,
            write ? activeOr(eq(pensionTypes.isActive, true), cur('pensionTypeId') ? eq(pensionTypes.id, cur('pensionTypeId')!) : undefined) : undefined,
          ),
        )
        .orderBy(asc(pensionTypes.companyId), asc(pensionTypes.sortOrder))
    : [];

  const statusRows = fields.has('statusTypeId')
    ? await ctx.db
        .select({ id: statusTypes.id, name: statusTypes.name, companyId: statusTypes.companyId })
        .from(statusTypes)
        .where(
          and(
            or(write && !reach.manageShared ? sql`0` : isNull(statusTypes.companyId), companyIds.length ? inArray(statusTypes.companyId, companyIds) : sql`0`),
            write ? eq(statusTypes.isActive, true) : undefined,
          ),
        )
        .orderBy(asc(statusTypes.sequence))
    : [];

  const categoryRows = fields.has('categoryId')
    ? await ctx.db
        .select({ id: configCategories.id, name: configCategories.name })
        .from(configCategories)
        .where(write ? eq(configCategories.isActive, true) : undefined)
        .orderBy(asc(configCategories.sortOrder))
    : [];

  const parentRows = fields.has('parentOptionId')
    ? await ctx.db
        .select({ id: configOptions.id, label: configOptions.label, categoryId: configOptions.categoryId, category: configCategories.name })
        .from(configOptions)
        .innerJoin(configCategories, eq(configCategories.id, configOptions.categoryId))
        .where(
          and(
            isNull(configOptions.parentOptionId),
            row ? eq(configOptions.categoryId, Number(row.categoryId)) : undefined,
            or(isNull(configOptions.companyId), companyIds.length ? inArray(configOptions.companyId, companyIds) : undefined),
          ),
        )
        .orderBy(asc(configCategories.sortOrder), asc(configOptions.sortOrder))
    : [];

  const updateRows = fields.has('updateStatusIds')
    ? await ctx.db
        .select({ id: updateStatuses.id, name: updateStatuses.name, code: updateStatuses.code, isActive: updateStatuses.isActive })
        .from(updateStatuses)
        .orderBy(asc(updateStatuses.sortOrder))
    : [];
  const linked = new Set(Array.isArray(row?.updateStatusIds) ? (row!.updateStatusIds as number[]) : []);

  return {
    companies: reach.companies.filter((c) => companyIds.includes(c.id)).map((c) => opt(c.id, c.code)),
    shared: write ? reach.manageShared : true,
    pensionTypes: pensionRows.map((p) => opt(p.id, `${p.name} (${companyCode.get(p.companyId) ?? '?'})`)),
    statusTypes: statusRows.map((s) => opt(s.id, s.companyId ? `${s.name} (${companyCode.get(s.companyId) ?? '?'})` : s.name)),
    categories: categoryRows.map((c) => opt(c.id, c.name)),
    parentOptions: parentRows.filter((p) => p.id !== row?.id).map((p) => opt(p.id, row ? p.label : `${p.category} › ${p.label}`)),
    updateStatuses: updateRows.filter((u) => !write || u.isActive || linked.has(u.id)).map((u) => opt(u.id, `${u.name} (${u.code})`)),
  } satisfies Choices;
}
