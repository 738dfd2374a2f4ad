import { z } from 'zod';
import { pagingFrom } from '../paging/paging';
import { idField } from '../ids/record-id';
import { maxLengthOf } from '../config/form-fields';
import { searchField } from '../forms/search-fields';

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), idField('must be a positive whole number').optional());
const yesNo = z.preprocess((v) => (v === '' ? undefined : v), z.enum(['yes', 'no']).optional()).transform((v) => (v === undefined ? undefined : v === 'yes'));

export const userListQuerySchema = z.object({
  q: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || undefined : v),
    z
      .string()
      .max(maxLengthOf(searchField)!, `is at most ${maxLengthOf(searchField)} characters`)
      .optional(),
  ),
  role: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[A-Za-z0-9_]{1,40}$/, 'is not a role code')
      .optional(),
  ),
  branch: optionalId,
  area: optionalId,
  active: yesNo,
  locked: yesNo,
});

export type UserListQuery = z.infer<typeof userListQuerySchema> & { page: number; pageSize: number };

export function parseUserListQuery(params: URLSearchParams): { ok: true; query: UserListQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params.entries());
  const result = userListQuerySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, message: `Filter "${issue.path.join('.')}" ${issue.message}` };
  }
  return { ok: true, query: { ...result.data, ...pagingFrom(raw) } };
}
