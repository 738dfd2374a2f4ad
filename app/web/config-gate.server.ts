// The config screens' gate (routes admin.config*): one gate per request, the table from the
// registry (unknown slug: 404), the admin's reach, the row of the URL inside it, and the logged 403.
import type { LoaderFunctionArgs } from '@remix-run/server-runtime';
import { logActivity } from '../core/audit/activity-log.server';
import { configReach, type ConfigReach } from '../core/config/config-reach.server';
import { configRow } from '../core/config/config-rows.server';
import { configTable, type ConfigTable } from '../core/config/config-tables.server';
import type { ConfigWriteResult } from '../core/config/config-writes.server';
import { failWith } from './form-protocol.server';
import { forbidden, notFound } from './http-errors.server';
import { requireStaff, type Staff } from './require-staff.server';
import { idParam } from './route-id.server';

export type ConfigArgs = Pick<LoaderFunctionArgs, 'request' | 'context' | 'params'>;

export interface ConfigGate {
  staff: Staff;
  reach: ConfigReach;
  def: ConfigTable;
}

/**
 * 403 for a config:manage holder whose reach does not cover this row or table (another company's,
 * or shared rows without every company): logged as access.denied like a missing permission.
 */
export async function denyConfigReach(args: ConfigArgs, gate: ConfigGate, why: string): Promise<never> {
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
export async function configGate(args: ConfigArgs, mode: 'read' | 'manage'): Promise<ConfigGate> {
  // The limit follows the method (a GET of the create form is a read).
  const limit = args.request.method === 'GET' || args.request.method === 'HEAD' ? 'read' : 'write';
  const staff = await requireStaff(args, { route: 'admin-config', permission: mode === 'read' ? 'config:read' : 'config:manage', limit });
  const ctx = args.context.app;
  const other = staff.access.scope(mode === 'read' ? 'config:manage' : 'config:read');
  const reach = await configReach(ctx, mode === 'read' ? staff.scope : other, mode === 'read' ? other : staff.scope);
  const def = configTable(args.params.table);
  if (!def) notFound();
  return { staff, reach, def };
}

/** The row of the URL's id inside the reach, or 404. */
export async function configRowOf(args: ConfigArgs, gate: ConfigGate) {
  const id = idParam(args.params.id);
  const row = id === null ? null : await configRow(args.context.app, gate.def, gate.reach, id);
  if (!row) notFound();
  return row;
}

/** A config write's refusal: 404 and the logged 403 are thrown, any other is a 400 FormReply; null when it succeeded (the caller redirects). */
export async function answerConfigWrite(
  args: ConfigArgs,
  gate: ConfigGate,
  result: ConfigWriteResult,
  values: Record<string, string | string[]>,
  intent: string,
) {
  if (result.ok) return null;
  if (result.status === 404) notFound(result.message);
  if (result.status === 403) await denyConfigReach(args, gate, result.message);
  return failWith(values, { field: result.field, message: result.message }, { intent });
}
