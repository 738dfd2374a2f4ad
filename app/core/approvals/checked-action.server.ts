import type { z } from 'zod';
import type { ChangeRequest } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffAccess } from '../access/staff-access.server';
import type { CheckedAction } from './checked-actions';

export type WriteTx = Parameters<Parameters<AppContext['write']>[0]>[0];

/**
 * Runs inside the direct path's write transaction, before it writes anything, with the target's
 * state as it is now (the same shape as the request's `before`). It closes the request as approved,
 * or (when `current` differs from `before`, or someone decided it a moment ago) closes it as stale /
 * refuses, and the direct path then writes nothing and returns { ok: false, conflict: true }.
 */
export type Decide = (tx: WriteTx, current: Record<string, unknown>) => Promise<{ ok: true } | { ok: false; message: string }>;

export type ApplyResult = { ok: true } | { ok: false; message: string; conflict?: boolean };

export interface CheckedActionHandler<P = unknown> {
  action: CheckedAction;
  /** The permission a checker needs (users:manage, config:manage, status:revert). */
  permission: string;
  /** Does this reader's access reach the request's target with that permission (company and territory)? Else 404. */
  covers(access: StaffAccess, row: ChangeRequest): boolean;
  /** Re-validates the stored payload before applying (a forged or outdated payload is refused, nothing written). */
  payload: z.ZodType<P>;
  /** Applies the stored change AS THE CHECKER through the very same core function as the direct path, which calls `decide` inside its transaction. */
  apply(ctx: AppContext, checker: { userId: number; access: StaffAccess }, row: ChangeRequest, payload: P, decide: Decide): Promise<ApplyResult>;
  /** Old → new, for the approvals list (plain strings: it goes to the browser). */
  diff(row: ChangeRequest): Array<{ field: string; old: string; new: string }>;
}
