import { type ActionFunctionArgs } from '@remix-run/server-runtime';
import type { SavedCode } from '../../core/config/form-fields';
import { addContact, removeContact, setPrimaryContact, updateContact } from '../../core/org/branch-contacts.server';
import { assignUser, unassignUser } from '../../core/org/branch-users.server';
import { deleteBranch, editableBranch, restoreBranch, updateBranch, wideBranch } from '../../core/org/branch-writes.server';
import { assignUserFields, branchFields, contactFields } from '../../core/org/org-fields.server';
import { assignUserSchema, branchEditSchema, contactSchema, branchRowIdSchema as rowIdSchema } from '../../core/org/org-forms.server';
import type { OrgResult } from '../../core/org/org-result.server';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, formFailure, readFormWith, savedMessage, readRequestForm } from '../../web/form-protocol.server';
import { forbidden, notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';
import { idParam } from '../../web/route-id.server';

const rowIdField = { name: 'rowId', label: 'Row', kind: 'text' as const };
const unknownForm = () => failWith({}, { message: 'That form was not understood. Reload the page and try again.' });

export async function handleAction(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branch', permission: 'branches:manage', limit: 'write' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const who = { userId: staff.user.id, scope: staff.scope };
  // Outside the manager's reach, or unknown: the same 404, before the form is read.
  if (id === null || !((await editableBranch(ctx.db, who, id)) ?? (await wideBranch(ctx.db, who, id, null)))) notFound();
  const form = await readRequestForm(args.request);
  const intent = String(form.get('intent') ?? '');
  const answer = (values: Record<string, string | string[]>, result: OrgResult<object>, saved: SavedCode) => {
    if (result.ok) return redirectWithFlash(ctx, `/branches/${id}`, savedMessage('Branch', saved, { deleted: 'deleted', saved: 'saved' }));
    if (result.code === 'NOT_FOUND') notFound();
    return failWith(values, { field: result.field === 'form' ? null : result.field, message: result.message }, { intent });
  };
  const row = readFormWith(form, rowIdSchema, [rowIdField]);
  const needsRow = ['edit-contact', 'remove-contact', 'primary-contact', 'unassign-user'].includes(intent);
  if (needsRow && !row.ok) return formFailure(row.reply);
  const rowId = row.ok ? row.data.rowId : 0;
  switch (intent) {
    case 'edit': {
      const read = readFormWith(form, branchEditSchema, branchFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await updateBranch(ctx, who, id, read.data), 'updated');
    }
    case 'delete':
      return answer({}, await deleteBranch(ctx, who, id), 'deleted');
    case 'restore':
      return answer({}, await restoreBranch(ctx, who, id), 'restored');
    case 'add-contact':
    case 'edit-contact': {
      const read = readFormWith(form, contactSchema, [...contactFields(), rowIdField]);
      if (!read.ok) return formFailure(read.reply);
      const result = intent === 'add-contact' ? await addContact(ctx, who, id, read.data) : await updateContact(ctx, who, id, rowId, read.data);
      return answer(read.values, result, 'saved');
    }
    case 'remove-contact':
      return answer(row.ok ? row.values : {}, await removeContact(ctx, who, id, rowId), 'saved');
    case 'primary-contact':
      return answer(row.ok ? row.values : {}, await setPrimaryContact(ctx, who, id, rowId), 'saved');
    case 'assign-user':
    case 'unassign-user': {
      const usersScope = staff.access.scope('users:manage');
      if (!usersScope) forbidden('Assigning users needs the users:manage permission.');
      if (intent === 'unassign-user') return answer(row.ok ? row.values : {}, await unassignUser(ctx, who, usersScope, id, rowId), 'saved');
      const read = readFormWith(form, assignUserSchema, assignUserFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await assignUser(ctx, who, usersScope, id, read.data.userId), 'saved');
    }
    default:
      return unknownForm();
  }
}
