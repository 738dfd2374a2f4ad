// The download (decision 093): the request screen links to /reports/exports/<id>/download, which
// checks permission and ownership and redirects to a signed link valid export_link_ttl_minutes
// (default 60); the signed link is served by the app from the storage port. Another user's link, an
// expired or forged one, or a file no longer there: 404, and an activity row saying why.
import type { AppContext } from '../../platform/context';
import { exportLinkSecret } from '../../platform/env';
import { logActivity } from '../audit/activity-log.server';
import { numberSetting } from '../config/settings.server';
import { signDownload, verifyDownload } from './download-link';
import { ownExport } from './my-exports.server';

export const DEFAULT_LINK_TTL_MINUTES = 60;
export const DOWNLOAD_PATH = '/reports/exports/file';

type Who = { userId: number; userAgent?: string | null };
export type DownloadRefusal = 'not_owner_or_unknown' | 'not_ready' | 'bad_signature' | 'expired_link' | 'other_user' | 'file_missing' | 'no_storage';

async function refuse(ctx: AppContext, who: Who, exportId: number | string | null, reason: DownloadRefusal): Promise<{ ok: false; reason: DownloadRefusal }> {
  await logActivity(ctx, {
    userId: who.userId,
    action: 'export.download_refused',
    resourceType: 'export',
    resourceId: exportId ?? undefined,
    details: { reason },
    userAgent: who.userAgent,
  });
  ctx.logger.warn('export download refused', { userId: who.userId, exportId, reason });
  return { ok: false, reason };
}

/** The signed link for the owner's ready export. */
export async function signedDownloadHref(
  ctx: AppContext,
  who: Who,
  exportId: number,
): Promise<{ ok: true; href: string } | { ok: false; reason: DownloadRefusal }> {
  const row = await ownExport(ctx, who.userId, exportId);
  if (!row) return refuse(ctx, who, exportId, 'not_owner_or_unknown');
  if (row.state !== 'ready') return refuse(ctx, who, exportId, 'not_ready');
  // The Workers host wires no export storage (decision 097): say so instead of a link that 404s.
  if (!ctx.exportFiles) return refuse(ctx, who, exportId, 'no_storage');
  const minutes = await numberSetting(ctx, 'export_link_ttl_minutes', DEFAULT_LINK_TTL_MINUTES);
  const expiresAt = ctx.clock.now().getTime() + Math.max(1, minutes) * 60_000;
  const token = await signDownload({ exportId, userId: who.userId, expiresAt }, exportLinkSecret(ctx.env));
  return { ok: true, href: `${DOWNLOAD_PATH}?t=${token}` };
}

export interface OpenedDownload {
  ok: true;
  exportId: number;
  fileName: string;
  format: 'csv' | 'xlsx';
  size: number;
  body: ReadableStream<Uint8Array>;
}

/** The file behind a signed link, for the signed-in user it was made for, while it is valid. */
export async function openSignedDownload(ctx: AppContext, who: Who, token: string): Promise<OpenedDownload | { ok: false; reason: DownloadRefusal }> {
  const claim = await verifyDownload(token, exportLinkSecret(ctx.env));
  if (!claim) return refuse(ctx, who, null, 'bad_signature');
  if (claim.expiresAt <= ctx.clock.now().getTime()) return refuse(ctx, who, claim.exportId, 'expired_link');
  if (claim.userId !== who.userId) return refuse(ctx, who, claim.exportId, 'other_user');
  const row = await ownExport(ctx, who.userId, claim.exportId);
  if (!row) return refuse(ctx, who, claim.exportId, 'not_owner_or_unknown');
  if (row.state !== 'ready' || !row.filePath) return refuse(ctx, who, claim.exportId, 'not_ready');
  if (!ctx.exportFiles) return refuse(ctx, who, claim.exportId, 'no_storage');
  const file = await ctx.exportFiles.read(row.filePath);
  if (!file) return refuse(ctx, who, claim.exportId, 'file_missing');
  await logActivity(ctx, {
    userId: who.userId,
    action: 'export.download',
    resourceType: 'export',
    resourceId: claim.exportId,
    details: { kind: row.kind, format: row.format, sizeBytes: file.size },
    userAgent: who.userAgent,
  });
  return {
    ok: true,
    exportId: claim.exportId,
    fileName: row.fileName ?? `export-${claim.exportId}.${row.format}`,
    format: row.format,
    size: file.size,
    body: file.body,
  };
}
