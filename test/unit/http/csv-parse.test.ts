import { describe, expect, it } from '@jest/globals';
import { parseCsv, toCsv } from '../../../shared/http/csv.js';

describe('parseCsv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF, a BOM dropped', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x,1","say ""hi""\nthere"\n\n3,\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"\nthere'],
      ['3', ''],
    ]);
  });

  it('reads back what toCsv writes', () => {
    const rows = [{ a: '淮海, "中心"', b: 12 }];
    const text = toCsv(
      [
        { header: 'a', value: (r: (typeof rows)[number]) => r.a },
        { header: 'b', value: (r: (typeof rows)[number]) => r.b },
      ],
      rows,
    );
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['淮海, "中心"', '12'],
    ]);
  });

  it('refuses a quote left open', () => {
    expect(parseCsv('a,"b\n')).toBeUndefined();
  });
});
