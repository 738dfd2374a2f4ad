// Spreadsheet formula injection (CWE-1236): a cell that begins with = + - @, a tab or a carriage
// return may be run as a formula by Excel, LibreOffice or Sheets. Every CSV the app writes passes
// its text cells through neutralCsvCell; the XLSX writer stores text as text (never a formula).
// Pure and browser-safe.

const FORMULA_START = /^[=+\-@\t\r]/;

export function startsLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** The text as a CSV cell that no spreadsheet runs: a leading single quote where it could be a formula. */
export function neutralCsvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return startsLikeFormula(text) ? `'${text}` : text;
}

/** UTF-8 byte order mark: Excel reads the CSV as UTF-8 only with it ("Ñ", "ñ"). */
export const CSV_BOM = '\uFEFF';
