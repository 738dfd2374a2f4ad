import { describe, expect, it } from 'vitest';
import { scopeCompanyIds, scopeFor, scopeIncludesBranch, type Access } from '../../app/core/access/scope.server';

const FCASH = 1;
const PCNI = 2;

function access(grants: Access['grants'], branches: Access['branches'] = []): Access {
  return { userId: 7, grants, branches };
}

describe('scopeFor: what one permission lets a user reach', () => {
  it('gives a whole company for an "all" grant, whatever the territory', () => {
    const scope = scopeFor(access([{ permission: 'clients:read', companyId: FCASH, scope: 'all' }], [{ id: 3, companyId: FCASH }]), 'clients:read');
    expect(scope).toEqual({ userId: 7, permission: 'clients:read', companies: [{ companyId: FCASH, level: 'all', branchIds: 'all' }] });
    expect(scopeIncludesBranch(scope!, FCASH, 999)).toBe(true);
    expect(scopeIncludesBranch(scope!, PCNI, 3)).toBe(false);
  });

  it('limits a branch grant to the territory branches of that company only', () => {
    const scope = scopeFor(
      access(
        [{ permission: 'clients:read', companyId: FCASH, scope: 'branch' }],
        [
          { id: 1, companyId: FCASH },
          { id: 2, companyId: FCASH },
          { id: 89, companyId: PCNI },
        ],
      ),
      'clients:read',
    )!;
    expect(scope.companies).toEqual([{ companyId: FCASH, level: 'branch', branchIds: [1, 2] }]);
    expect(scopeIncludesBranch(scope, FCASH, 2)).toBe(true);
    expect(scopeIncludesBranch(scope, FCASH, 11)).toBe(false);
    expect(scopeIncludesBranch(scope, PCNI, 89)).toBe(false);
  });

  it('is null (no access at all) when the permission is not granted in any company', () => {
    expect(scopeFor(access([{ permission: 'status:read', companyId: FCASH, scope: 'all' }]), 'clients:read')).toBeNull();
    expect(scopeFor(access([]), 'clients:read')).toBeNull();
  });

  it('gives an empty branch list (reaches nothing) for a branch grant without territory', () => {
    const scope = scopeFor(access([{ permission: 'clients:read', companyId: FCASH, scope: 'branch' }]), 'clients:read')!;
    expect(scope.companies).toEqual([{ companyId: FCASH, level: 'branch', branchIds: [] }]);
    expect(scopeIncludesBranch(scope, FCASH, 1)).toBe(false);
  });

  it('combines grants in several companies, each at its own level', () => {
    const scope = scopeFor(
      access(
        [
          { permission: 'clients:read', companyId: FCASH, scope: 'area' },
          { permission: 'clients:read', companyId: PCNI, scope: 'all' },
          { permission: 'clients:update', companyId: FCASH, scope: 'all' },
        ],
        [
          { id: 1, companyId: FCASH },
          { id: 89, companyId: PCNI },
        ],
      ),
      'clients:read',
    )!;
    expect(scope.companies).toEqual([
      { companyId: FCASH, level: 'area', branchIds: [1] },
      { companyId: PCNI, level: 'all', branchIds: 'all' },
    ]);
    expect(scopeCompanyIds(scope)).toEqual([FCASH, PCNI]);
    expect(scopeIncludesBranch(scope, PCNI, 500)).toBe(true);
    expect(scopeIncludesBranch(scope, FCASH, 2)).toBe(false);
  });

  it('treats "self" like the user\'s branches for client lists', () => {
    const scope = scopeFor(
      access([{ permission: 'status:history:read', companyId: FCASH, scope: 'self' }], [{ id: 4, companyId: FCASH }]),
      'status:history:read',
    )!;
    expect(scope.companies).toEqual([{ companyId: FCASH, level: 'self', branchIds: [4] }]);
  });
});
