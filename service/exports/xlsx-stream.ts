// A one-sheet XLSX written as a stream (decision 097): the sheet's XML is built here, one string per
// batch of rows, deflated by Node's zlib at level 1 as it comes (native, 4–5× faster than a
// JavaScript deflate) into fflate's streaming ZIP container. exceljs' streaming writer built an
// object per cell and deflated at level 6: 3–4× the time of a CSV of the same rows.
// What the file holds: a bold header row, frozen (pane ySplit=1), an auto-filter over the header,
// column widths, numbers with a number format, dates as date serials, text as inline strings (never
// a formula, whatever it begins with).
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';
import { Zip, ZipDeflate, type ZipInputFile } from 'fflate';

/** One cell: text (an inline string), a number, a date (a serial with the column's format), or empty. */
export type XlsxCell = string | number | Date | null;
export interface XlsxColumn {
  header: string;
  width: number;
  /** The number format of the column's numeric and date cells (a style in STYLES_XML's cellXfs); none for text. */
  format?: XlsxNumberFormat;
}
export type XlsxNumberFormat = 'money' | 'decimal' | 'int' | 'date' | 'datetime';

// cellXfs: 0 plain, 1 bold (header), then one per number format.
const FORMAT_STYLE: Record<XlsxNumberFormat, number> = { money: 2, decimal: 3, int: 4, date: 5, datetime: 6 };
const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="3"><numFmt numFmtId="164" formatCode="&quot;₱&quot;#,##0.00"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>' +
  '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CONTENT_TYPES =
  HEAD +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>';
const ROOT_RELS =
  HEAD +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK_RELS =
  HEAD +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>';

function workbookXml(sheetName: string, filterRef: string): string {
  const name = escapeXml(sheetName);
  return (
    HEAD +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets>` +
    // Excel keeps an auto-filter's range in this hidden name as well as in the sheet.
    `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${name.replace(/'/g, "''")}'!${filterRef}</definedName></definedNames>` +
    '</workbook>'
  );
}

/** "A", "B", …, "Z", "AA", …: the column part of a cell reference. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// XML 1.0 cannot hold C0 controls other than tab, LF and CR (nor lone surrogates): they are dropped.
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(XML_SPECIAL, (c) => XML_ENTITY[c]);
}

function inlineString(ref: string, text: string, style: string): string {
  const escaped = escapeXml(text);
  // Leading or trailing spaces survive only with xml:space="preserve".
  const space = escaped.length > 0 && (escaped[0] === ' ' || escaped[escaped.length - 1] === ' ' || /[\t\n\r]/.test(escaped)) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${escaped}</t></is></c>`;
}

const EXCEL_EPOCH_DAYS = 25569; // 1970-01-01 as an Excel serial (the 1900 date system)
const excelSerial = (d: Date) => d.getTime() / 86_400_000 + EXCEL_EPOCH_DAYS;

/**
 * A ZIP entry deflated by a zlib stream (level 1: the sheet is most of the file and the deflate most
 * of the cost; level 1 makes it about a fifth larger than level 6 in half the time). fflate's Zip
 * takes any ZipInputFile; it writes the CRC and sizes in a data descriptor after the last chunk.
 */
function nativeDeflateEntry(filename: string) {
  const deflate = createDeflateRaw({ level: 1 });
  const entry: ZipInputFile = { filename, size: 0, crc: 0, compression: 8 };
  deflate.on('data', (chunk: Buffer) => entry.ondata?.(null, chunk as Uint8Array<ArrayBuffer>, false));
  deflate.on('error', (error) => entry.ondata?.(error as never, null as never, true));
  const ended = once(deflate, 'end').then(() => entry.ondata?.(null, new Uint8Array(0), true));
  return {
    entry,
    async write(bytes: Buffer) {
      entry.crc = crc32(bytes, entry.crc);
      entry.size += bytes.length;
      if (!deflate.write(bytes)) await once(deflate, 'drain');
    },
    async end() {
      deflate.end();
      await ended;
    },
  };
}

export interface XlsxStreamWriter {
  /** Appends rows to the sheet; resolves once their bytes are handed to `write`. */
  addRows(rows: XlsxCell[][]): Promise<void>;
  /** Closes the sheet and the ZIP. */
  finish(): Promise<void>;
}

/**
 * Writes a one-sheet workbook: `write` receives the ZIP's bytes in order (and may wait, e.g. for a
 * file stream to drain). The header row is bold and frozen and carries the auto-filter.
 */
export function createXlsxStream(columns: XlsxColumn[], write: (chunk: Uint8Array) => Promise<void>, sheetName = 'Export'): XlsxStreamWriter {
  if (columns.length === 0) throw new Error('an XLSX export needs at least one column');
  const pending: Uint8Array[] = [];
  let failed: Error | null = null;
  let ended = false;
  const zip = new Zip((err, data, final) => {
    if (err) failed = err;
    else {
      pending.push(data);
      if (final) ended = true;
    }
  });
  const flush = async () => {
    if (failed) throw failed;
    while (pending.length > 0) await write(pending.shift()!);
  };
  const small = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(new TextEncoder().encode(text), true);
  };
  const letters = columns.map((_, i) => columnLetters(i));
  const lastCol = letters[letters.length - 1];
  const filterRef = `$A$1:$${lastCol}$1`;
  small('[Content_Types].xml', CONTENT_TYPES);
  small('_rels/.rels', ROOT_RELS);
  small('xl/workbook.xml', workbookXml(sheetName, filterRef));
  small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  small('xl/styles.xml', STYLES_XML);

  const sheet = nativeDeflateEntry('xl/worksheets/sheet1.xml');
  zip.add(sheet.entry);
  const push = (text: string) => sheet.write(Buffer.from(text, 'utf8'));
  const styleAttr = columns.map((c) => (c.format ? ` s="${FORMAT_STYLE[c.format]}"` : ''));
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  const headerCells = columns.map((c, i) => inlineString(`${letters[i]}1`, c.header, ' s="1"')).join('');
  void push(
    HEAD +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData><row r="1">${headerCells}</row>`,
  );
  let rowNumber = 1;

  function cell(i: number, ref: string, v: XlsxCell): string {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${styleAttr[i]}><v>${v}</v></c>` : '';
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : `<c r="${ref}"${styleAttr[i]}><v>${excelSerial(v)}</v></c>`;
    return inlineString(ref, v, '');
  }

  return {
    async addRows(rows) {
      let xml = '';
      for (const r of rows) {
        rowNumber += 1;
        let line = `<row r="${rowNumber}">`;
        for (let i = 0; i < columns.length; i++) line += cell(i, letters[i] + rowNumber, r[i] ?? null);
        xml += `${line}</row>`;
      }
      if (xml) await push(xml);
      await flush();
    },
    async finish() {
      await push(
        `</sheetData><autoFilter ref="A1:${lastCol}1"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
      );
      await sheet.end();
      zip.end();
      await flush();
      if (!ended) throw new Error('the XLSX archive did not end');
    },
  };
}
