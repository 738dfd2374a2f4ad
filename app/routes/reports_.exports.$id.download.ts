import { redirect, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { signedDownloadHref } from '../core/exports/export-download.server';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id.server';

const NOT_SERVED_HERE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Download not available here · Client Updater</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>Download not available here</h1>
<p>Your export is ready, but export files are not served from this address. Download it from the Node host of Client Updater
(the embedded deployment), where the file is stored; this edge host does not read the export storage.</p>
<p><a href="/reports/exports">Back to your exports</a></p></body></html>`;

/** The Workers host has no export storage (decision 097): a plain page that says where downloads are served, not a dead link. */
function notServedHere(): Response {
  return new Response(NOT_SERVED_HERE, {
    status: 501,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** The owner's ready export: a redirect to its signed link (decision 093). Anyone else's, or not ready: 404, logged. */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports-export-download', permission: 'reports:export', limit: 'read' });
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const link = await signedDownloadHref(args.context.app, { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') }, id);
  if (!link.ok && link.reason === 'no_storage') return notServedHere();
  if (!link.ok) notFound();
  return redirect(link.href, { headers: { 'Cache-Control': 'no-store' } });
}
