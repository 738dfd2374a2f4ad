import { redirect, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { signedDownloadHref } from '../core/exports/export-download.server';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id';

/** The owner's ready export: a redirect to its signed link (decision 093). Anyone else's, or not ready: 404, logged. */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports-export-download', permission: 'reports:export', limit: 'read' });
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const link = await signedDownloadHref(args.context.app, { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') }, id);
  if (!link.ok) notFound();
  return redirect(link.href, { headers: { 'Cache-Control': 'no-store' } });
}
