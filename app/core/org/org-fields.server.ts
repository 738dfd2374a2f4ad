/**
 * Field descriptions of the org forms for the shared admin form block (docs/decisions/070): they
 * render the inputs and give the browser its hints. The server parses with the zod schemas of
 * org-forms.ts (readFormWith), whose limits these mirror.
 */
import type { FieldOption, FieldSpec } from '../config/form-fields';
import { BRANCH_CATEGORIES, CONTACT_TYPES, limits } from './org-forms.server';

const options = (rows: Array<{ id: number; code: string; name?: string }>): FieldOption[] =>
  rows.map((r) => ({ value: String(r.id), label: r.name && r.name !== r.code ? `${r.code} · ${r.name}` : r.code }));

export function areaFields(companies: Array<{ id: number; code: string; name: string }>): FieldSpec[] {
  return [
    { name: 'companyId', label: 'Company', kind: 'select', ids: true, options: options(companies), createOnly: true },
    { name: 'code', label: 'Code', kind: 'code', maxLength: limits.areaCode, help: 'Unique in the company, e.g. NCR or R4A.' },
    { name: 'name', label: 'Name', kind: 'text', maxLength: limits.name },
    { name: 'isActive', label: 'Active (offered when assigning)', kind: 'boolean' },
  ];
}

export function branchFields(companies: Array<{ id: number; code: string; name: string }>): FieldSpec[] {
  return [
    { name: 'companyId', label: 'Company', kind: 'select', ids: true, options: options(companies), createOnly: true },
    {
      name: 'code',
      label: 'Code',
      kind: 'code',
      maxLength: limits.branchCode,
      createOnly: true,
      help: 'Letters and digits, e.g. MNLA01. Fixed once created: the client feed names the branch by it.',
    },
    { name: 'name', label: 'Name', kind: 'text', maxLength: limits.name },
    { name: 'location', label: 'Location', kind: 'text', maxLength: limits.location, required: false },
    { name: 'category', label: 'Category', kind: 'select', options: BRANCH_CATEGORIES.map((c) => ({ value: c, label: c === 'main' ? 'Main' : 'Satellite' })) },
    { name: 'isActive', label: "Active (in its users' territory)", kind: 'boolean' },
  ];
}

export function contactFields(): FieldSpec[] {
  return [
    { name: 'contactType', label: 'Type', kind: 'select', options: CONTACT_TYPES.map((c) => ({ value: c, label: c === 'phone' ? 'Phone' : 'Email' })) },
    {
      name: 'value',
      label: 'Number or email',
      kind: 'text',
      maxLength: limits.email,
      help: 'Philippine mobile (0917 123 4567) or landline with area code ((02) 8123 4567), or an email address.',
    },
    { name: 'label', label: 'Label', kind: 'text', maxLength: limits.label, required: false, placeholder: 'e.g. Branch line' },
    { name: 'isPrimary', label: 'Primary contact of the branch', kind: 'boolean' },
  ];
}

export function assignBranchFields(branches: Array<{ id: number; code: string; name: string }>): FieldSpec[] {
  return [
    { name: 'branchId', label: 'Branch', kind: 'select', ids: true, options: options(branches) },
    { name: 'isPrimary', label: 'Primary area of the branch', kind: 'boolean' },
  ];
}

export function assignUserFields(users: Array<{ id: number; name: string; email: string }>): FieldSpec[] {
  return [{ name: 'userId', label: 'User', kind: 'select', ids: true, options: users.map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` })) }];
}

/** The hidden record id a row form (unassign, remove, set primary) posts. */
export const recordIdField: FieldSpec = { name: 'recordId', label: 'Record', kind: 'text', maxLength: 16 };
