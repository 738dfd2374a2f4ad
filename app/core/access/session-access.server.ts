import { asc, sql } from 'drizzle-orm';
import { companies, userSessions } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { accessFromRows, accessQueries } from './access.server';
import type { Access } from './scope.server';
import { hashSessionToken, isWellFormedToken } from './session-token';
import { sessionRowQuery, sessionTimeouts, settleSession, type ActiveSession } from './sessions.server';

export interface CompanyRow {
  id: number;
  code: string;
  name: string;
}

export interface SessionWithAccess {
  session: ActiveSession;
  access: Access;
  /** Every company, in display order (the navigation and "covers every company" need them). */
  companies: CompanyRow[];
}

/**
 * The session, its user's access and the company list in ONE round trip to a remote database
 * (libSQL over HTTP: one batch of reads keyed by the token's hash), with the session-timeout
 * setting read from the cache beside it (decision 103). Always fresh: no access cache to consult.
 */
export async function findSessionWithAccess(ctx: AppContext, token: string | null): Promise<SessionWithAccess | null> {
  if (!token || !isWellFormedToken(token)) return null;
  const tokenHash = await hashSessionToken(token);
  const sessionUser = sql`(select ${userSessions.userId} from ${userSessions} where ${userSessions.tokenHash} = ${tokenHash} and ${userSessions.endedAt} is null)`;
  const [grants, direct, viaAreas] = accessQueries(ctx, sessionUser);
  const [[rows, grantRows, directRows, areaRows, companyRows], limits] = await Promise.all([
    ctx.db.batch([
      sessionRowQuery(ctx, tokenHash),
      grants,
      direct,
      viaAreas,
      ctx.db.select({ id: companies.id, code: companies.code, name: companies.name }).from(companies).orderBy(asc(companies.sortOrder)),
    ]),
    sessionTimeouts(ctx),
  ]);
  const session = await settleSession(ctx, rows[0], limits);
  if (!session) return null;
  return { session, access: accessFromRows(session.user.id, grantRows, directRows, areaRows), companies: companyRows };
}
