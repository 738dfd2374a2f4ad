// Who may do what to a user account, beyond the permission itself: the rules of the user page's
// intents that look at the admin and the target (decision 007: nobody changes their own access).
// Pure: the caller passes the facts; the ceiling of each grant and of a territory change is checked
// where they are written (grants.server.ts, territory.server.ts).

export type UserAdminIntent =
  'profile' | 'apply-role' | 'grants' | 'territory' | 'deactivate' | 'reactivate' | 'unlock' | 'reset-password' | 'end-session' | 'end-all-sessions';

export interface UserAdminFacts {
  /** The admin acts on their own account. */
  self: boolean;
  /** For grant changes: the company is one the admin holds users:manage in, for every branch. */
  companyInReach?: boolean;
}

/** Why this admin may not do this to this user, or null when the rules allow it. */
export function userAdminRefusal(intent: UserAdminIntent, facts: UserAdminFacts): string | null {
  switch (intent) {
    case 'apply-role':
    case 'grants':
      if (!facts.companyInReach) return 'You cannot change permissions in this company.';
      return facts.self ? 'Ask another admin to change your own permissions.' : null;
    case 'deactivate':
    case 'reactivate':
      return facts.self ? 'You cannot deactivate your own account.' : null;
    case 'reset-password':
      return facts.self ? 'Use Change password for your own account.' : null;
    default:
      return null;
  }
}
