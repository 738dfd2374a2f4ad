// What the config handlers (config.checker, config.setting, config.lookup) share: who may decide a
// config request, and how an approval applies it through the screens' own write.
import type { z } from 'zod';
import type { ChangeRequest } from '../../../../db/schema';
import type { AppContext } from '../../../platform/context';
import { wideCompanyIds } from '../../access/scope.server';
import type { StaffAccess } from '../../access/staff-access.server';
import { configReach } from '../../config/config-reach.server';
import type { ConfigTable } from '../../config/config-tables.server';
import { saveConfigRow, type ConfigApproval } from '../../config/config-writes.server';
import type { FormValues } from '../../config/form-fields';
import type { ApplyResult, CheckedActionHandler, Decide } from '../checked-action.server';

/** The request is about these companies, and the reader manages config company-wide in every one of them. */
function coversConfigCompanies(access: StaffAccess, row: ChangeRequest, companyIds: number[] | null): boolean {
  if (!companyIds?.includes(row.companyId)) return false;
  const wide = wideCompanyIds(access.scope('config:manage'));
  return companyIds.every((id) => wide.includes(id));
}

/** A config handler's `covers`: the companies its stored payload names (none when the payload no longer parses). */
export function coversConfigPayload(payload: z.ZodType<{ companyIds: number[] }>): CheckedActionHandler['covers'] {
  return (access, row) => {
    const p = payload.safeParse(row.payload);
    return coversConfigCompanies(access, row, p.success ? p.data.companyIds : null);
  };
}

/**
 * An approved config request applied by saveConfigRow, the screens' own write, within the checker's
 * reach and with the request's decide hook in its transaction. A 409 (the row changed since) is a conflict.
 */
export async function applyConfigRequest(
  ctx: AppContext,
  checker: { userId: number; access: StaffAccess },
  row: ChangeRequest,
  decide: Decide,
  write: { def: ConfigTable; id: number | null; values: FormValues; stateOf: ConfigApproval['stateOf'] },
): Promise<ApplyResult> {
  const reach = await configReach(ctx, checker.access.scope('config:read'), checker.access.scope('config:manage'));
  const r = await saveConfigRow(ctx, write.def, { userId: checker.userId, reach }, write.id, write.values, {
    requestId: row.id,
    makerId: row.makerId,
    decide,
    stateOf: write.stateOf,
  });
  return r.ok ? { ok: true } : { ok: false, message: r.message, conflict: r.status === 409 };
}
