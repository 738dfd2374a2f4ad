// The FCASH tele forms' schemas (tele status, Month to Update, NextBank retry) and the reinstate
// form's: what the server parses. The browser's hints come from the same limits
// (status-form-fields.ts). A bad version token is the form's error, not a field's (decision 045).
import { z } from 'zod';
import { idField, parseRecordId } from '../ids/record-id';
import { maxLengthOf } from '../config/form-fields';
import { remarksField } from '../status/status-form-fields';

const remarksMax = maxLengthOf(remarksField)!;
const remarksTooLong = `Remarks are at most ${remarksMax} characters.`;

/** The newest tele history row the form was based on: empty or missing is 0 (none yet). */
const baseTeleHistoryId = z
  .string()
  .optional()
  .refine((v) => !v || v === '0' || parseRecordId(v) !== null, 'This form is out of date or damaged: reload the page.')
  .transform((v) => (v ? Number(v) : 0));
const code = (message: string) => z.string({ error: message }).trim().min(1, message).max(60, message);

export const teleStatusFormSchema = z.object({
  teleStatus: code('Choose a tele status.'),
  updateStatus: code('Choose an update status.'),
  reason: z
    .string()
    .trim()
    .max(60, 'Choose a reason from the list.')
    .optional()
    .transform((v) => v || null),
  remarks: z
    .string()
    .max(remarksMax, remarksTooLong)
    .optional()
    .transform((v) => v ?? null),
  baseTeleHistoryId,
});

export const monthFormSchema = z.object({
  monthToUpdate: z.string({ error: 'Enter the Month to Update.' }).trim().min(1, 'Enter the Month to Update.').max(20, 'Enter the date as YYYY-MM-DD.'),
  baseTeleHistoryId,
});

export const retryFormSchema = z.object({ historyId: idField('Nothing to retry.') });

export const reinstateFormSchema = z.object({
  remarks: z.string({ error: 'Say why the client is reinstated.' }).trim().min(1, 'Say why the client is reinstated.').max(remarksMax, remarksTooLong),
});
