// The two file writers of an export (decision 093), both streaming to a local staging file:
// - CSV: UTF-8 with a BOM, csv-stringify per batch; text cells neutralised (a leading ' where a
//   spreadsheet would see a formula); money as plain decimals (1234.50), dates YYYY-MM-DD.
// - XLSX: the sheet XML streamed into a ZIP (xlsx-stream.ts, decision 097; memory stays flat);
//   bold frozen header row, auto-filter, column widths, money as numbers with a peso format, dates
//   as real dates; text is written as an inline string cell, never a formula.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { CSV_BOM, neutralCsvCell } from '../../app/core/exports/cell-text';
import type { CellValue, ColumnKind, ExportColumn } from '../../app/core/exports/export-rows.server';
import { createXlsxStream, type XlsxCell, type XlsxNumberFormat } from './xlsx-stream';

export interface ExportFileWriter {
  addRows(rows: CellValue[][]): Promise<void>;
  /** Flushes and closes the file. */
  finish(): Promise<void>;
  /** Stops writing after a failure (the staging file is then deleted by the caller). */
  abort(): Promise<void>;
}

export const PESO_FORMAT = '"₱"#,##0.00';
const MANILA_OFFSET_MS = 8 * 3_600_000;

/** Exact decimal text of integer centavos: 123450 → "1234.50". */
export function centavosText(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(centavos));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function asDate(v: CellValue): Date | null {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  return null;
}

/** Manila wall-clock time as "YYYY-MM-DD HH:MM:SS" (what a reader in the Philippines expects). */
function manilaText(d: Date): string {
  return new Date(d.getTime() + MANILA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function csvCell(kind: ColumnKind, v: CellValue): string {
  if (v === null || v === undefined) return '';
  switch (kind) {
    case 'money':
      return typeof v === 'number' ? centavosText(v) : neutralCsvCell(v);
    case 'percent':
      return typeof v === 'number' ? centavosText(v) : neutralCsvCell(v);
    case 'int':
      return typeof v === 'number' ? String(v) : neutralCsvCell(v);
    case 'yesno':
      return v ? 'Yes' : 'No';
    case 'date': {
      const d = asDate(v);
      return d ? d.toISOString().slice(0, 10) : neutralCsvCell(v);
    }
    case 'datetime': {
      const d = asDate(v);
      return d ? manilaText(d) : neutralCsvCell(v);
    }
    default:
      return neutralCsvCell(v);
  }
}

async function writeChunk(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function openCsvWriter(path: string, columns: ExportColumn[]): Promise<ExportFileWriter> {
  const out = createWriteStream(path, { flags: 'wx' });
  await once(out, 'open');
  await writeChunk(out, CSV_BOM + stringify([columns.map((c) => neutralCsvCell(c.header))]));
  return {
    async addRows(rows) {
      if (rows.length === 0) return;
      await writeChunk(out, stringify(rows.map((r) => r.map((v, i) => csvCell(columns[i].kind, v)))));
    },
    async finish() {
      out.end();
      await once(out, 'close');
    },
    async abort() {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    },
  };
}

function xlsxValue(kind: ColumnKind, v: CellValue): XlsxCell {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'money':
    case 'percent':
      return typeof v === 'number' ? v / 100 : String(v);
    case 'int':
      return typeof v === 'number' ? v : String(v);
    case 'yesno':
      return v ? 'Yes' : 'No';
    case 'date':
      return asDate(v) ?? String(v);
    case 'datetime': {
      // Excel has no time zones: the cell holds Manila wall-clock time.
      const d = asDate(v);
      return d ? new Date(d.getTime() + MANILA_OFFSET_MS) : String(v);
    }
    default:
      // Text is an inline string cell: Excel never runs it as a formula, whatever it begins with.
      return typeof v === 'string' ? v : String(v);
  }
}

const NUMBER_FORMATS: Partial<Record<ColumnKind, XlsxNumberFormat>> = {
  money: 'money',
  percent: 'decimal',
  int: 'int',
  date: 'date',
  datetime: 'datetime',
};

export async function openXlsxWriter(path: string, columns: ExportColumn[], sheetName = 'Export'): Promise<ExportFileWriter> {
  const out = createWriteStream(path, { flags: 'wx' });
  await once(out, 'open');
  const sheet = createXlsxStream(
    columns.map((c) => ({ header: c.header, width: c.width, format: NUMBER_FORMATS[c.kind] })),
    async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    sheetName,
  );
  return {
    async addRows(rows) {
      await sheet.addRows(rows.map((r) => r.map((v, i) => xlsxValue(columns[i].kind, v))));
    },
    async finish() {
      await sheet.finish();
      out.end();
      await once(out, 'close');
    },
    async abort() {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    },
  };
}
