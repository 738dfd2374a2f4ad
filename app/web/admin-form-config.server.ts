// The config screens' gate and form handling (routes admin.config*.tsx stay small): one gate per
// request, the table from the registry (unknown slug: 404), the admin's reach, and the actions.
import type { LoaderFunctionArgs } from '@remix-run/server-runtime';
import { logActivity } from '../core/audit/activity-log.server';
import { configChoices } from '../core/config/config-choices.server';
import { formRules } from '../core/config/config-checks.server';
import { canCreateIn, configReach, type ConfigReach } from '../core/config/config-reach.server';
import { configRow, notManagedMessage } from '../core/config/config-rows.server';
import { configTable, type ConfigTable } from '../core/config/config-tables.server';
import { moveConfigRow, saveConfigRow, setConfigRowActive, type ConfigWriteResult } from '../core/config/config-writes.server';
import { redirectWithFlash } from './flash.server';
import { failWith, formFailure, readForm, savedMessage } from './form-protocol.server';
import { forbidden, notFound } from './http-errors.server';
import { requireStaff, type Staff } from './require-staff.server';
import { idParam } from './route-id';
import { safeRedirect } from './safe-redirect';

type Args = Pick<LoaderFunctionArgs, 'request' | 'context' | 'params'>;

export interface ConfigGate {
  staff: Staff;
  reach: ConfigReach;
  def: ConfigTable;
}

/**
 * 403 for a config:manage holder whose reach does not cover this row or table (another company's,
 * or shared rows without every company): logged as access.denied like a missing permission.
 */
export async function denyConfigReach(args: Args, gate: ConfigGate, why: string): Promise<never> {
  await logActivity(args.context.app, {
    userId: gate.staff.user.id,
    action: 'access.denied',
    resourceType: 'route',
    resourceId: new URL(args.request.url).pathname,
    details: { permission: 'config:manage', method: args.request.method, needs: why },
    userAgent: args.request.headers.get('user-agent'),
  });
  return forbidden();
}

/** GET: config:read (what config:manage adds is in reach.manageIds). POST: config:manage. */
export async function configGate(args: Args, mode: 'read' | 'manage'): Promise<ConfigGate> {
  // The limit follows the method (a GET of the create form is a read).
  const limit = args.request.method === 'GET' || args.request.method === 'HEAD' ? 'read' : 'write';
  const staff = await requireStaff(args, { route: 'admin-config', permission: mode === 'read' ? 'config:read' : 'config:manage', limit });
  const ctx = args.context.app;
  const other = staff.access.scopeOf(mode === 'read' ? 'config:manage' : 'config:read');
  const reach = await configReach(ctx, mode === 'read' ? staff.scope : other, mode === 'read' ? other : staff.scope);
  const def = configTable(args.params.table);
  if (!def) notFound();
  return { staff, reach, def };
}

/** The row of the URL's id inside the reach, or 404. */
export async function configRowOf(args: Args, gate: ConfigGate) {
  const id = idParam(args.params.id);
  const row = id === null ? null : await configRow(args.context.app, gate.def, gate.reach, id);
  if (!row) notFound();
  return row;
}

const SAVED: Record<string, 'deleted' | 'restored' | 'moved'> = { delete: 'deleted', restore: 'restored', 'move-up': 'moved', 'move-down': 'moved' };

async function answer(args: Args, gate: ConfigGate, result: ConfigWriteResult, values: Record<string, string | string[]>, intent: string) {
  if (result.ok) return null;
  if (result.status === 404) notFound(result.message);
  if (result.status === 403) await denyConfigReach(args, gate, result.message);
  return failWith(values, { field: result.field, message: result.message }, { intent });
}

/** POST /admin/config/:table/new: validate with the schema built from the fields, create, audit. */
export async function createConfigRowAction(args: Args) {
  const gate = await configGate(args, 'manage');
  const ctx = args.context.app;
  if (!canCreateIn(gate.reach, gate.def.company)) await denyConfigReach(args, gate, "config:manage 'all' in every company (shared table)");
  const fields = gate.def.fields(await configChoices(ctx, gate.def, gate.reach, 'write'));
  const read = readForm(await args.request.formData(), fields, formRules(gate.def, null));
  if (!read.ok) return formFailure({ ...read.reply, intent: 'save' });
  const result = await saveConfigRow(ctx, gate.def, { userId: gate.staff.user.id, reach: gate.reach }, null, read.data);
  return (
    (await answer(args, gate, result, read.values, 'save')) ??
    redirectWithFlash(ctx, `/admin/config/${gate.def.slug}/${result.ok ? result.id : ''}`, savedMessage(gate.def.noun, 'created'))
  );
}

/** POST /admin/config/:table/:id — intent save | delete | restore | move-up | move-down. */
export async function editConfigRowAction(args: Args) {
  const gate = await configGate(args, 'manage');
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const form = await args.request.formData();
  const intent = String(form.get('intent') ?? '');
  const who = { userId: gate.staff.user.id, reach: gate.reach };
  const here = `/admin/config/${gate.def.slug}/${id}`;
  if (intent === 'save') {
    const row = await configRow(ctx, gate.def, gate.reach, id);
    if (!row) notFound();
    if (!row.canManage) await denyConfigReach(args, gate, notManagedMessage(gate.def, row.ownerCompanyId));
    const fields = gate.def.fields(await configChoices(ctx, gate.def, gate.reach, 'write', row));
    const read = readForm(form, fields, formRules(gate.def, row));
    if (!read.ok) return formFailure({ ...read.reply, intent });
    const result = await saveConfigRow(ctx, gate.def, who, id, read.data);
    return (await answer(args, gate, result, read.values, intent)) ?? redirectWithFlash(ctx, here, savedMessage(gate.def.noun, 'updated'));
  }
  if (!SAVED[intent]) return failWith({}, { message: 'That form was not understood. Reload the page and try again.' }, { intent });
  const result =
    intent === 'delete' || intent === 'restore'
      ? await setConfigRowActive(ctx, gate.def, who, id, intent === 'restore')
      : await moveConfigRow(ctx, gate.def, who, id, intent === 'move-up' ? 'up' : 'down');
  const back = safeRedirect(form.get('returnTo'), here);
  const target = back.startsWith(`/admin/config/${gate.def.slug}`) ? back : here;
  // A removed setting has no page left: back to the list.
  const gone = result.ok && intent === 'delete' && !gate.def.softDelete;
  // A hard-deleted row (a setting) is "deleted"; a soft-deleted one "deactivated".
  const message = savedMessage(gate.def.noun, SAVED[intent], gate.def.softDelete ? {} : { deleted: 'deleted' });
  return (await answer(args, gate, result, {}, intent)) ?? redirectWithFlash(ctx, gone ? `/admin/config/${gate.def.slug}` : target, message);
}
