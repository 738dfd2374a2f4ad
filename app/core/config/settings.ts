import { isNull } from "drizzle-orm";
import { configSettings } from "../../../db/schema";
import { cachePolicies, cached } from "../../platform/cache/cache";
import type { AppContext } from "../../platform/context";

/** Global settings as typed values, cached (settings policy). */
export async function globalSettings(ctx: AppContext): Promise<Record<string, string | number | boolean | unknown>> {
  return cached(ctx.cache, "settings:global", cachePolicies.settings, async () => {
    const rows = await ctx.db
      .select({ key: configSettings.key, value: configSettings.value, type: configSettings.valueType })
      .from(configSettings)
      .where(isNull(configSettings.companyId));
    return Object.fromEntries(rows.map((r) => [r.key, typedValue(r.value, r.type)]));
  });
}

export async function numberSetting(ctx: AppContext, key: string, fallback: number): Promise<number> {
  const value = (await globalSettings(ctx))[key];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function typedValue(value: string, type: string): unknown {
  if (type === "number") return Number(value);
  if (type === "boolean") return value === "true";
  if (type === "json") {
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value;
}

