// What the config handlers (config.checker, config.setting, config.lookup) share: who may decide a
// config request, and how the screens' own write answers an approval.
import type { ChangeRequest } from '../../../../db/schema';
import { wideCompanyIds } from '../../access/scope.server';
import type { StaffAccess } from '../../access/staff-access.server';
import type { ConfigWriteResult } from '../../config/config-writes.server';
import type { ApplyResult } from '../checked-action.server';

/** The request is about these companies, and the reader manages config company-wide in every one of them. */
export function coversConfigCompanies(access: StaffAccess, row: ChangeRequest, companyIds: number[] | null): boolean {
  if (!companyIds?.includes(row.companyId)) return false;
  const wide = wideCompanyIds(access.scope('config:manage'));
  return companyIds.every((id) => wide.includes(id));
}

/** saveConfigRow's answer as an approval's: a 409 (the row changed since) is a conflict. */
export const configApplyResult = (r: ConfigWriteResult): ApplyResult => (r.ok ? { ok: true } : { ok: false, message: r.message, conflict: r.status === 409 });
