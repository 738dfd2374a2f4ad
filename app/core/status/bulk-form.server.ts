// The workspace's bulk status form: the status form's fields (no version: each row carries its own)
// and the selected clients, at most maxBulkClients (domain.md "Limits").
import { z } from 'zod';
import { idField } from '../ids/record-id';
import { maxBulkClients } from './bulk-update.server';
import { statusFormSchema } from './status-form.server';

export const bulkFormSchema = statusFormSchema.omit({ baseVersion: true }).extend({
  clientIds: z.array(idField()).min(1, 'Select at least one client.').max(maxBulkClients, `Select at most ${maxBulkClients} clients.`),
});
