// user.grants as a checked action (decision 101): a user's grants in one company.
import { z } from 'zod';
import type { ChangeRequest } from '../../../../db/schema';
import { wideCompanyIds } from '../../access/scope.server';
import { scopeLevels, setCompanyGrants } from '../../users/grants.server';
import type { CheckedActionHandler } from '../checked-action.server';

const grantMap = z.record(z.string().regex(/^[a-z]+(:[a-z]+)+$/), z.enum(scopeLevels));
const payload = z.object({
  companyId: z.number().int().positive(),
  grants: grantMap,
  roleTemplate: z.object({ id: z.number().int().positive(), code: z.string().min(1).max(40) }).nullable(),
});

type Grants = Record<string, string>;

export const userGrantsHandler: CheckedActionHandler<z.infer<typeof payload>> = {
  action: 'user.grants',
  permission: 'users:manage',
  // Grants are a company-level thing: only an admin of users company-wide there decides them.
  covers: (access, row) => wideCompanyIds(access.scope('users:manage')).includes(row.companyId),
  payload,
  async apply(ctx, checker, row, p, decide) {
    // A forged payload naming another company than the request's is not applied.
    if (p.companyId !== row.companyId) return { ok: false, message: 'This request’s change does not match its company.' };
    const via = p.roleTemplate ? { roleTemplateId: p.roleTemplate.id, code: p.roleTemplate.code } : undefined;
    return setCompanyGrants(ctx, checker.userId, row.targetId, p.companyId, p.grants, via, { requestId: row.id, makerId: row.makerId, decide });
  },
  diff(row: ChangeRequest) {
    const before = ((row.before as { grants?: Grants }).grants ?? {}) as Grants;
    const { grants: after = {}, roleTemplate } = row.payload as { grants?: Grants; roleTemplate?: { code: string } | null };
    const codes = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().filter((code) => before[code] !== after[code]);
    const rows = codes.map((code) => ({ field: code, old: before[code] ?? 'none', new: after[code] ?? 'none' }));
    return roleTemplate ? [{ field: 'role', old: '—', new: roleTemplate.code }, ...rows] : rows;
  },
};
