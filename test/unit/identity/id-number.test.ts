import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { idNumberCheckCharacter, parseIdNumber } from '../../../shared/identity/id-number.js';

const TODAY = '2025-06-30';

/** Appends the check character the module computes: for tests about everything but the check. */
function withCheck(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

/**
 * ISO 7064 MOD 11-2 verified the standard's own way, independently of the module's weight table:
 * with weights 2^(17−i) mod 11 and X worth 10, the weighted sum of all 18 characters is 1 mod 11.
 */
function satisfiesMod11_2(idNumber: string): boolean {
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const c = idNumber[i] as string;
    sum += (c === 'X' ? 10 : Number(c)) * (2 ** (17 - i) % 11);
  }
  return sum % 11 === 1;
}

describe('idNumberCheckCharacter', () => {
  it('matches the examples published with GB 11643', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
  });

  it('agrees with the MOD 11-2 verification rule for any 17 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{17}$/), (first17) => {
        expect(satisfiesMod11_2(first17 + idNumberCheckCharacter(first17))).toBe(true);
      }),
    );
  });

  it('refuses anything but 17 ASCII digits, without echoing the input', () => {
    expect(() => idNumberCheckCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => idNumberCheckCharacter('11010519491231002X')).toThrow(RangeError);
    expect(() => idNumberCheckCharacter('１１０１０５１９４９１２３１００２')).toThrow(RangeError);
    expect(() => idNumberCheckCharacter('1101051949123100A')).toThrow(/^(?!.*110105)/);
  });
});

describe('parseIdNumber: valid numbers', () => {
  it('parses the published example 11010519491231002X', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', regionCode: '110105' },
    });
  });

  it('refuses the published example 440524188001010014 for its birth date alone', () => {
    // Its check character is right (see idNumberCheckCharacter) but 1880 is before the 1900 floor.
    expect(parseIdNumber('440524188001010014', TODAY)).toMatchObject({
      ok: false,
      code: 'ID_NUMBER_BIRTH_DATE',
    });
  });

  it('reads birth date, sex (odd 17th digit = male) and region from Xuzhou and Jining numbers', () => {
    const male = withCheck('32031119900101123');
    expect(parseIdNumber(male, TODAY)).toEqual({
      ok: true,
      value: { idNumber: male, birthDate: '1990-01-01', sex: 'male', regionCode: '320311' },
    });
    const female = withCheck('37080219851115002');
    expect(parseIdNumber(female, TODAY)).toEqual({
      ok: true,
      value: { idNumber: female, birthDate: '1985-11-15', sex: 'female', regionCode: '370802' },
    });
  });

  it('normalises a lowercase check character x to X', () => {
    const result = parseIdNumber('11010519491231002x', TODAY);
    expect(result.ok && result.value.idNumber).toBe('11010519491231002X');
  });

  it('accepts 29 February in a leap year, 1 January 1900 and a birth date of today', () => {
    expect(parseIdNumber(withCheck('32030020000229001'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('32030019000101001'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('32030020250630001'), TODAY).ok).toBe(true);
  });

  it('accepts any number with a possible birth date and the right check character', () => {
    const birth = fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2025-06-30T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{6}$/),
        birth,
        fc.stringMatching(/^[0-9]{3}$/),
        (region, date, seq) => {
          const ymd = date.toISOString().slice(0, 10);
          const id = withCheck(region + ymd.replaceAll('-', '') + seq);
          const result = parseIdNumber(id, TODAY);
          expect(result).toEqual({
            ok: true,
            value: {
              idNumber: id,
              birthDate: ymd,
              sex: Number(seq[2]) % 2 ? 'male' : 'female',
              regionCode: region,
            },
          });
        },
      ),
    );
  });

  it('defaults today to the current date, so a birth date next year is refused', () => {
    // 31 December of next year (UTC) is in the future in Beijing too, whenever the test runs.
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(parseIdNumber(withCheck(`320311${nextYear}1231001`))).toMatchObject({
      code: 'ID_NUMBER_BIRTH_DATE',
    });
    expect(parseIdNumber('11010519491231002X').ok).toBe(true);
  });
});

describe('parseIdNumber: refusals', () => {
  it.each([
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['empty', ''],
    ['a leading space', ' 11010519491231002X'],
    ['a trailing space', '11010519491231002X '],
    ['a trailing newline', '11010519491231002X\n'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['a full-width X', '11010519491231002Ｘ'],
    ['Chinese characters', '张三10519491231002X'],
    ['X before the last place', '1101051949123100X2'],
    ['another letter as check character', '11010519491231002A'],
    ['an old 15-digit number', '110105491231002'],
    ['separators', '110105-19491231-002X'],
  ])('refuses %s as a format error', (_label, input) => {
    expect(parseIdNumber(input, TODAY)).toMatchObject({ ok: false, code: 'ID_NUMBER_FORMAT' });
  });

  it.each([
    ['30 February', '32031119900230123'],
    ['29 February in a non-leap year (1900)', '32031119000229123'],
    ['31 April', '32031119900431123'],
    ['month 13', '32031119901301123'],
    ['month 00', '32031119900001123'],
    ['day 00', '32031119900100123'],
    ['a birth before 1900', '32031118991231123'],
    ['a birth tomorrow', '32031120250701123'],
  ])('refuses %s as a birth-date error', (_label, first17) => {
    // The check character is right, so only the date can be at fault.
    expect(parseIdNumber(withCheck(first17), TODAY)).toMatchObject({
      ok: false,
      code: 'ID_NUMBER_BIRTH_DATE',
    });
  });

  it('refuses every wrong check character', () => {
    const first17 = '32031119900101123';
    const right = idNumberCheckCharacter(first17);
    const wrong = [...'0123456789X'].filter((c) => c !== right);
    expect(wrong).toHaveLength(10);
    for (const c of wrong)
      expect(parseIdNumber(first17 + c, TODAY)).toMatchObject({
        ok: false,
        code: 'ID_NUMBER_CHECK_CHARACTER',
      });
  });

  it('catches a single mistyped digit through the check character', () => {
    // 11010519491231002X with the sequence digit 2 → 3.
    expect(parseIdNumber('11010519491231003X', TODAY)).toMatchObject({ code: 'ID_NUMBER_CHECK_CHARACTER' });
  });

  it('gives a Chinese and an English message that never contain the number', () => {
    for (const input of ['11010519491231003X', withCheck('32031119900230123'), '11010519491231002X ']) {
      const result = parseIdNumber(input, TODAY);
      if (result.ok) throw new Error('expected a refusal');
      expect(result.messageZh).toMatch(/身份证/);
      expect(result.messageEn).toMatch(/ID number/);
      for (const message of [result.messageZh, result.messageEn]) {
        expect(message).not.toContain(input.trim().slice(0, 6));
        expect(message).not.toContain(input.trim().slice(6, 14));
      }
    }
  });

  it('refuses a malformed today, a programming error', () => {
    expect(() => parseIdNumber('11010519491231002X', '2025/06/30')).toThrow(RangeError);
  });
});
