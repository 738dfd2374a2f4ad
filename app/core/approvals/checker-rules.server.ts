import type { AppContext } from '../../platform/context';
import { companySettings, numberSetting } from '../config/settings.server';
import { CHECKED_ACTIONS, DEFAULT_REQUEST_DAYS, type CheckedAction } from './checked-actions';

/** Does this change in this company wait for a checker? A company setting; unset, the action's default. */
export async function needsChecker(ctx: AppContext, companyId: number, action: CheckedAction): Promise<boolean> {
  const value = (await companySettings(ctx, companyId))[CHECKED_ACTIONS[action].setting];
  return typeof value === 'boolean' ? value : CHECKED_ACTIONS[action].default;
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
  const flags = await Promise.all(companyIds.map((id) => needsChecker(ctx, id, action)));
  return companyIds.filter((_, i) => flags[i]);
}
