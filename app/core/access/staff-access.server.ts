import { scopeCoversEveryCompany, scopeFor, type Access, type ScopeLevel, type StaffScope } from './scope.server';

/**
 * Every scope and permission question of one request, answered from the access the gate loaded
 * once (no second cache read or query). The company list is asked at most once, and only by
 * coversEveryCompany.
 */
export interface StaffAccess {
  readonly userId: number;
  /** The scope a permission gives this user, or null when no company grants it. */
  scope(permission: string): StaffScope | null;
  can(permission: string): boolean;
  /** The permission codes held in any company, sorted (for the navigation). */
  permissionCodes(): string[];
  /** This user's grants in one company, permission code to scope (what the grant editor's ceiling offers). */
  grantsIn(companyId: number): Record<string, ScopeLevel>;
  /** True when the permission reaches every branch of every company there is. */
  coversEveryCompany(permission: string): Promise<boolean>;
}

export function staffAccess(access: Access, allCompanyIds: () => Promise<number[]>): StaffAccess {
  const scopes = new Map<string, StaffScope | null>();
  let companyIds: Promise<number[]> | undefined;
  const scope = (permission: string) => {
    if (!scopes.has(permission)) scopes.set(permission, scopeFor(access, permission));
    return scopes.get(permission)!;
  };
  return {
    userId: access.userId,
    scope,
    can: (permission) => scope(permission) !== null,
    permissionCodes: () => [...new Set(access.grants.map((g) => g.permission))].sort(),
    grantsIn: (companyId) => Object.fromEntries(access.grants.filter((g) => g.companyId === companyId).map((g) => [g.permission, g.scope])),
    async coversEveryCompany(permission) {
      const granted = scope(permission);
      if (!granted) return false;
      companyIds ??= allCompanyIds();
      return scopeCoversEveryCompany(granted, await companyIds);
    },
  };
}
