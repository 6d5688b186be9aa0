/** CSV for spreadsheets: BOM, CRLF, RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
import { describe, expect, it } from '@jest/globals';
import { csvCell, toCsv } from '../../../shared/http/csv.js';

describe('toCsv', () => {
  const columns = [
    { header: '姓名 name', value: (row: { name: unknown; note: unknown }) => row.name },
    { header: '备注 note', value: (row: { name: unknown; note: unknown }) => row.note },
  ] as const;

  it('starts with the UTF-8 byte-order mark and ends every line with CRLF', () => {
    const csv = toCsv(columns, [
      { name: '张三', note: 'first' },
      { name: '李四', note: 'second' },
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.startsWith('\uFEFF"姓名 name","备注 note"\r\n')).toBe(true);
    expect(csv).toBe('\uFEFF"姓名 name","备注 note"\r\n"张三","first"\r\n"李四","second"\r\n');
    // No bare LF anywhere: every line end is CRLF.
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    // The BOM is there once, in UTF-8 as EF BB BF.
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.lastIndexOf('\uFEFF')).toBe(0);
  });

  it('has just the header line for no rows', () => {
    expect(toCsv(columns, [])).toBe('\uFEFF"姓名 name","备注 note"\r\n');
  });

  it('keeps a line break inside a cell within its quotes', () => {
    expect(toCsv(columns, [{ name: 'a', note: 'two\nlines' }])).toBe(
      '\uFEFF"姓名 name","备注 note"\r\n"a","two\nlines"\r\n',
    );
  });

  it('writes null and undefined as empty cells', () => {
    expect(toCsv(columns, [{ name: null, note: undefined }])).toBe(
      '\uFEFF"姓名 name","备注 note"\r\n"",""\r\n',
    );
  });
});

describe('csvCell', () => {
  it('quotes every cell and doubles the quotes inside', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('"')).toBe('""""');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(12345)).toBe('"12345"');
    expect(csvCell(0)).toBe('"0"');
    expect(csvCell(false)).toBe('"false"');
  });

  it('writes null and undefined as empty', () => {
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell('')).toBe('""');
  });

  it.each([
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
  ])('neutralises %j with a leading apostrophe', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves a formula character that is not first untouched', () => {
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvCell('1+1')).toBe('"1+1"');
    expect(csvCell('x@example.com')).toBe('"x@example.com"');
    expect(csvCell('2026-03-10')).toBe('"2026-03-10"');
  });

  it('neutralises a number that prints with a leading minus', () => {
    expect(csvCell(-500)).toBe(`"'-500"`);
  });
});
