import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { syncProgress } from '../core/jobs/sync-requests.server';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id.server';

/** One sync's progress as JSON, polled by the Sync screen every few seconds (same gate as the screen). */
export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, { route: 'admin-sync-progress', permission: 'sync:read', everyCompany: true, limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const progress = id === null ? null : await syncProgress(ctx, id);
  if (!progress) notFound();
  return json(progress, { headers: { 'Cache-Control': 'no-store' } });
}
