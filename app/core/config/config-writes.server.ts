// Every change to a config row: create, edit, delete (deactivate), restore, move up/down. Each runs
// in ONE transaction with its config_audit_log rows (only changed fields) and an activity row, then
// deletes the caches the table feeds. Failures name a field (400), or the row (403/404).
import { and, asc, eq, getTableColumns, isNull, max, type SQL } from 'drizzle-orm';
import { teleStatusUpdateStatuses, updateStatuses } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { recordAudit, type AuditAction } from '../audit/audit-trail.server';
import { invalidateConfigCaches } from './config-cache.server';
import { checkConfigValues } from './config-checks.server';
import { canManageCompany, type ConfigReach } from './config-reach.server';
import { columnsOf, notManagedMessage, reachCondition, rowCompanyId, type ConfigRow } from './config-rows.server';
import type { ConfigTable } from './config-tables.server';
import type { FormValues } from './form-fields';
import type { ChangeApproval } from '../users/grants.server';

export type ConfigWriteResult =
  { ok: true; id: number; changed: boolean } | { ok: false; status: 400 | 403 | 404 | 409; field?: string | null; message: string };

/**
 * A maker-checker approval applying a config change (decision 101): `decide` runs inside the write's
 * transaction, before anything is written, with the row's state now (`stateOf`, null: no such row).
 */
export type ConfigApproval = ChangeApproval & { stateOf(row: ConfigRow | null): Record<string, unknown> };

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];
interface Who {
  userId: number;
  reach: ConfigReach;
}

const fail = (status: 400 | 403 | 404 | 409, message: string, field: string | null = null): ConfigWriteResult => ({ ok: false, status, field, message });
const notManaged = (def: ConfigTable, companyId: number | null) => fail(403, notManagedMessage(def, companyId));

/** The row as stored (plain columns) plus the tele status's allowed update statuses, for the audit. */
async function snapshot(tx: Tx, def: ConfigTable, id: number): Promise<ConfigRow | null> {
  const cols = columnsOf(def);
  const [row] = await tx.select().from(def.table).where(eq(cols.id, id));
  if (!row) return null;
  if (def.slug !== 'tele-statuses') return row as ConfigRow;
  const links = await tx
    .select({ id: updateStatuses.id, code: updateStatuses.code })
    .from(teleStatusUpdateStatuses)
    .innerJoin(updateStatuses, eq(updateStatuses.id, teleStatusUpdateStatuses.updateStatusId))
    .where(eq(teleStatusUpdateStatuses.teleStatusId, id))
    .orderBy(asc(updateStatuses.code));
  return { ...(row as ConfigRow), updateStatuses: links.map((l) => l.code).join(', ') };
}

async function audit(
  ctx: AppContext,
  tx: Tx,
  def: ConfigTable,
  userId: number,
  action: AuditAction,
  id: number,
  before: ConfigRow | null,
  after: ConfigRow | null,
) {
  await recordAudit(ctx, { table: def.sqlName, recordId: id, action, before, after, userId }, tx);
}

/** A refusal found inside the transaction: thrown so the transaction rolls back, caught below. */
class Refused extends Error {
  constructor(readonly result: ConfigWriteResult) {
    super('refused');
  }
}
const refuse = (status: 400 | 403 | 404, message: string, field: string | null = null): never => {
  throw new Refused(fail(status, message, field));
};
const refuseWith = (result: ConfigWriteResult): never => {
  throw new Refused(result);
};

/** Runs the change in one write turn and transaction; on success deletes the stale caches. */
async function inTransaction(ctx: AppContext, def: ConfigTable, work: (tx: Tx) => Promise<ConfigWriteResult>): Promise<ConfigWriteResult> {
  let result: ConfigWriteResult;
  try {
    result = await ctx.write(work);
  } catch (error) {
    if (error instanceof Refused) result = error.result;
    else if (/UNIQUE constraint failed/i.test(String((error as { message?: unknown })?.message ?? error))) {
      // Two admins saving the same code at once: the index decides, the loser gets the field error.
      result = fail(400, `That ${def.keyField === 'key' ? 'key' : 'code'} is already used.`, def.keyField);
    } else throw error;
  }
  if (result.ok && result.changed) await invalidateConfigCaches(ctx, def.sqlName);
  return result;
}

