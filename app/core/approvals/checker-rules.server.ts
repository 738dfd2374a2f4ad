import type { AppContext } from '../../platform/context';
import { companySettings, numberSetting } from '../config/settings.server';
import { CHECKED_ACTIONS, DEFAULT_REQUEST_DAYS, type CheckedAction } from './checked-actions';

/** One switch as the company has it: its own row, else the shared row, else the action's default. */
function switchOf(settings: Record<string, unknown>, action: CheckedAction): boolean {
  const value = settings[CHECKED_ACTIONS[action].setting];
  if (typeof value === 'number') return value > 0; // a size (status.bulk): on when set above 0
  return typeof value === 'boolean' ? value : CHECKED_ACTIONS[action].default;
}

/**
 * Does this change in this company wait for a checker? The company's switch (default per
 * checked-actions.ts). The switches themselves (config.checker) are checked while ANY switch of the
 * company is on: otherwise one admin could turn a check off and then act alone (decision 101).
 */
export async function needsChecker(ctx: AppContext, companyId: number, action: CheckedAction): Promise<boolean> {
  return needsCheckerIn(await companySettings(ctx, companyId), action);
}

function needsCheckerIn(settings: Record<string, unknown>, action: CheckedAction): boolean {
  if (action === 'config.checker') return (Object.keys(CHECKED_ACTIONS) as CheckedAction[]).some((a) => switchOf(settings, a));
  return switchOf(settings, action);
}

/** Above how many clients a bulk status update waits for a checker in this company (null: never; unset or 0). */
export async function bulkCheckSize(ctx: AppContext, companyId: number): Promise<number | null> {
  const value = (await companySettings(ctx, companyId))[CHECKED_ACTIONS['status.bulk'].setting];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** When a request made now expires. */
export async function requestExpiry(ctx: AppContext): Promise<Date> {
  const days = await numberSetting(ctx, 'approval_request_days', DEFAULT_REQUEST_DAYS);
  return new Date(ctx.clock.now().getTime() + days * 24 * 60 * 60 * 1000);
}

/** Of these companies, the ones where `action` waits for a checker. */
export async function checkedCompanies(ctx: AppContext, companyIds: number[], action: CheckedAction): Promise<number[]> {
  return checkedAmong(await checkerSettingsOf(ctx, companyIds), companyIds, action);
}

/** The settings of these companies, read together: a page asks checkedAmong several questions after one read. */
export type CheckerSettings = ReadonlyMap<number, Record<string, unknown>>;

export async function checkerSettingsOf(ctx: AppContext, companyIds: readonly number[]): Promise<CheckerSettings> {
  const settings = await Promise.all(companyIds.map((id) => companySettings(ctx, id)));
  return new Map(companyIds.map((id, i) => [id, settings[i]]));
}

/** checkedCompanies from settings read beforehand (checkerSettingsOf); each company must be among them. */
export function checkedAmong(settings: CheckerSettings, companyIds: readonly number[], action: CheckedAction): number[] {
  return companyIds.filter((id) => {
    const own = settings.get(id);
    if (!own) throw new Error(`checker settings of company ${id} were not read`);
    return needsCheckerIn(own, action);
  });
}
