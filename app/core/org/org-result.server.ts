import { forgetAccess } from '../access/access.server';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';

/** Who acts, with the scope of the permission the action needs (e.g. areas:manage). */
export interface OrgActor {
  userId: number;
  scope: StaffScope;
}

/** What an org write answers: done, an id outside the actor's reach (404), or a field error (400). */
export type OrgResult<T extends object = { id: number }> =
  ({ ok: true } & T) | { ok: false; code: 'NOT_FOUND' } | { ok: false; code: 'INVALID'; field: string; message: string };

export const notFound = { ok: false, code: 'NOT_FOUND' } as const;
export const invalid = (field: string, message: string) => ({ ok: false as const, code: 'INVALID' as const, field, message });

/** A unique index said no: another request wrote the same key between our check and our write. */
export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error) + String((error as { cause?: unknown })?.cause ?? '');
  return /UNIQUE constraint failed/i.test(text);
}

/** Territory changed: the users' cached access must be read again on their next request. */
export async function forgetAccessOf(ctx: AppContext, userIds: Iterable<number>) {
  for (const id of new Set(userIds)) await forgetAccess(ctx, id);
}