/** The group a row is ordered in (rows with equal orderGroup columns), as a WHERE part. */
function groupCondition(def: ConfigTable, row: Record<string, unknown>): SQL | undefined {
  const cols = columnsOf(def);
  return and(...def.orderGroup.map((c) => (row[c] === null || row[c] === undefined ? isNull(cols[c]) : eq(cols[c], row[c]))));
}

/** The stored columns of `values` (virtual fields like updateStatusIds left out). */
function columnValues(def: ConfigTable, values: FormValues): Record<string, unknown> {
  const names = new Set(Object.keys(getTableColumns(def.table)));
  return Object.fromEntries(Object.entries(values).filter(([k]) => names.has(k) && k !== 'id'));
}

async function setTeleLinks(tx: Tx, teleStatusId: number, updateStatusIds: number[]) {
  await tx.delete(teleStatusUpdateStatuses).where(eq(teleStatusUpdateStatuses.teleStatusId, teleStatusId));
  if (updateStatusIds.length) await tx.insert(teleStatusUpdateStatuses).values(updateStatusIds.map((updateStatusId) => ({ teleStatusId, updateStatusId })));
}

/** Creates (id null) or edits a row from validated form values. */
export async function saveConfigRow(
  ctx: AppContext,
  def: ConfigTable,
  who: Who,
  id: number | null,
  values: FormValues,
  approval?: ConfigApproval,
): Promise<ConfigWriteResult> {
  return inTransaction(ctx, def, async (tx) => {
    const cols = columnsOf(def);
    const before = id === null ? null : await snapshot(tx, def, id);
    if (id !== null) {
      const [visible] = await tx
        .select({ id: cols.id })
        .from(def.table)
        .where(and(eq(cols.id, id), reachCondition(def, who.reach)));
      if (!before || !visible) return refuse(404, 'There is no such row, or it is outside your reach.');
      const companyId = await rowCompanyId(tx, def, before);
      if (!canManageCompany(who.reach, companyId)) return refuseWith(notManaged(def, companyId));
    }
    const next: Record<string, unknown> = { ...(before ?? {}), ...columnValues(def, values) };
    if (def.ordered && (next.sortOrder === null || next.sortOrder === undefined)) {
      if (before) next.sortOrder = before.sortOrder;
      else {
        const [{ top }] = await tx
          .select({ top: max(cols.sortOrder) })
          .from(def.table)
          .where(groupCondition(def, next));
        next.sortOrder = Number(top ?? 0) + 10;
      }
    }
    const companyId = await rowCompanyId(tx, def, next);
    if (!canManageCompany(who.reach, companyId)) {
      return refuse(400, 'Choose a company you manage.', def.company === 'statusType' ? 'statusTypeId' : 'companyId');
    }
    const problem = await checkConfigValues(tx, def, next, before);
    if (problem) return refuse(400, problem.message, problem.field);
    if (approval) {
      // Returned, not thrown: the request's close (approved or stale) commits with this transaction.
      const decided = await approval.decide(tx, approval.stateOf(before));
      if (!decided.ok) return fail(409, decided.message);
    }
    const data = columnValues(def, next as FormValues);
    delete data.createdAt;
    const links =
      def.slug === 'tele-statuses' && Array.isArray(values.updateStatusIds) ? [...(values.updateStatusIds as number[])].sort((a, b) => a - b) : null;
    if (before && !(await differs(tx, before, data, links))) return { ok: true, id: before.id, changed: false };
    if (def.authorField) data[def.authorField] = before && def.authorField === 'createdBy' ? before.createdBy : who.userId;
    data.updatedAt = ctx.clock.now();
    let rowId = id;
    if (before) await tx.update(def.table).set(data).where(eq(cols.id, before.id));
    else {
      const [inserted] = await tx
        .insert(def.table)
        .values({ ...data, createdAt: ctx.clock.now() })
        .returning({ id: cols.id });
      rowId = inserted.id as number;
    }
    if (links) await setTeleLinks(tx, rowId!, links);
    if (def.slug === 'config-options' && next.isDefault) await clearOtherDefaults(ctx, tx, def, who.userId, rowId!, next);
    const after = await snapshot(tx, def, rowId!);
    await audit(ctx, tx, def, who.userId, before ? 'update' : 'create', rowId!, before, after);
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: before ? 'config.updated' : 'config.created',
        resourceType: def.sqlName,
        resourceId: rowId!,
        companyId, // null for a shared row: a system row of the activity log
        details: {
          [def.keyField]: after?.[def.keyField],
          ...(approval ? { approval: { requestId: approval.requestId, makerId: approval.makerId, checkerId: who.userId } } : {}),
        },
      },
      tx,
    );
    return { ok: true, id: rowId!, changed: true };
  });
}

