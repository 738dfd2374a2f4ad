import type { LoaderFunctionArgs } from '@remix-run/server-runtime';
import { openSignedDownload } from '../core/exports/export-download.server';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';

const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

/**
 * A signed export link (decision 093): valid for the signed-in user it was made for, until it
 * expires; the file is streamed from the storage port. Otherwise 404, and the attempt is logged.
 */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports-export-file', permission: 'reports:export', limit: 'read' });
  const token = new URL(args.request.url).searchParams.get('t') ?? '';
  const file = await openSignedDownload(args.context.app, { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') }, token.slice(0, 200));
  if (!file.ok) notFound();
  const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return new Response(file.body, {
    headers: {
      'Content-Type': TYPES[file.format],
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${ascii}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
