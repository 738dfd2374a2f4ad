// The status form's one schema (client page and workspace rows post the same fields): what the
// server parses. Its limits come from status-form-fields.ts, which gives the browser its hints.
import { z } from 'zod';
import { idField } from '../ids/record-id';
import { maxLengthOf } from '../config/form-fields';
import { remarksField } from './status-form-fields';

const id = idField('Choose from the list.');

export const statusFormSchema = z.object({
  periodKey: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'Unknown period.'),
  baseVersion: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  statusTypeId: id,
  reasonId: z.union([z.literal('').transform(() => null), id]),
  remarks: z
    .string()
    .max(maxLengthOf(remarksField)!, `Remarks are at most ${maxLengthOf(remarksField)} characters.`)
    .optional()
    .transform((v) => v ?? null),
  hasPayment: z.enum(['yes', 'no'], { error: 'Say whether there was a payment.' }).transform((v) => v === 'yes'),
});
