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

/**
 * The rows of a CSV text (RFC 4180: quoted cells may hold commas, quotes doubled, line breaks;
 * CRLF or LF line ends), a leading byte-order mark dropped, blank lines skipped. Returns undefined
 * for a quote left open.
 */
export function parseCsv(text: string): string[][] | undefined {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (source[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') cell += c;
  }
  if (quoted) return undefined;
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}
