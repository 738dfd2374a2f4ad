// Which changes wait for a second person (maker-checker, decision 101), the company setting that
// switches each, and whether it is checked when the company has not set it (domain.md "Four eyes":
// grants, territory/company and status reversals are checked by default; the rest when switched on).
// Pure data: the approvals screen and the config screen show the labels.

export const CHECKED_ACTIONS = {
  'user.grants': { label: 'Change a user’s permissions or role', setting: 'checker_user_grants', default: true },
  'user.territory': { label: 'Change a user’s territory (branches and areas, and so their company)', setting: 'checker_user_territory', default: true },
  'user.activate': { label: 'Reactivate a deactivated user', setting: 'checker_user_activation', default: false },
  // Also checked, whatever this switch says, while any other switch of the company is on (checker-rules.server.ts).
  'config.checker': { label: 'Change which changes wait for approval', setting: 'checker_settings', default: false },
  'config.lookup': { label: 'Create or edit a status type or status reason', setting: 'checker_status_lookups', default: false },
  'config.setting': {
    label: 'Change a sensitive setting (sign-in, passwords, sessions, limits, retention)',
    setting: 'checker_sensitive_settings',
    default: false,
  },
  'status.revert': { label: 'Move a client’s status back, or change a DONE status', setting: 'checker_status_reversals', default: true },
  'status.reinstate': { label: 'Reinstate a terminal client', setting: 'checker_status_reversals', default: true },
  // A number, not a switch: a bulk update of more clients than this waits (unset or 0: never).
  'status.bulk': { label: 'Bulk status update above a size', setting: 'checker_bulk_status_size', default: false },
} as const;

export type CheckedAction = keyof typeof CHECKED_ACTIONS;

/**
 * Settings an auditor asks about (config.setting, when a company switches checker_sensitive_settings
 * on): who may sign in and how often, password and session rules, request limits, how long the trail
 * is kept, and where the warehouse data comes from.
 */
export function isSensitiveSetting(key: string): boolean {
  return (
    /^(login_|password_|session_|rate_)/.test(key) ||
    key.endsWith('_retention_days') ||
    ['temporary_password_hours', 'snowflake_source_view', 'export_link_ttl_minutes'].includes(key)
  );
}

/** Settings whose change is itself a checked action (config.checker): every switch, and how long a request waits. */
export function isCheckerSetting(key: string): boolean {
  return key.startsWith('checker_') || key === 'approval_request_days';
}

/** A request's remark (why) and a rejection's reason: required, short enough for the list. */
export const REMARK_LIMITS = { min: 3, max: 500 } as const;

/** How long a request waits before it expires (setting approval_request_days, 1–90). */
export const DEFAULT_REQUEST_DAYS = 7;