/** True when saving would change a stored column or the tele status's links (an unchanged form writes nothing). */
async function differs(tx: Tx, before: ConfigRow, data: Record<string, unknown>, links: number[] | null): Promise<boolean> {
  const same = (a: unknown, b: unknown) => (a instanceof Date ? a.getTime() : (a ?? null)) === (b instanceof Date ? b.getTime() : (b ?? null));
  if (Object.entries(data).some(([k, v]) => k !== 'updatedAt' && !same(before[k], v))) return true;
  if (!links) return false;
  const current = await tx
    .select({ id: teleStatusUpdateStatuses.updateStatusId })
    .from(teleStatusUpdateStatuses)
    .where(eq(teleStatusUpdateStatuses.teleStatusId, before.id));
  return (
    current
      .map((c) => c.id)
      .sort((a, b) => a - b)
      .join(',') !== links.join(',')
  );
}

/** One default per list: setting an option as default clears the others of its category, company and parent (audited). */
async function clearOtherDefaults(ctx: AppContext, tx: Tx, def: ConfigTable, userId: number, id: number, next: Record<string, unknown>) {
  const cols = columnsOf(def);
  const where = and(eq(cols.isDefault, true), groupCondition({ ...def, orderGroup: ['categoryId', 'parentOptionId', 'companyId'] }, next));
  const others = (await tx.select().from(def.table).where(where)).filter((r) => (r as ConfigRow).id !== id) as ConfigRow[];
  for (const other of others) {
    await tx.update(def.table).set({ isDefault: false, updatedAt: ctx.clock.now() }).where(eq(cols.id, other.id));
    await audit(ctx, tx, def, userId, 'update', other.id, other, { ...other, isDefault: false });
  }
}

/** "Delete" = deactivate (restore = reactivate); settings without is_active: a company override is removed. */
export async function setConfigRowActive(ctx: AppContext, def: ConfigTable, who: Who, id: number, active: boolean): Promise<ConfigWriteResult> {
  return inTransaction(ctx, def, async (tx) => {
    const cols = columnsOf(def);
    const [visible] = await tx
      .select({ id: cols.id })
      .from(def.table)
      .where(and(eq(cols.id, id), reachCondition(def, who.reach)));
    const before = visible ? await snapshot(tx, def, id) : null;
    if (!before) return refuse(404, 'There is no such row, or it is outside your reach.');
    const companyId = await rowCompanyId(tx, def, before);
    if (!canManageCompany(who.reach, companyId)) return refuseWith(notManaged(def, companyId));
    if (!active && def.system && before.isSystem) {
      return refuse(400, `${String(before[def.keyField])} is a system ${def.noun.toLowerCase()}: it cannot be deleted. You can rename it or change its order.`);
    }
    if (!def.softDelete) {
      if (active) return refuse(400, `A deleted ${def.noun.toLowerCase()} cannot be restored; create it again.`);
      if (before.companyId === null) return refuse(400, 'A shared setting cannot be deleted: the app reads it. Change its value instead.');
      await tx.delete(def.table).where(eq(cols.id, id));
      await audit(ctx, tx, def, who.userId, 'delete', id, before, null);
    } else {
      if (Boolean(before.isActive) === active) return { ok: true, id, changed: false };
      await tx.update(def.table).set({ isActive: active, updatedAt: ctx.clock.now() }).where(eq(cols.id, id));
      await audit(ctx, tx, def, who.userId, active ? 'restore' : 'delete', id, before, await snapshot(tx, def, id));
    }
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: active ? 'config.restored' : 'config.deleted',
        resourceType: def.sqlName,
        resourceId: id,
        companyId,
        details: { [def.keyField]: before[def.keyField] },
      },
      tx,
    );
    return { ok: true, id, changed: true };
  });
}

