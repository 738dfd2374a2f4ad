// Which changes wait for a second person (maker-checker, decision 101), and the company setting that
// switches each on. Pure data: the approvals screen and the config screen show the labels.

export const CHECKED_ACTIONS = {
  'user.grants': { label: 'Change a user’s permissions or role', setting: 'checker_user_grants' },
} as const;

export type CheckedAction = keyof typeof CHECKED_ACTIONS;

/** A request's remark (why) and a rejection's reason: required, short enough for the list. */
export const REMARK_LIMITS = { min: 3, max: 500 } as const;

/** How long a request waits before it expires (setting approval_request_days, 1–90). */
export const DEFAULT_REQUEST_DAYS = 7;
