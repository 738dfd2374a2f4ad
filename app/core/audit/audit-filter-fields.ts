// The filters of the activity and audit viewers as plain data: their query schemas
// (activity-query.server.ts, audit-query.server.ts) and the filter inputs take the same limits. No zod.
import type { FieldSpec } from '../config/form-fields';

export const auditFilterFields = {
  user: { name: 'user', label: 'User (email or id)', kind: 'text', required: false, maxLength: 254 },
  action: { name: 'action', label: 'Action', kind: 'text', required: false, maxLength: 60 },
  resource: { name: 'resource', label: 'Resource type', kind: 'text', required: false, maxLength: 40 },
  resourceId: { name: 'resourceId', label: 'Resource id', kind: 'text', required: false, maxLength: 200 },
} as const satisfies Record<string, FieldSpec>;
