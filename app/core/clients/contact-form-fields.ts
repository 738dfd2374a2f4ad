// The contact form's fields as plain data: update-contacts.server.ts builds its schema's limits from
// them and ContactForm its hints. No zod (decision 081).
import type { FieldSpec } from '../config/form-fields';

export const contactFields = {
  contactNumber: { name: 'contactNumber', label: 'Contact number', kind: 'text', maxLength: 30 },
  contactNumberAlt: { name: 'contactNumberAlt', label: 'Alternate contact number (optional)', kind: 'text', required: false, maxLength: 30 },
} as const satisfies Record<string, FieldSpec>;
