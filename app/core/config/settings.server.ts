import { eq, isNull, or } from 'drizzle-orm';
import { configSettings } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import { settingBoundsIssue } from './setting-bounds';

export const globalSettingsKey = 'settings:global';
export const companySettingsKey = (companyId: number) => `settings:company:${companyId}`;

/** Global settings as typed values, cached (settings policy). */
export async function globalSettings(ctx: AppContext): Promise<Record<string, string | number | boolean | unknown>> {
  return cached(ctx.cache, globalSettingsKey, cachePolicies.settings, async () => {
    const rows = await ctx.db
      .select({ key: configSettings.key, value: configSettings.value, type: configSettings.valueType })
      .from(configSettings)
      .where(isNull(configSettings.companyId));
    return Object.fromEntries(rows.map((r) => [r.key, typedValue(r.value, r.type)]));
  });
}

/** One company's settings: its own rows over the global ones, typed, cached per company. */
export async function companySettings(ctx: AppContext, companyId: number): Promise<Record<string, unknown>> {
  return cached(ctx.cache, companySettingsKey(companyId), cachePolicies.settings, async () => {
    const rows = await ctx.db
      .select({ key: configSettings.key, value: configSettings.value, type: configSettings.valueType, companyId: configSettings.companyId })
      .from(configSettings)
      .where(or(isNull(configSettings.companyId), eq(configSettings.companyId, companyId)));
    const out: Record<string, unknown> = {};
    for (const r of rows.filter((r) => r.companyId === null)) out[r.key] = typedValue(r.value, r.type);
    for (const r of rows.filter((r) => r.companyId !== null)) out[r.key] = typedValue(r.value, r.type);
    return out;
  });
}

export async function numberSetting(ctx: AppContext, key: string, fallback: number): Promise<number> {
  const value = (await globalSettings(ctx))[key];
  // A value outside the setting's range (stored before the range existed) reads as the default.
  return typeof value === 'number' && Number.isFinite(value) && settingBoundsIssue(key, value) === null ? value : fallback;
}

/** Why a value does not fit its setting type, or the setting's range (null: it fits). The admin form's rule. */
export function settingValueIssue(type: string, value: string, key?: string): string | null {
  const v = value.trim();
  switch (type) {
    case 'number':
      if (!(/^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)))) return `"${v.slice(0, 20)}" is not a number (e.g. 60 or 2.5).`;
      return key ? settingBoundsIssue(key, Number(v)) : null;
    case 'boolean':
      return v === 'true' || v === 'false' ? null : 'Enter true or false.';
    case 'json':
      try {
        JSON.parse(v);
        return null;
      } catch {
        return 'Not valid JSON (e.g. {"a": 1} or [1, 2]).';
      }
    case 'string':
      return null;
    default:
      return 'Choose a type.';
  }
}

function typedValue(value: string, type: string): unknown {
  if (type === 'number') return Number(value);
  if (type === 'boolean') return value === 'true';
  if (type === 'json') {
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value;
}
