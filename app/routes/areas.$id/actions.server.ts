import { type ActionFunctionArgs } from '@remix-run/server-runtime';
import { assignBranch, unassignBranch } from '../../core/org/area-branch-links.server';
import { deleteArea, managedArea, restoreArea, updateArea } from '../../core/org/area-writes.server';
import { areaFields, assignBranchFields } from '../../core/org/org-fields.server';
import { areaEditSchema, assignBranchSchema, areaRowIdSchema as rowIdSchema } from '../../core/org/org-forms.server';
import type { OrgResult } from '../../core/org/org-result.server';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, formFailure, readFormWith, savedMessage, readRequestForm } from '../../web/form-protocol.server';
import type { SavedCode } from '../../core/config/form-fields';
import { notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';
import { idParam } from '../../web/route-id.server';

const rowIdField = [{ name: 'rowId', label: 'Branch', kind: 'text' as const }];

export async function handleAction(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'area', permission: 'areas:manage', limit: 'write' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const who = { userId: staff.user.id, scope: staff.scope };
  // Another company's area, or one that does not exist: the same 404, before anything is read.
  if (id === null || !(await managedArea(ctx.db, who, id, null))) notFound();
  const form = await readRequestForm(args.request);
  const intent = String(form.get('intent') ?? '');
  const back = (saved: SavedCode) => redirectWithFlash(ctx, `/areas/${id}`, savedMessage('Area', saved, { deleted: 'deleted', saved: 'saved' }));
  const answer = (values: Record<string, string | string[]>, result: OrgResult<object>, saved: SavedCode) => {
    if (result.ok) return back(saved);
    if (result.code === 'NOT_FOUND') notFound();
    return failWith(values, { field: result.field === 'form' ? null : result.field, message: result.message }, { intent });
  };
  switch (intent) {
    case 'edit': {
      const read = readFormWith(form, areaEditSchema, areaFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await updateArea(ctx, who, id, read.data), 'updated');
    }
    case 'delete':
      return answer({}, await deleteArea(ctx, who, id), 'deleted');
    case 'restore':
      return answer({}, await restoreArea(ctx, who, id), 'restored');
    case 'assign-branch': {
      const read = readFormWith(form, assignBranchSchema, assignBranchFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await assignBranch(ctx, who, id, read.data), 'saved');
    }
    case 'unassign-branch': {
      const read = readFormWith(form, rowIdSchema, rowIdField);
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await unassignBranch(ctx, who, id, read.data.rowId), 'saved');
    }
    default:
      return failWith({}, { message: 'That form was not understood. Reload the page and try again.' });
  }
}
