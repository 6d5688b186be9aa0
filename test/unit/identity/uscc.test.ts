import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseUscc, usccCheckCharacter } from '../../../shared/identity/uscc.js';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100 computed from its definition (weights 3^i mod 31), independently of the module's table. */
function referenceCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i] as string) * (3 ** i % 31);
  return CHARSET[(31 - (sum % 31)) % 31] as string;
}

const first17Arb = fc
  .array(fc.constantFrom(...CHARSET), { minLength: 17, maxLength: 17 })
  .map((cs) => cs.join(''));

describe('usccCheckCharacter', () => {
  it('gives 3 for the commonly cited 91350100M000100Y43', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('agrees with the definition for any 17 characters of the charset', () => {
    fc.assert(
      fc.property(first17Arb, (first17) => {
        expect(usccCheckCharacter(first17)).toBe(referenceCheckCharacter(first17));
      }),
    );
  });

  it('refuses a wrong length, a character outside the charset and lowercase', () => {
    expect(() => usccCheckCharacter('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheckCharacter('91350100O000100Y4')).toThrow(RangeError);
    expect(() => usccCheckCharacter('91350100m000100y4')).toThrow(RangeError);
  });
});

describe('parseUscc', () => {
  it('accepts 91350100M000100Y43 without a warning', () => {
    expect(parseUscc('91350100M000100Y43')).toEqual({
      ok: true,
      value: { uscc: '91350100M000100Y43', checkCharacterValid: true },
    });
  });

  it('accepts a code built from the algorithm', () => {
    const first17 = '91320300MA1WXY0QR';
    const uscc = first17 + referenceCheckCharacter(first17);
    expect(parseUscc(uscc)).toEqual({ ok: true, value: { uscc, checkCharacterValid: true } });
  });

  it('normalises lowercase letters to uppercase', () => {
    expect(parseUscc('91350100m000100y43')).toEqual({
      ok: true,
      value: { uscc: '91350100M000100Y43', checkCharacterValid: true },
    });
  });

  it('accepts a mismatching check character with a warning, as legal early codes have', () => {
    const result = parseUscc('91350100M000100Y44');
    expect(result).toEqual({
      ok: true,
      value: {
        uscc: '91350100M000100Y44',
        checkCharacterValid: false,
        warning: {
          code: 'USCC_CHECK_CHARACTER',
          messageZh: expect.any(String),
          messageEn: expect.any(String),
        },
      },
    });
    if (!result.ok || !result.value.warning) throw new Error('expected a warning');
    expect(result.value.warning.messageZh).toMatch(/校验位/);
    expect(result.value.warning.messageEn).toMatch(/check character/);
  });

  it('warns for every wrong check character of any code', () => {
    fc.assert(
      fc.property(first17Arb, fc.constantFrom(...CHARSET), (first17, check) => {
        const result = parseUscc(first17 + check);
        const valid = check === referenceCheckCharacter(first17);
        expect(result.ok && result.value.checkCharacterValid).toBe(valid);
        expect(result.ok && result.value.warning !== undefined).toBe(!valid);
      }),
    );
  });

  it.each([
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['empty', ''],
    ['a leading space', ' 91350100M000100Y43'],
    ['a trailing space', '91350100M000100Y43 '],
    ['I', '91350100I000100Y43'],
    ['O', '91350100O000100Y43'],
    ['Z', '91350100Z000100Y43'],
    ['S', '91350100S000100Y43'],
    ['V', '91350100V000100Y43'],
    ['lowercase o, refused after uppercasing too', '91350100o000100Y43'],
    ['full-width characters', '９１３５０１００Ｍ０００１００Ｙ４３'],
    ['Chinese characters', '91350100M000100Y4号'],
    ['a hyphen', '91350100-M000100Y4'],
  ])('refuses %s as a format error', (_label, input) => {
    expect(parseUscc(input)).toEqual({
      ok: false,
      code: 'USCC_FORMAT',
      messageZh: expect.stringMatching(/统一社会信用代码/),
      messageEn: expect.stringMatching(/unified social credit code/),
    });
  });

  it('returns results a caller may change without affecting later ones', () => {
    const first = parseUscc('bad');
    if (first.ok) throw new Error('expected a refusal');
    first.messageEn = 'changed';
    expect(parseUscc('bad')).toMatchObject({ messageEn: expect.not.stringMatching(/changed/) });
  });
});
