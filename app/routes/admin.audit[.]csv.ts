import type { LoaderFunctionArgs } from '@remix-run/server-runtime';
import { stringify } from 'csv-stringify/sync';
import { CSV_BOM, neutralCsvCell } from '../core/exports/cell-text';
import { auditBatch, parseAuditQuery } from '../core/audit/audit-query.server';
import { configReach } from '../core/config/config-reach.server';
import { badRequest } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';

/** At most this many rows per download (decision 072); the last line says when the cap cut it. */
export const AUDIT_CSV_MAX_ROWS = 50_000;
const BATCH = 500;
// The last six: the maker-checker request a change was applied through (decision 101), empty for a direct change.
const HEADER = [
  ...['id', 'created_at_utc', 'user_id', 'user_email', 'table', 'record_id', 'action', 'field', 'old_value', 'new_value', 'ip', 'request_id'],
  ...['approval_request_id', 'maker_email', 'made_at_utc', 'checker_email', 'decided_at_utc', 'approval_outcome'],
];

// A spreadsheet runs a cell that starts with = + - @, a tab or CR as a formula: the one rule of every CSV the app writes.
const cell = neutralCsvCell;

/** The audit log as CSV, same filters as the viewer, one line per changed field; streamed in keyset batches. */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-audit-csv', permission: 'config:read', limit: 'export' });
  const ctx = args.context.app;
  const parsed = parseAuditQuery(new URL(args.request.url).searchParams);
  if (!parsed.ok) badRequest(parsed.message);
  const reach = await configReach(ctx, staff.scope, staff.access.scope('config:manage'));
  const encoder = new TextEncoder();
  let before: number | null = null;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // UTF-8 with a BOM, like the exports: Excel then shows "Ñ" and "ñ".
      controller.enqueue(encoder.encode(CSV_BOM + stringify([HEADER])));
    },
    async pull(controller) {
      const rows = await auditBatch(ctx, reach, parsed.query, before, Math.min(BATCH, AUDIT_CSV_MAX_ROWS - sent));
      const lines: string[][] = [];
      for (const r of rows) {
        const a = r.approval;
        const approval = a
          ? [a.requestId, a.makerEmail, a.madeAt.toISOString(), a.checkerEmail, a.decidedAt?.toISOString() ?? '', a.outcome]
          : ['', '', '', '', '', ''];
        const old = (r.oldValues ?? {}) as Record<string, unknown>;
        const now = (r.newValues ?? {}) as Record<string, unknown>;
        const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])];
        for (const f of fields.length ? fields : ['']) {
          lines.push(
            [
              r.id,
              new Date(r.createdAt).toISOString(),
              r.userId,
              r.userEmail,
              r.tableName,
              r.recordId,
              r.action,
              f,
              f && r.oldValues ? old[f] : '',
              f && r.newValues ? now[f] : '',
              r.ip,
              r.requestId,
              ...approval,
            ].map(cell),
          );
        }
      }
      if (lines.length) controller.enqueue(encoder.encode(stringify(lines)));
      sent += rows.length;
      before = rows.length ? rows[rows.length - 1].id : before;
      if (rows.length < BATCH || sent >= AUDIT_CSV_MAX_ROWS) {
        if (sent >= AUDIT_CSV_MAX_ROWS)
          controller.enqueue(encoder.encode(stringify([[`# cut at ${AUDIT_CSV_MAX_ROWS} changes: narrow the filters for the rest`]])));
        controller.close();
      }
    },
  });
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-log-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
