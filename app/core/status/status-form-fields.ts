// The status forms' fields as plain data (FieldSpec): the server schemas (status-form.server.ts,
// bulk-form.server.ts, the tele and reinstate schemas) take their limits from here and the browser
// forms their hints (inputHints), so the two never disagree. No zod (decision 081).
import type { FieldSpec } from '../config/form-fields';

/** Remarks of a status, a bulk update, a tele status (optional) or a reinstatement (required there). */
export const remarksField = { name: 'remarks', label: 'Remarks', kind: 'textarea', required: false, maxLength: 500 } as const satisfies FieldSpec;
