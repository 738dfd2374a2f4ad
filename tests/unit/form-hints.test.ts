// One description per field (issue 10 item 2, decision 085 addendum): the hand-laid-out forms take
// their browser hints from the same FieldSpec the server schema takes its limit from. So no JSX may
// type a limit again, and each schema refuses one character past the hint and accepts the hint.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { auditFilterFields } from '../../app/core/audit/audit-filter-fields';
import { activityQuerySchema } from '../../app/core/audit/activity-query.server';
import { auditQuerySchema } from '../../app/core/audit/audit-query.server';
import { contactFields } from '../../app/core/clients/contact-form-fields';
import { contactFormSchema } from '../../app/core/clients/update-contacts.server';
import { clientListQuerySchema } from '../../app/core/clients/list-query.server';
import { inputHints, type FieldSpec } from '../../app/core/config/form-fields';
import { searchField } from '../../app/core/forms/search-fields';
import { branchCodesField } from '../../app/core/jobs/sync-form-fields';
import { syncRequestSchema } from '../../app/core/jobs/sync-requests.server';
import { bulkFormSchema } from '../../app/core/status/bulk-form.server';
import { statusFormSchema } from '../../app/core/status/status-form.server';
import { remarksField } from '../../app/core/status/status-form-fields';
import { reinstateFormSchema, teleStatusFormSchema } from '../../app/core/tele/tele-forms.server';
import { createUserSchema } from '../../app/core/users/create-user.server';
import { userFields } from '../../app/core/users/user-form-fields';
import { userListQuerySchema } from '../../app/core/users/user-list-query.server';
import { workspaceQuerySchema } from '../../app/core/workspace/workspace-query.server';

const appDir = path.resolve(__dirname, '../../app');

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? tsxFiles(full) : name.endsWith('.tsx') ? [full] : [];
  });
}

/** Whether a value of `length` characters is refused for its length (zod's too_big) by the field's schema. */
function tooLong(schema: z.ZodType, length: number, filler: (n: number) => string = (n) => 'a'.repeat(n)) {
  const parsed = schema.safeParse(filler(length));
  return !parsed.success && parsed.error.issues.some((issue) => issue.code === 'too_big');
}

type Shape = Record<string, z.ZodType>;
const shapeOf = (schema: unknown): Shape => (schema as { shape: Shape }).shape;
const email = (n: number) => `${'a'.repeat(n - 8)}@x.co.ph`;

const CASES: Array<[form: string, spec: FieldSpec, field: z.ZodType, filler?: (n: number) => string]> = [
  ['status remarks', remarksField, shapeOf(statusFormSchema).remarks],
  ['bulk remarks', remarksField, shapeOf(bulkFormSchema).remarks],
  ['tele remarks', remarksField, shapeOf(teleStatusFormSchema).remarks],
  ['reinstate remarks', remarksField, shapeOf(reinstateFormSchema).remarks],
  ['contact number', contactFields.contactNumber, shapeOf(contactFormSchema).contactNumber],
  ['alternate number', contactFields.contactNumberAlt, shapeOf(contactFormSchema).contactNumberAlt],
  ['user email', userFields.email, shapeOf(createUserSchema).email, email],
  ['user full name', userFields.fullName, shapeOf(createUserSchema).fullName],
  ['sync branch codes', branchCodesField, shapeOf(syncRequestSchema).branchCodes],
  ['clients search', searchField, shapeOf(clientListQuerySchema).q],
  ['workspace search', searchField, shapeOf(workspaceQuerySchema).q],
  ['users search', searchField, shapeOf(userListQuerySchema).q],
  ['activity search', searchField, shapeOf(activityQuerySchema).q],
  ['activity user', auditFilterFields.user, shapeOf(activityQuerySchema).user],
  ['activity action', auditFilterFields.action, shapeOf(activityQuerySchema).action],
  ['activity resource', auditFilterFields.resource, shapeOf(activityQuerySchema).resource],
  ['activity resource id', auditFilterFields.resourceId, shapeOf(activityQuerySchema).resourceId],
  ['audit user', auditFilterFields.user, shapeOf(auditQuerySchema).user],
];

describe('one description per field: hints and server limits agree', () => {
  it('no JSX in app/ types a length or number limit by hand', () => {
    const typed = tsxFiles(appDir).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => [line, i] as const)
        .filter(([line]) => /\b(maxLength|minLength|min|max)=\{-?\d/.test(line))
        .map(([line, i]) => `${path.relative(appDir, file)}:${i + 1}: ${line.trim()}`),
    );
    expect(typed).toEqual([]);
  });

  it.each(CASES)('%s: the server accepts the hint and refuses one past it', (_form, spec, field, filler) => {
    const max = inputHints(spec).maxLength;
    expect(max).toBeGreaterThan(0);
    expect(tooLong(field, max!, filler), 'at the hint').toBe(false);
    expect(tooLong(field, max! + 1, filler), 'one past the hint').toBe(true);
  });
});
