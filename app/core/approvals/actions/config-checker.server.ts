// Settings as checked actions (decision 101). config.checker: the maker-checker switches themselves
// (every checker_* setting, and approval_request_days); while a company checks anything, changing one
// of its switches (turning a check off included) waits for a second admin. config.setting: a
// sensitive setting (checked-actions.ts isSensitiveSetting), while the company checks those.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { companies, configSettings, type ChangeRequest } from '../../../../db/schema';
import type { AppContext } from '../../../platform/context';
import type { ConfigReach } from '../../config/config-reach.server';
import type { ConfigRow } from '../../config/config-rows.server';
import { configTable, type ConfigTable } from '../../config/config-tables.server';
import type { FormValues } from '../../config/form-fields';
import { settingValueIssue } from '../../config/settings.server';
import type { CheckedActionHandler } from '../checked-action.server';
import { applyConfigRequest, coversConfigPayload } from './config-requests.server';
import { checkedCompanies } from '../checker-rules.server';
import { isCheckerSetting, isSensitiveSetting, type CheckedAction } from '../checked-actions';
import { askForChange, remarkIssue } from '../request-store.server';

const payload = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,80}$/),
  /** null: the shared row (every company). */
  companyId: z.number().int().positive().nullable(),
  valueType: z.enum(['string', 'number', 'boolean', 'json']),
  value: z.string().max(4000),
  description: z.string().max(500).nullable(),
  isPublic: z.boolean(),
  /** The companies the setting applies to: the checker manages config company-wide in each. */
  companyIds: z.array(z.number().int().positive()).min(1).max(50),
});
type Payload = z.infer<typeof payload>;

/** A setting's state as a request compares it: its value and type, or null when unset. */
const stateOf = (row: ConfigRow | null) => ({ row: row ? { value: String(row.value), valueType: String(row.valueType) } : null });

const settingsTable = () => configTable('settings')!;

/** The handler of a setting change: `action`, for the keys `isKey` names, applied through saveConfigRow. */
function settingHandler(action: 'config.checker' | 'config.setting', isKey: (key: string) => boolean): CheckedActionHandler<Payload> {
  return {
    action,
    permission: 'config:manage',
    covers: coversConfigPayload(payload),
    payload,
    async apply(ctx, checker, row, p, decide) {
      if (!isKey(p.key)) return { ok: false, message: 'This request does not change a setting of its kind.' };
      const [existing] = await ctx.db
        .select({ id: configSettings.id })
        .from(configSettings)
        .where(and(eq(configSettings.key, p.key), p.companyId === null ? isNull(configSettings.companyId) : eq(configSettings.companyId, p.companyId)));
      const values: FormValues = {
        key: p.key,
        companyId: p.companyId,
        valueType: p.valueType,
        value: p.value,
        description: p.description,
        isPublic: p.isPublic,
      };
      return applyConfigRequest(ctx, checker, row, decide, { def: settingsTable(), id: existing?.id ?? null, values, stateOf });
    },
    diff: settingDiff,
  };
}

function settingDiff(row: ChangeRequest) {
  const p = payload.safeParse(row.payload);
  if (!p.success) return [];
  const before = (row.before as { row?: { value: string } | null }).row;
  return [{ field: `${p.data.key}${p.data.companyId === null ? ' (all companies)' : ''}`, old: before ? before.value : 'unset (default)', new: p.data.value }];
}

export const configCheckerHandler = settingHandler('config.checker', isCheckerSetting);
export const configSettingHandler = settingHandler('config.setting', (key) => isSensitiveSetting(key) && !isCheckerSetting(key));

export type SettingRequestResult = { ok: true; requestId: number } | { ok: false; message: string; field?: string };

/**
 * The settings screen's save, where it changes a maker-checker switch of a company that checks
 * anything: a pending request (a remark required) instead of the write. null: not such a change,
 * the caller saves it directly.
 */
export async function askSettingChange(
  ctx: AppContext,
  def: ConfigTable,
  who: { userId: number; reach: ConfigReach },
  id: number | null,
  values: FormValues,
  remark: string | null,
): Promise<SettingRequestResult | null> {
  if (def.slug !== 'settings') return null;
  const [existing] = id === null ? [] : await ctx.db.select().from(configSettings).where(eq(configSettings.id, id));
  const key = String(existing?.key ?? values.key ?? '');
  const action = settingAction(key);
  if (!action) return null;
  const companyId = existing ? existing.companyId : ((values.companyId as number | null | undefined) ?? null);
  const companyIds = companyId !== null ? [companyId] : (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  const checked = await checkedCompanies(ctx, companyIds, action);
  if (!checked.length) return null;
  const valueType = String(existing?.valueType ?? values.valueType ?? '') as Payload['valueType'];
  const value = String(values.value ?? '').trim();
  const problem = settingValueIssue(valueType, value, key);
  if (problem) return { ok: false, message: problem, field: 'value' };
  const issue = remarkIssue(remark);
  if (issue) return { ok: false, message: issue, field: 'remark' };
  const p = payload.safeParse({
    key,
    companyId,
    valueType,
    value,
    description: (values.description as string | null | undefined) ?? existing?.description ?? null,
    isPublic: Boolean(values.isPublic ?? existing?.isPublic ?? false),
    companyIds,
  });
  if (!p.success) return { ok: false, message: 'That setting cannot be asked for: check the key and value.' };
  return askForChange(ctx, null, {
    action,
    companyId: checked[0],
    targetType: `setting:${key}`,
    targetId: companyId ?? 0,
    payload: p.data,
    before: stateOf(existing ? (existing as unknown as ConfigRow) : null),
    remark: remark ?? '',
    makerId: who.userId,
  });
}

/** Which checked action a change of this setting is, if any. */
function settingAction(key: string): Extract<CheckedAction, 'config.checker' | 'config.setting'> | null {
  if (isCheckerSetting(key)) return 'config.checker';
  return isSensitiveSetting(key) ? 'config.setting' : null;
}

/** Deleting a switch while its company checks anything is refused (it would fall back to the default unchecked). */
export async function settingDeleteRefusal(ctx: AppContext, def: ConfigTable, id: number): Promise<string | null> {
  if (def.slug !== 'settings') return null;
  const [row] = await ctx.db.select().from(configSettings).where(eq(configSettings.id, id));
  const action = row ? settingAction(row.key) : null;
  if (!row || !action || row.companyId === null) return null;
  if (!(await checkedCompanies(ctx, [row.companyId], action)).length) return null;
  return 'While this company checks changes, a maker-checker setting is not deleted: change its value instead (that waits for approval).';
}
