// Query results as the real service hands them out: the first rows inline in the query response
// (`rowset`), the rest as `chunks`, each a URL the SDK GETs (on the real service, presigned cloud
// storage; here the fake's own /chunks/<queryId>/<n>) with the `chunkHeaders` it must send back.
// A chunk body is the rows' JSON arrays joined by commas, without the surrounding brackets.
// Results are snapshots: rows changed after the query do not leak into its later chunks.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { COLUMN_INDEX, VIEW_COLUMNS, rowtypeOf, type ViewColumn } from './view-columns';

export interface ResultSnapshot {
  queryId: string;
  columns: ViewColumn[];
  /** Wire JSON of every result row (all view columns); projected when served. */
  rows: string[];
  chunkKey: string;
  createdAt: number;
}

export interface ResultLayout {
  inlineRows: number;
  chunkRows: number;
}

const CHUNK_KEY_HEADER = 'x-fake-chunk-key';

export function newSnapshot(columns: ViewColumn[], rows: string[], nowMs: number): ResultSnapshot {
  return { queryId: randomUUID(), columns, rows, chunkKey: randomBytes(16).toString('hex'), createdAt: nowMs };
}

/** Serves the view's JSON text as is when all columns are asked in view order; else projects it. */
function projector(columns: readonly ViewColumn[]): (encoded: string) => string {
  const whole = columns.length === VIEW_COLUMNS.length && columns.every((c, i) => c === VIEW_COLUMNS[i]);
  if (whole) return (encoded) => encoded;
  const picks = columns.map((c) => COLUMN_INDEX.get(c)!);
  return (encoded) => {
    const values = JSON.parse(encoded) as unknown[];
    return JSON.stringify(picks.map((p) => values[p]));
  };
}

export function chunkBounds(snapshot: ResultSnapshot, layout: ResultLayout): { start: number; end: number }[] {
  const bounds: { start: number; end: number }[] = [];
  for (let start = Math.min(layout.inlineRows, snapshot.rows.length); start < snapshot.rows.length; start += layout.chunkRows) {
    bounds.push({ start, end: Math.min(snapshot.rows.length, start + layout.chunkRows) });
  }
  return bounds;
}

/** The query-request (or /queries/<id>/result) reply, split around the inline rowset. */
export function queryReply(snapshot: ResultSnapshot, layout: ResultLayout, context: { baseUrl: string; view: string; warehouse: string; role: string }) {
  const project = projector(snapshot.columns);
  const inline = snapshot.rows.slice(0, Math.min(layout.inlineRows, snapshot.rows.length)).map(project);
  const chunks = chunkBounds(snapshot, layout).map((b, n) => ({
    url: `${context.baseUrl}/chunks/${snapshot.queryId}/${n}`,
    rowCount: b.end - b.start,
    uncompressedSize: (b.end - b.start) * 256,
    compressedSize: (b.end - b.start) * 64,
  }));
  const [database, schema] = context.view.split('.').length === 3 ? context.view.split('.') : ['ANALYTICS', context.view.split('.')[0]];
  const data = {
    parameters: [
      { name: 'TIMEZONE', value: 'UTC' },
      { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
      { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
    ],
    rowtype: rowtypeOf(snapshot.columns, context.view),
    rowset: '__ROWSET__',
    total: snapshot.rows.length,
    returned: snapshot.rows.length,
    queryId: snapshot.queryId,
    databaseProvider: null,
    finalDatabaseName: database,
    finalSchemaName: schema,
    finalWarehouseName: context.warehouse,
    finalRoleName: context.role,
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: 4096, // SELECT
    version: 1,
    sendResultTime: snapshot.createdAt,
    queryResultFormat: 'json',
    chunkHeaders: { [CHUNK_KEY_HEADER]: snapshot.chunkKey },
    chunks,
  };
  const [prefix, suffix] = JSON.stringify({ success: true, code: null, message: null, data }).split('"__ROWSET__"');
  return { prefix: `${prefix}[`, rows: inline, suffix: `]${suffix}` };
}

/** Writes a JSON reply whose rows can be cut off after `dropAfter` rows (the connection then dies). */
export function writeRows(res: ServerResponse, parts: { prefix: string; rows: string[]; suffix: string }, dropAfter?: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(parts.prefix);
  const limit = dropAfter === undefined ? parts.rows.length : Math.min(dropAfter, parts.rows.length);
  for (let i = 0; i < limit; i += 500) res.write((i > 0 ? ',' : '') + parts.rows.slice(i, Math.min(limit, i + 500)).join(','));
  if (dropAfter !== undefined) {
    // Let what was written reach the client, then kill the socket mid-body.
    res.socket?.setNoDelay(true);
    setImmediate(() => res.socket?.destroy());
    return;
  }
  res.end(parts.suffix);
}

/** One chunk body: its rows as JSON arrays joined by commas, streamed in slices. */
export function writeChunk(res: ServerResponse, snapshot: ResultSnapshot, bounds: { start: number; end: number }, dropAfter?: number): void {
  const project = projector(snapshot.columns);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const end = dropAfter === undefined ? bounds.end : Math.min(bounds.end, bounds.start + dropAfter);
  const slice = 1000;
  let at = bounds.start;
  const pump = () => {
    while (at < end) {
      const to = Math.min(end, at + slice);
      const text = (at > bounds.start ? ',' : '') + snapshot.rows.slice(at, to).map(project).join(',');
      at = to;
      if (!res.write(text)) {
        res.once('drain', pump);
        return;
      }
    }
    if (dropAfter !== undefined) setImmediate(() => res.socket?.destroy());
    else res.end();
  };
  pump();
}

export { CHUNK_KEY_HEADER };
