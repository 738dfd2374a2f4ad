/**
 * A branch's phone numbers and emails. At most one live contact per branch is primary: marking
 * one primary clears the others in the same transaction (each change audited). Removing is a soft
 * delete, so the audit trail and old exports still name the number.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import { branchContacts, type BranchContact } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { recordAudit } from '../audit/audit-trail.server';
import { editableBranch, type Tx } from './branch-writes.server';
import type { ContactInput } from './org-forms.server';
import { invalid, notFound, type OrgActor, type OrgResult } from './org-result.server';

const live = (branchId: number) => and(eq(branchContacts.branchId, branchId), isNull(branchContacts.deletedAt));

async function liveContact(tx: Tx, branchId: number, contactId: number): Promise<BranchContact | undefined> {
  const [row] = await tx
    .select()
    .from(branchContacts)
    .where(and(eq(branchContacts.id, contactId), live(branchId)))
    .limit(1);
  return row;
}

async function duplicate(tx: Tx, branchId: number, input: ContactInput, exceptId?: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: branchContacts.id })
    .from(branchContacts)
    .where(
      and(
        live(branchId),
        eq(branchContacts.contactType, input.contactType),
        eq(branchContacts.value, input.value),
        exceptId === undefined ? undefined : ne(branchContacts.id, exceptId),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Clears the primary flag of every other live contact of the branch, one audit row each. */
async function clearOtherPrimaries(ctx: AppContext, tx: Tx, who: OrgActor, branchId: number, keepId: number) {
  const others = await tx
    .select()
    .from(branchContacts)
    .where(and(live(branchId), eq(branchContacts.isPrimary, true), ne(branchContacts.id, keepId)));
  for (const before of others) {
    const [after] = await tx.update(branchContacts).set({ isPrimary: false, updatedAt: ctx.clock.now() }).where(eq(branchContacts.id, before.id)).returning();
    await recordAudit(ctx, { table: 'branch_contacts', recordId: before.id, action: 'update', before, after, userId: who.userId }, tx);
  }
}

const DUPLICATE = 'This branch already has that contact.';

export async function addContact(ctx: AppContext, who: OrgActor, branchId: number, input: ContactInput): Promise<OrgResult> {
  return ctx.write(async (tx) => {
    if (!(await editableBranch(tx, who, branchId))) return notFound;
    if (await duplicate(tx, branchId, input)) return invalid('value', DUPLICATE);
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(branchContacts)
      .values({ ...input, branchId, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(ctx, { table: 'branch_contacts', recordId: row.id, action: 'create', before: null, after: row, userId: who.userId }, tx);
    if (row.isPrimary) await clearOtherPrimaries(ctx, tx, who, branchId, row.id);
    return { ok: true as const, id: row.id };
  });
}

export async function updateContact(ctx: AppContext, who: OrgActor, branchId: number, contactId: number, input: ContactInput): Promise<OrgResult> {
  return ctx.write(async (tx) => {
    if (!(await editableBranch(tx, who, branchId))) return notFound;
    const before = await liveContact(tx, branchId, contactId);
    if (!before) return notFound;
    if (await duplicate(tx, branchId, input, contactId)) return invalid('value', DUPLICATE);
    const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => before[k as keyof ContactInput] !== v));
    if (!Object.keys(changes).length) return { ok: true as const, id: contactId };
    const [after] = await tx
      .update(branchContacts)
      .set({ ...changes, updatedAt: ctx.clock.now() })
      .where(eq(branchContacts.id, contactId))
      .returning();
    await recordAudit(ctx, { table: 'branch_contacts', recordId: contactId, action: 'update', before, after, userId: who.userId }, tx);
    if (after.isPrimary) await clearOtherPrimaries(ctx, tx, who, branchId, contactId);
    return { ok: true as const, id: contactId };
  });
}

export async function setPrimaryContact(ctx: AppContext, who: OrgActor, branchId: number, contactId: number): Promise<OrgResult> {
  return ctx.write(async (tx) => {
    if (!(await editableBranch(tx, who, branchId))) return notFound;
    const before = await liveContact(tx, branchId, contactId);
    if (!before) return notFound;
    if (!before.isPrimary) {
      await clearOtherPrimaries(ctx, tx, who, branchId, contactId);
      const [after] = await tx.update(branchContacts).set({ isPrimary: true, updatedAt: ctx.clock.now() }).where(eq(branchContacts.id, contactId)).returning();
      await recordAudit(ctx, { table: 'branch_contacts', recordId: contactId, action: 'update', before, after, userId: who.userId }, tx);
    }
    return { ok: true as const, id: contactId };
  });
}

/** Soft delete. Removing the primary contact leaves the branch without one until another is marked. */
export async function removeContact(ctx: AppContext, who: OrgActor, branchId: number, contactId: number): Promise<OrgResult> {
  return ctx.write(async (tx) => {
    if (!(await editableBranch(tx, who, branchId))) return notFound;
    const before = await liveContact(tx, branchId, contactId);
    if (!before) return notFound;
    const now = ctx.clock.now();
    const [after] = await tx
      .update(branchContacts)
      .set({ deletedAt: now, isPrimary: false, updatedAt: now })
      .where(eq(branchContacts.id, contactId))
      .returning();
    await recordAudit(ctx, { table: 'branch_contacts', recordId: contactId, action: 'delete', before, after, userId: who.userId }, tx);
    return { ok: true as const, id: contactId };
  });
}
