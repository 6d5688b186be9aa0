import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { handler as registerEmployer } from '../../../functions/employer-open/handler.js';
import { isCleanText, textField } from '../../../shared/http/fields.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

/** One character no text field may carry: a control character, DEL, a bidi override, a lone surrogate. */
const unprintable = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'),
  fc.constantFrom('\ufffe', '\uffff'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);
const printable = fc.string({
  unit: fc.constantFrom('徐', '州', '有', '限', '公', '司', 'A', '1', ' ', '·', '（', '）'),
  maxLength: 20,
});
/** Printable text with one unprintable character somewhere inside (not only at an end, which trim might remove). */
const dirty = fc
  .tuple(printable, unprintable, printable)
  .map(([before, bad, after]) => `甲${before}${bad}${after}乙`);

const body = {
  uscc: '91350100M000100Y43',
  name: '徐州云龙科技有限公司',
  city: '320300',
  address: '江苏省徐州市云龙区和平路 1 号',
  contactName: '王会计',
  contactPhone: '13905160000',
  payday: 15,
};

describe('clean text', () => {
  it('accepts Chinese, Latin, digits, spaces and full-width punctuation', () => {
    for (const value of ['徐州云龙科技有限公司', 'Zhang San', '（一）号楼 3 单元', '王·小明']) {
      expect(isCleanText(value)).toBe(true);
      expect(z.safeParse(textField(50), value).success).toBe(true);
    }
    // a surrogate pair is one well-formed character
    expect(isCleanText('𠀋')).toBe(true);
  });

  it('refuses every string carrying an unprintable character', () => {
    fc.assert(
      fc.property(dirty, (value) => {
        const parsed = z.safeParse(textField(100), value);
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues[0]).toMatchObject({ params: { code: 'TEXT_NOT_PRINTABLE' } });
      }),
      { numRuns: 1000 },
    );
  });

  it('a real handler answers 400 naming the field for 1,000 fuzzed text fields, before touching anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('name', 'address', 'contactName'), dirty, async (field, value) => {
        const response = await registerEmployer(
          httpEvent({
            method: 'POST',
            routePath: '/v1/employers',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...body, [field]: value }),
            claims: { sub: 'employer-1', role: 'employer', uscc: body.uscc, city: '320300' },
          }),
          lambdaContext(),
        );
        expect(response.statusCode).toBe(400);
        const problem = JSON.parse(response.body ?? '{}');
        expect(problem.code).toBe('VALIDATION_FAILED');
        expect(problem.errors).toEqual([
          expect.objectContaining({ in: 'body', field, code: 'TEXT_NOT_PRINTABLE' }),
        ]);
      }),
      { numRuns: 1000 },
    );
  });
});
