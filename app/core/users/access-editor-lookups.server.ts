/**
 * The reference lists of the grant and territory editors (decision 131): every permission, the active
 * role templates, every company and what each template grants. Read through the cache port: one JSON
 * parse instead of four queries on each user page, user list and new-user form. No screen writes these
 * tables; only the seed and migrations do, so the key's version is bumped with a migration that changes
 * them and the lookups TTL bounds anything else. Live areas change through the app: live-areas.server.ts.
 */
import { asc, eq } from 'drizzle-orm';
import { companies, permissions, roleTemplateGrants, roleTemplates } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import type { ScopeLevel } from '../access/scope.server';

export const accessEditorLookupsKey = 'lookups:access-editor:v1';

export interface AccessEditorLookups {
  permissions: { code: string; name: string }[];
  /** Active templates in display order (companyId null: a template of every company). */
  templates: { code: string; name: string; companyId: number | null }[];
  companies: { id: number; code: string; name: string }[];
  /** What applying each template grants. */
  templateGrants: { template: string; code: string; scope: ScopeLevel }[];
}

/** Every active role template, read fresh (the create form checks a posted one against all, so a refusal says why). */
export function activeRoleTemplates(ctx: AppContext) {
  return ctx.db
    .select({ code: roleTemplates.code, name: roleTemplates.name, companyId: roleTemplates.companyId })
    .from(roleTemplates)
    .where(eq(roleTemplates.isActive, true))
    .orderBy(asc(roleTemplates.sortOrder));
}

export function accessEditorLookups(ctx: AppContext): Promise<AccessEditorLookups> {
  return cached(ctx.cache, accessEditorLookupsKey, cachePolicies.lookups, async () => {
    const [permissionRows, templates, companyRows, grantRows] = await Promise.all([
      ctx.db.select({ code: permissions.code, name: permissions.name }).from(permissions).orderBy(asc(permissions.sortOrder)),
      activeRoleTemplates(ctx),
      ctx.db.select({ id: companies.id, code: companies.code, name: companies.name }).from(companies).orderBy(asc(companies.sortOrder)),
      ctx.db
        .select({ template: roleTemplates.code, code: permissions.code, scope: roleTemplateGrants.scope })
        .from(roleTemplateGrants)
        .innerJoin(roleTemplates, eq(roleTemplates.id, roleTemplateGrants.roleTemplateId))
        .innerJoin(permissions, eq(permissions.id, roleTemplateGrants.permissionId)),
    ]);
    return { permissions: permissionRows, templates, companies: companyRows, templateGrants: grantRows as AccessEditorLookups['templateGrants'] };
  });
}
