import { z } from 'zod';
import { maxLengthOf } from '../config/form-fields';
import { searchField } from '../forms/search-fields';
import { pagingFrom } from '../paging/paging';
import { idField } from '../ids/record-id';
import { clientSorts } from './client-sorts';

/** Search params of the clients screen. Paging is clamped, never an error; ids must be positive. */
// Digits only: Number() would also take "1e3", " 1" or "0x01".
const optionalId = z.preprocess((v) => (v === '' || v === null ? undefined : v), idField('must be a positive whole number').optional());

export const clientListQuerySchema = z.object({
  q: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string()
      .max(maxLengthOf(searchField)!, `Search is at most ${maxLengthOf(searchField)} characters.`)
      .optional(),
  ),
  company: optionalId,
  branch: optionalId,
  product: optionalId,
  par: optionalId,
  status: optionalId,
  sort: z.enum(clientSorts).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
});

export type ClientListQuery = z.infer<typeof clientListQuerySchema> & { page: number; pageSize: number };

export function parseClientListQuery(params: URLSearchParams): { ok: true; query: ClientListQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params.entries());
  const result = clientListQuerySchema.safeParse(raw);
  if (result.success) {
    return { ok: true, query: { ...result.data, ...pagingFrom(raw) } };
  }
  const issue = result.error.issues[0];
  return { ok: false, message: `Filter "${issue.path.join('.')}" ${issue.message}` };
}
