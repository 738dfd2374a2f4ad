// The registry of checked actions (decision 101): one handler per action, each in actions/<action>.server.ts.
import type { CheckedActionHandler } from './checked-action.server';
import type { CheckedAction } from './checked-actions';
import { configCheckerHandler, configSettingHandler } from './actions/config-checker.server';
import { configLookupHandler } from './actions/config-lookup.server';
import { userActivateHandler } from './actions/user-activate.server';
import { userGrantsHandler } from './actions/user-grants.server';
import { userTerritoryHandler } from './actions/user-territory.server';
import { statusBulkHandler } from './actions/status-bulk.server';
import { statusReinstateHandler } from './actions/status-reinstate.server';
import { statusRevertHandler } from './actions/status-revert.server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own payload type
export const CHECKED_HANDLERS: Record<CheckedAction, CheckedActionHandler<any>> = {
  'user.grants': userGrantsHandler,
  'user.territory': userTerritoryHandler,
  'user.activate': userActivateHandler,
  'config.checker': configCheckerHandler,
  'config.setting': configSettingHandler,
  'config.lookup': configLookupHandler,
  'status.revert': statusRevertHandler,
  'status.reinstate': statusReinstateHandler,
  'status.bulk': statusBulkHandler,
};

/** The handler of a stored action name, or null for an action this build does not know (its request is 404). */
export function handlerOf(action: string): CheckedActionHandler<unknown> | null {
  return Object.hasOwn(CHECKED_HANDLERS, action) ? CHECKED_HANDLERS[action as CheckedAction] : null;
}

/** Every permission some handler needs to decide: holding one of them opens /admin/approvals. */
export const CHECKER_PERMISSIONS: readonly string[] = [...new Set(Object.values(CHECKED_HANDLERS).map((h) => h.permission))].sort();
