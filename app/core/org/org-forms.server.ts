/**
 * One zod schema per org form (areas, branches, branch contacts, assignments). The same schemas
 * give the screens their field limits. Values arrive as form strings; a checkbox sends "on".
 */
import { z } from 'zod';
import { parsePhilippinePhone } from '../clients/phone-numbers';
import { idField } from '../ids/record-id';

export const BRANCH_CATEGORIES = ['main', 'satellite'] as const;
export type BranchCategory = (typeof BRANCH_CATEGORIES)[number];
export const CONTACT_TYPES = ['phone', 'email'] as const;

export const limits = { areaCode: 20, branchCode: 12, name: 100, location: 160, label: 60, email: 254, phone: 30 } as const;

const id = (what: string) => idField(`Choose ${what}.`);
const checkbox = z
  .preprocess((v) => (v === undefined || v === '' ? 'off' : v), z.enum(['on', 'off'], { error: 'Tick the box or leave it empty.' }))
  .transform((v) => v === 'on');
const text = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} is at most ${max} characters.`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} is at most ${max} characters.`)
    .optional()
    .transform((v) => v || null);

const areaCode = text('code', limits.areaCode)
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9_]+$/, 'Use letters, digits and _ only (e.g. NCR, R4A).'));
const branchCode = text('code', limits.branchCode)
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]+$/, 'Use letters and digits only (e.g. MNLA01).'));

export const areaEditSchema = z.object({ code: areaCode, name: text('name', limits.name), isActive: checkbox });
export const areaCreateSchema = areaEditSchema.extend({ companyId: id('a company') });
export type AreaEdit = z.output<typeof areaEditSchema>;
export type AreaCreate = z.output<typeof areaCreateSchema>;

export const branchEditSchema = z.object({
  name: text('name', limits.name),
  location: optionalText('location', limits.location),
  category: z.enum(BRANCH_CATEGORIES, { error: 'Choose main or satellite.' }),
  isActive: checkbox,
});
/** The code is fixed after creation: the Snowflake feed names a branch by its code alone. */
export const branchCreateSchema = branchEditSchema.extend({ companyId: id('a company'), code: branchCode });
export type BranchEdit = z.output<typeof branchEditSchema>;
export type BranchCreate = z.output<typeof branchCreateSchema>;

/** A contact: a Philippine phone number (stored canonical) or an email (stored lower-case). */
export const contactSchema = z
  .object({
    contactType: z.enum(CONTACT_TYPES, { error: 'Choose phone or email.' }),
    value: z
      .string({ error: 'Enter the number or address.' })
      .trim()
      .min(1, 'Enter the number or address.')
      .max(limits.email, `At most ${limits.email} characters.`),
    label: optionalText('label', limits.label),
    isPrimary: checkbox,
  })
  .transform((v, ctx) => {
    if (v.contactType === 'email') {
      const email = z.email().safeParse(v.value.toLowerCase());
      if (!email.success) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter a valid email address, e.g. branch@example.com.' });
        return z.NEVER;
      }
      return { ...v, value: email.data };
    }
    if (v.value.length > limits.phone) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `A phone number is at most ${limits.phone} characters.` });
      return z.NEVER;
    }
    const phone = parsePhilippinePhone(v.value);
    if (!phone.ok) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: phone.message });
      return z.NEVER;
    }
    return { ...v, value: phone.canonical };
  });
export type ContactInput = z.output<typeof contactSchema>;

export const assignBranchSchema = z.object({ branchId: id('a branch'), isPrimary: checkbox });
export const assignUserSchema = z.object({ userId: id('a user') });
export const recordIdSchema = (what: string) => z.object({ recordId: id(what) });
/** A row picked from a list (`rowId`): a branch on the area screen, a contact or user row on the branch screen. */
const rowIdSchema = (message: string) => z.object({ rowId: idField(message) });
export const areaRowIdSchema = rowIdSchema('Choose a branch from the list.');
export const branchRowIdSchema = rowIdSchema('Choose a row from the list.');
