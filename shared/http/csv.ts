/**
 * CSV for spreadsheets (RFC 4180): UTF-8 with a byte-order mark so Excel reads Chinese, CRLF
 * line ends, every cell quoted. A cell that begins with `= + - @` (or a tab or carriage return) is
 * neutralised with a leading apostrophe, so a spreadsheet never runs it as a formula (CSV injection).
 */
const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv<Row>(
  columns: readonly { header: string; value: (row: Row) => unknown }[],
  rows: readonly Row[],
): string {
  const lines = [
    columns.map((c) => csvCell(c.header)),
    ...rows.map((row) => columns.map((c) => csvCell(c.value(row)))),
  ];
  return `${BOM}${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}