/** Swaps the row's order with its neighbour in its group (renumbering 10, 20, … first when orders tie). */
export async function moveConfigRow(ctx: AppContext, def: ConfigTable, who: Who, id: number, direction: 'up' | 'down'): Promise<ConfigWriteResult> {
  if (!def.ordered) return fail(400, `${def.label} have no order.`);
  return inTransaction(ctx, def, async (tx) => {
    const cols = columnsOf(def);
    const row = await configRowInTx(tx, def, who.reach, id);
    if (!row) return refuse(404, 'There is no such row, or it is outside your reach.');
    const companyId = await rowCompanyId(tx, def, row);
    if (!canManageCompany(who.reach, companyId)) return refuseWith(notManaged(def, companyId));
    let group = (await tx.select().from(def.table).where(groupCondition(def, row)).orderBy(asc(cols.sortOrder), asc(cols.id))) as ConfigRow[];
    const i = group.findIndex((r) => r.id === id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= group.length) return { ok: true, id, changed: false };
    const orders = group.map((r) => Number(r.sortOrder));
    const renumber = new Set(orders).size !== orders.length;
    // Options of a company and shared ones share a list: never reorder a row the admin may not change.
    const touched = renumber ? group : [group[i], group[j]];
    if (def.company === 'optional' && touched.some((r) => !canManageCompany(who.reach, (r.companyId as number | null) ?? null))) {
      return refuse(400, 'The row next to it is shared by every company: only an admin of every company can reorder them.');
    }
    if (renumber) {
      for (const [k, r] of group.entries()) {
        if (Number(r.sortOrder) === (k + 1) * 10) continue;
        await tx
          .update(def.table)
          .set({ sortOrder: (k + 1) * 10 })
          .where(eq(cols.id, r.id));
        await audit(ctx, tx, def, who.userId, 'update', r.id, r, { ...r, sortOrder: (k + 1) * 10 });
      }
      group = group.map((r, k) => ({ ...r, sortOrder: (k + 1) * 10 }));
    }
    const [a, b] = [group[i], group[j]];
    for (const [r, order] of [
      [a, b.sortOrder],
      [b, a.sortOrder],
    ] as const) {
      await tx.update(def.table).set({ sortOrder: order, updatedAt: ctx.clock.now() }).where(eq(cols.id, r.id));
      await audit(ctx, tx, def, who.userId, 'update', r.id, r, { ...r, sortOrder: order });
    }
    await logActivity(ctx, { userId: who.userId, action: 'config.moved', resourceType: def.sqlName, resourceId: id, companyId, details: { direction } }, tx);
    return { ok: true, id, changed: true };
  });
}

async function configRowInTx(tx: Tx, def: ConfigTable, reach: ConfigReach, id: number): Promise<ConfigRow | null> {
  const cols = columnsOf(def);
  const [row] = await tx
    .select()
    .from(def.table)
    .where(and(eq(cols.id, id), reachCondition(def, reach)));
  return (row as ConfigRow) ?? null;
}
