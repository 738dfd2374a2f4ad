// The sync request form's free-text field as plain data: the schema (sync-requests.server.ts) and the
// form's hint take the same limit. No zod.
import type { FieldSpec } from '../config/form-fields';

export const branchCodesField = {
  name: 'branchCodes',
  label: 'Only these branches (codes, comma separated; empty = all)',
  kind: 'text',
  required: false,
  maxLength: 4000,
} as const satisfies FieldSpec;
