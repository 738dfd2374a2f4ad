// Status types and status reasons as a checked action (config.lookup, decision 101): where a company
// checks them (checker_status_lookups), creating or editing one of its status types or reasons on the
// config screens waits for a second admin; a shared row (every company) waits when any company checks
// them. Approval runs saveConfigRow, the screens' own write, with the decide hook in its transaction.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { companies, type ChangeRequest } from '../../../../db/schema';
import type { AppContext } from '../../../platform/context';
import type { ConfigReach } from '../../config/config-reach.server';
import { columnsOf, rowCompanyId, type ConfigRow } from '../../config/config-rows.server';
import { configTable, type ConfigTable } from '../../config/config-tables.server';
import type { FormValues } from '../../config/form-fields';
import type { CheckedActionHandler } from '../checked-action.server';
import { applyConfigRequest, coversConfigPayload } from './config-requests.server';
import { checkedCompanies } from '../checker-rules.server';
import { askForChange, remarkIssue } from '../request-store.server';

const LOOKUP_SLUGS = ['status-types', 'status-reasons'] as const;

const payload = z.object({
  slug: z.enum(LOOKUP_SLUGS),
  /** null: a new row. */
  id: z.number().int().positive().nullable(),
  /** The values the screen's form validated (its own schema), without the remark. */
  values: z.record(z.string(), z.unknown()),
  /** The companies the row applies to: the checker manages config company-wide in each. */
  companyIds: z.array(z.number().int().positive()).min(1).max(50),
});
type Payload = z.infer<typeof payload>;

/** The row as a request compares it: every stored column (a JSON copy: dates as text), or null for a new row. */
const stateOf = (row: ConfigRow | null) => ({ row: row ? (JSON.parse(JSON.stringify(row)) as Record<string, unknown>) : null });

const isLookup = (slug: string): slug is Payload['slug'] => (LOOKUP_SLUGS as readonly string[]).includes(slug);

async function rowOf(ctx: AppContext, def: ConfigTable, id: number | null): Promise<ConfigRow | null> {
  if (id === null) return null;
  const [row] = await ctx.db
    .select()
    .from(def.table)
    .where(eq(columnsOf(def).id, id));
  return (row as ConfigRow | undefined) ?? null;
}

export const configLookupHandler: CheckedActionHandler<Payload> = {
  action: 'config.lookup',
  permission: 'config:manage',
  covers: coversConfigPayload(payload),
  payload,
  async apply(ctx, checker, row, p, decide) {
    return applyConfigRequest(ctx, checker, row, decide, { def: configTable(p.slug)!, id: p.id, values: p.values as FormValues, stateOf });
  },
  diff(row: ChangeRequest) {
    const p = payload.safeParse(row.payload);
    if (!p.success) return [];
    const before = (row.before as { row?: Record<string, unknown> | null }).row ?? null;
    const noun = configTable(p.data.slug)!.noun;
    return Object.entries(p.data.values)
      .filter(([key, value]) => key !== 'remark' && (before === null || String(before[key] ?? '') !== String(value ?? '')))
      .map(([key, value]) => ({ field: `${noun} ${key}`, old: before === null ? '(new)' : String(before[key] ?? ''), new: String(value ?? '') }));
  },
};

/**
 * The status-type and status-reason screens' save, where the row's company checks them: a pending
 * request (a remark required) instead of the write. null: not such a change, the caller saves it.
 */
export async function askLookupChange(
  ctx: AppContext,
  def: ConfigTable,
  who: { userId: number; reach: ConfigReach },
  id: number | null,
  values: FormValues,
  remark: string | null,
): Promise<{ ok: true; requestId: number } | { ok: false; message: string; field?: string } | null> {
  if (!isLookup(def.slug)) return null;
  const existing = await rowOf(ctx, def, id);
  const companyId = await rowCompanyId(ctx.db, def, existing ?? (values as Record<string, unknown>));
  const companyIds = companyId !== null ? [companyId] : (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  const checked = await checkedCompanies(ctx, companyIds, 'config.lookup');
  if (!checked.length) return null;
  const issue = remarkIssue(remark);
  if (issue) return { ok: false, message: issue, field: 'remark' };
  const { remark: _remark, ...rest } = values as Record<string, unknown>;
  const p = payload.safeParse({ slug: def.slug, id, values: rest, companyIds });
  if (!p.success) return { ok: false, message: 'That change cannot be asked for: check the fields.' };
  return askForChange(ctx, null, {
    action: 'config.lookup',
    companyId: checked[0],
    targetType: def.sqlName,
    targetId: id ?? 0,
    payload: p.data,
    before: stateOf(existing),
    remark: remark ?? '',
    makerId: who.userId,
  });
}
