// The clients list's SQL before decision 099, as a baseline measured in the same run: the search as a
// LIKE scan over the same columns the index covers, and the scope as `company_id = ? or company_id = ?`.
import type { Client } from '@libsql/client';
import { and, asc, count, isNull, or } from 'drizzle-orm';
import { clients } from '../db/schema';
import { scopeCondition, type StaffScope } from '../app/core/access/scope.server';
import { likeContains } from '../app/core/search/like.server';
import type { AppContext } from '../app/platform/context';
import { statementsOf, type Statement } from './list-loader';

/** Page 1 by name (ids) and the total, as clientsInScope sent them before: one WHERE, sorted as a whole. */
export function beforeStatements(ctx: AppContext, client: Client, scope: StaffScope, text: string | undefined): Promise<Statement[]> {
  const search = text
    ? or(
        likeContains(clients.fullName, text),
        likeContains(clients.clientCode, text),
        likeContains(clients.pensionNumber, text),
        likeContains(clients.contactNumber, text),
        likeContains(clients.contactNumberAlt, text),
      )
    : undefined;
  const where = and(scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId }), isNull(clients.deletedAt), search);
  return statementsOf(ctx, client, async (c) => {
    await c.db.select({ id: clients.id }).from(clients).where(where).orderBy(asc(clients.fullName), asc(clients.id)).limit(25);
    await c.db.select({ total: count() }).from(clients).where(where);
  });
}
