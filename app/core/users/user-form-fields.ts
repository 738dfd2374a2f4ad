// A user's profile fields (create and edit) as plain data: create-user.server.ts builds its schema's
// limits from them, the forms their hints. 254 is the longest address RFC 5321 allows. No zod.
import type { FieldSpec } from '../config/form-fields';

export const userFields = {
  email: { name: 'email', label: 'Email', kind: 'text', maxLength: 254 },
  fullName: { name: 'fullName', label: 'Full name', kind: 'text', maxLength: 120 },
} as const satisfies Record<string, FieldSpec>;
