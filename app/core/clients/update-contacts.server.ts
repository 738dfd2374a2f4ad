import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { clients } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { maxLengthOf, type FieldSpec } from '../config/form-fields';
import { contactFields } from './contact-form-fields';
import { parsePhilippinePhone } from './phone-numbers';

const phone = (label: string, field: FieldSpec, required: boolean) =>
  z
    .string({ error: `Enter ${label.toLowerCase()}.` })
    .trim()
    .max(maxLengthOf(field)!, `${label} is at most ${maxLengthOf(field)} characters.`)
    .transform((value, ctx) => {
      if (value === '') {
        if (!required) return null;
        ctx.addIssue({ code: 'custom', message: `Enter ${label.toLowerCase()}.` });
        return z.NEVER;
      }
      const parsed = parsePhilippinePhone(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.canonical;
    });

/** The contact form: a required contact number and an optional alternate, both normalised (phone-numbers.ts). */
export const contactFormSchema = z
  .object({
    contactNumber: phone('The contact number', contactFields.contactNumber, true).transform((v) => v as string),
    contactNumberAlt: phone('The alternate number', contactFields.contactNumberAlt, false)
      .optional()
      .transform((v) => v ?? null),
  })
  .superRefine((v, ctx) => {
    if (v.contactNumberAlt !== null && v.contactNumberAlt === v.contactNumber) {
      ctx.addIssue({ code: 'custom', path: ['contactNumberAlt'], message: 'The alternate number is the same as the contact number; leave it empty.' });
    }
  });
export type ContactUpdate = z.output<typeof contactFormSchema>;

export type ContactUpdateResult = { ok: true; changed: Array<keyof ContactUpdate> } | { ok: false; code: 'NOT_FOUND' };

/**
 * Writes the changed contact numbers of one client in the scope (clients:update) and logs
 * `client.contacts_updated` with the old and new values, in ONE transaction. Nothing changed:
 * nothing written, nothing logged. The numbers go only to the activity log, never to the server log.
 */
export async function updateClientContacts(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope; userAgent?: string | null },
  clientId: number,
  next: ContactUpdate,
): Promise<ContactUpdateResult> {
  return ctx.write(async (tx) => {
    const [row] = await tx
      .select({ contactNumber: clients.contactNumber, contactNumberAlt: clients.contactNumberAlt, companyId: clients.companyId, branchId: clients.branchId })
      .from(clients)
      .where(and(eq(clients.id, clientId), isNull(clients.deletedAt), scopeCondition(who.scope, { companyId: clients.companyId, branchId: clients.branchId })))
      .limit(1);
    if (!row) return { ok: false as const, code: 'NOT_FOUND' as const };
    const changes: Partial<ContactUpdate> = {};
    const old: Record<string, string | null> = {};
    for (const field of ['contactNumber', 'contactNumberAlt'] as const) {
      if (row[field] !== next[field]) {
        changes[field] = next[field] as string; // the alternate may be null: the column is nullable
        old[field] = row[field];
      }
    }
    const changed = Object.keys(changes) as Array<keyof ContactUpdate>;
    if (!changed.length) return { ok: true as const, changed };
    await tx
      .update(clients)
      .set({ ...changes, updatedAt: ctx.clock.now() })
      .where(eq(clients.id, clientId));
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'client.contacts_updated',
        resourceType: 'client',
        resourceId: clientId,
        companyId: row.companyId,
        branchId: row.branchId,
        details: { old, new: changes },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true as const, changed };
  });
}
