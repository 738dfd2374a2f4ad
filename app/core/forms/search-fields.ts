// The free-text search box of the list screens (clients, workspace, users, config tables, activity):
// one limit for the query schemas and the inputs' hints. No zod.
import type { FieldSpec } from '../config/form-fields';

export const searchField = { name: 'q', label: 'Search', kind: 'text', required: false, maxLength: 100 } as const satisfies FieldSpec;
