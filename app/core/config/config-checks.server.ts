// The rules of a config form that need the database or the row (run inside the write transaction):
// unique codes, system rows keep their code, references of the right company, a sequence no other
// step of the same company uses, options one level deep. Each failure names its field.
import { and, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { configOptions, pensionTypes, statusTypes } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { columnsOf, type ConfigRow } from './config-rows.server';
import type { ConfigTable } from './config-tables.server';
import type { FormValues } from './form-fields';
import { settingValueIssue } from './settings.server';

export interface FieldFailure {
  field: string | null;
  message: string;
}

type Tx = Pick<AppContext['db'], 'select'>;

/** Zod-level rules that need no database: a setting's value must match its type and its range (setting-bounds.ts). */
export function formRules(def: ConfigTable, row: ConfigRow | null) {
  return {
    mode: row ? ('edit' as const) : ('create' as const),
    refine:
      def.slug !== 'settings'
        ? undefined
        : (values: FormValues, ctx: z.RefinementCtx) => {
            const type = String(row?.valueType ?? values.valueType ?? '');
            const issue = type ? settingValueIssue(type, String(values.value ?? ''), String(row?.key ?? values.key ?? '')) : null;
            if (issue) ctx.addIssue({ code: 'custom', path: ['value'], message: issue });
          },
  };
}

const nullSafeEq = (col: Parameters<typeof eq>[0], value: unknown): SQL => (value === null || value === undefined ? isNull(col) : eq(col, value));

/** Checks of one create (row null) or edit; `next` is the row as it would be saved. */
export async function checkConfigValues(tx: Tx, def: ConfigTable, next: Record<string, unknown>, row: ConfigRow | null): Promise<FieldFailure | null> {
  const cols = columnsOf(def);
  const key = def.keyField;
  if (row && def.system && row.isSystem && next[key] !== row[key]) {
    return { field: key, message: `A system ${def.noun.toLowerCase()} keeps its code (${String(row[key])}); the app refers to it.` };
  }
  const clash = await tx
    .select({ id: cols.id })
    .from(def.table)
    .where(and(eq(cols[key], next[key]), ...def.uniqueWith.map((c) => nullSafeEq(cols[c], next[c])), row ? ne(cols.id, row.id) : undefined))
    .limit(1);
  if (clash.length) {
    const where = def.uniqueWith.length
      ? ` in this ${def.uniqueWith.map((c) => c.replace(/Id$/, '').replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`)).join(' and ')}`
      : '';
    return { field: key, message: `${key === 'key' ? 'Key' : 'Code'} ${String(next[key])} is already used${where}.` };
  }
  switch (def.slug) {
    case 'products': {
      if (next.pensionTypeId === null) return null;
      const [type] = await tx
        .select({ companyId: pensionTypes.companyId })
        .from(pensionTypes)
        .where(eq(pensionTypes.id, Number(next.pensionTypeId)));
      return type?.companyId === next.companyId ? null : { field: 'pensionTypeId', message: "Choose a pension type of the product's company." };
    }
    case 'status-types': {
      const company = (next.companyId as number | null) ?? null;
      const [taken] = await tx
        .select({ name: statusTypes.name })
        .from(statusTypes)
        .where(
          and(
            eq(statusTypes.sequence, Number(next.sequence)),
            row ? ne(statusTypes.id, row.id) : undefined,
            company === null ? undefined : or(isNull(statusTypes.companyId), eq(statusTypes.companyId, company)),
          ),
        )
        .limit(1);
      return taken ? { field: 'sequence', message: `Sequence ${String(next.sequence)} is already used by ${taken.name}.` } : null;
    }
    case 'config-options': {
      if (next.parentOptionId === null) return null;
      if (row) {
        const [child] = await tx.select({ id: configOptions.id }).from(configOptions).where(eq(configOptions.parentOptionId, row.id)).limit(1);
        if (child) return { field: 'parentOptionId', message: 'This option has sub-options of its own; it stays at the top level.' };
      }
      const [parent] = await tx
        .select({ categoryId: configOptions.categoryId, companyId: configOptions.companyId, parentOptionId: configOptions.parentOptionId })
        .from(configOptions)
        .where(eq(configOptions.id, Number(next.parentOptionId)));
      if (!parent || parent.parentOptionId !== null || parent.categoryId !== next.categoryId) {
        return { field: 'parentOptionId', message: 'Choose a top-level option of the same category.' };
      }
      if (parent.companyId !== null && parent.companyId !== next.companyId) {
        return { field: 'parentOptionId', message: "That option belongs to another company; choose one of this option's company or a shared one." };
      }
      return null;
    }
    default:
      return null;
  }
}
