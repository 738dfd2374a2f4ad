// Which changes wait for a second person (maker-checker, decision 101), and the company setting that
// switches each on. Pure data: the approvals screen and the config screen show the labels.

// `default`: whether the action waits for a checker in a company that has no setting for it
// (domain.md "Four eyes": reversals and reinstatements are checked unless a company turns them off).
export const CHECKED_ACTIONS = {
  'user.grants': { label: 'Change a user’s permissions or role', setting: 'checker_user_grants', default: false },
  'status.revert': { label: 'Move a client’s status back, or change a DONE status', setting: 'checker_status_reversals', default: true },
  'status.reinstate': { label: 'Reinstate a terminal client', setting: 'checker_status_reversals', default: true },
  // A number, not a switch: a bulk update of more clients than this waits (unset or 0: never).
  'status.bulk': { label: 'Bulk status update above a size', setting: 'checker_bulk_status_size', default: false },
} as const;

export type CheckedAction = keyof typeof CHECKED_ACTIONS;

/** A request's remark (why) and a rejection's reason: required, short enough for the list. */
export const REMARK_LIMITS = { min: 3, max: 500 } as const;

/** How long a request waits before it expires (setting approval_request_days, 1–90). */
export const DEFAULT_REQUEST_DAYS = 7;
