import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseIdNumber } from '../../../shared/identity/id-number.js';
import {
  acceptsRetirementRecord,
  dateAfterMonths,
  type RetirementInput,
  RetirementInputError,
  reachedRetirement,
  statutoryRetirement,
  type WomanCategory,
} from '../../../shared/withdrawals/retirement.js';

const man = (birthDate: string): RetirementInput => ({ birthDate, sex: 'male' });
const woman = (birthDate: string, womanCategory: WomanCategory): RetirementInput => ({
  birthDate,
  sex: 'female',
  womanCategory,
});

/** [years, extra months] of the statutory age. */
const age = (input: RetirementInput): [number, number] => {
  const r = statutoryRetirement(input);
  return [r.retirementAgeYears, r.retirementAgeExtraMonths];
};

describe('statutoryRetirement: men (60 → 63, one month per 4 months of cohort from 1965-01)', () => {
  it.each([
    ['1960-06-15', 60, 0],
    ['1964-12-31', 60, 0],
    ['1965-01-01', 60, 1],
    ['1965-04-30', 60, 1],
    ['1965-05-01', 60, 2],
    ['1971-01-10', 61, 7], // official table: born 1971-01..04 → 61 y 7 m
    ['1976-08-10', 62, 11],
    ['1976-09-10', 63, 0],
    ['1976-12-10', 63, 0],
    ['1977-01-10', 63, 0],
    ['1990-07-10', 63, 0],
  ])('born %s: %i years %i months', (birthDate, years, months) => {
    expect(age(man(birthDate))).toEqual([years, months]);
  });

  it('gives the month and the day the age is reached, with the rule version', () => {
    expect(statutoryRetirement(man('1965-03-10'))).toEqual({
      retirementAgeYears: 60,
      retirementAgeExtraMonths: 1,
      retirementAgeMonths: 721,
      retirementMonth: '2025-04',
      retirementDate: '2025-04-10',
      category: 'male',
      oldAgeYears: 60,
      ruleVersion: 'retirement-2025-01-01',
    });
    expect(statutoryRetirement(man('1976-12-05'))).toMatchObject({
      retirementMonth: '2039-12',
      retirementDate: '2039-12-05',
    });
  });

  it('keeps the 1978 version for whoever reached the old age before 2025-01-01', () => {
    expect(statutoryRetirement(man('1964-12-31'))).toMatchObject({
      retirementMonth: '2024-12',
      retirementDate: '2024-12-31',
      ruleVersion: 'retirement-1978-06-02',
    });
    expect(statutoryRetirement(man('1950-01-01')).ruleVersion).toBe('retirement-1978-06-02');
  });

  it('reaches the age on the last day of a month without the birth day', () => {
    // 60 y 1 m after 1965-01-31: February 2025 has no 31st.
    expect(statutoryRetirement(man('1965-01-31')).retirementDate).toBe('2025-02-28');
  });
});

describe('statutoryRetirement: women formerly 55 (55 → 58, every 4 months from 1970-01)', () => {
  it.each([
    ['1969-12-20', 55, 0],
    ['1970-01-20', 55, 1],
    ['1970-05-20', 55, 2],
    ['1981-08-20', 57, 11],
    ['1981-09-20', 58, 0],
    ['1981-12-20', 58, 0],
    ['1982-01-20', 58, 0],
  ])('born %s: %i years %i months', (birthDate, years, months) => {
    expect(age(woman(birthDate, 'age55'))).toEqual([years, months]);
  });

  it('is in the 1978 version for the 1969-12 cohort (reached 55 in 2024-12)', () => {
    expect(statutoryRetirement(woman('1969-12-20', 'age55'))).toMatchObject({
      retirementMonth: '2024-12',
      ruleVersion: 'retirement-1978-06-02',
      category: 'female-age55',
    });
  });
});

describe('statutoryRetirement: women formerly 50 (50 → 55, one month per 2 months from 1975-01)', () => {
  it.each([
    ['1974-12-01', 50, 0],
    ['1975-01-01', 50, 1],
    ['1975-02-28', 50, 1],
    ['1975-03-01', 50, 2],
    ['1980-01-15', 52, 7], // official table: born 1980-01..02 → 52 y 7 m
    ['1984-10-15', 54, 11],
    ['1984-11-15', 55, 0],
    ['1984-12-15', 55, 0],
    ['1985-01-15', 55, 0],
  ])('born %s: %i years %i months', (birthDate, years, months) => {
    expect(age(woman(birthDate, 'age50'))).toEqual([years, months]);
  });

  it('gives the retirement month as the birth month + the age', () => {
    expect(statutoryRetirement(woman('1975-03-01', 'age50'))).toMatchObject({
      retirementMonth: '2025-05',
      retirementDate: '2025-05-01',
      oldAgeYears: 50,
      ruleVersion: 'retirement-2025-01-01',
    });
  });
});

describe('the gradual increase, by property', () => {
  const cohorts = fc
    .record({ year: fc.integer({ min: 1955, max: 1995 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}-15`);
  const inputs = fc.oneof(
    cohorts.map(man),
    cohorts.map((d) => woman(d, 'age55')),
    cohorts.map((d) => woman(d, 'age50')),
  );

  it('never falls from one cohort to the next and rises by at most one month', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const next = { ...input, birthDate: dateAfterMonths(input.birthDate, 1) };
        const step =
          statutoryRetirement(next).retirementAgeMonths - statutoryRetirement(input).retirementAgeMonths;
        expect(step === 0 || step === 1).toBe(true);
      }),
    );
  });

  it('stays between the old age and the new cap, and the month is the birth month + the age', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const r = statutoryRetirement(input);
        const cap = { male: 63, 'female-age55': 58, 'female-age50': 55 }[r.category] * 12;
        expect(r.retirementAgeMonths).toBeGreaterThanOrEqual(r.oldAgeYears * 12);
        expect(r.retirementAgeMonths).toBeLessThanOrEqual(cap);
        expect(r.retirementMonth).toBe(dateAfterMonths(input.birthDate, r.retirementAgeMonths).slice(0, 7));
      }),
    );
  });
});

describe('statutoryRetirement: the inputs', () => {
  it('refuses a woman without a category, with a code and both languages', () => {
    const call = (): unknown => statutoryRetirement({ birthDate: '1975-01-01', sex: 'female' });
    expect(call).toThrow(RetirementInputError);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({ code: 'WOMAN_CATEGORY_REQUIRED' });
      expect((error as RetirementInputError).localized['zh-CN']).toMatch(/原55周岁或原50周岁/);
    }
  });

  it('refuses a category on a man, an unknown category and a bad date', () => {
    expect(() =>
      statutoryRetirement({ birthDate: '1970-01-01', sex: 'male', womanCategory: 'age55' }),
    ).toThrow(expect.objectContaining({ code: 'WOMAN_CATEGORY_ON_MAN' }));
    expect(() =>
      statutoryRetirement({
        birthDate: '1970-01-01',
        sex: 'female',
        womanCategory: 'age45' as WomanCategory,
      }),
    ).toThrow(/womanCategory/);
    expect(() => statutoryRetirement(man('1970-02-30'))).toThrow(/calendar date/);
  });
});

describe('reachedRetirement', () => {
  it('is true from the day the age is reached, not from the first of the month', () => {
    const input = man('1965-03-10'); // 60 y 1 m → 2025-04-10
    expect(reachedRetirement(input, '2025-04-01')).toBe(false);
    expect(reachedRetirement(input, '2025-04-09')).toBe(false);
    expect(reachedRetirement(input, '2025-04-10')).toBe(true);
    expect(reachedRetirement(input, '2030-01-01')).toBe(true);
  });

  it('uses the last day of a short month', () => {
    const input = man('1965-01-31'); // → 2025-02-28
    expect(reachedRetirement(input, '2025-02-27')).toBe(false);
    expect(reachedRetirement(input, '2025-02-28')).toBe(true);
  });
});

describe('acceptsRetirementRecord (flexible early retirement: up to 3 years, never below the old age)', () => {
  // Formerly 50, born 1985-06-15: statutory 55 → 2040-06-15; 3 years early → 52 → 2037-06-15.
  const worker = woman('1985-06-15', 'age50');
  // Decided long after every record below: only the age rule is at work.
  const decidedOn = '2045-01-02';

  it('accepts a record exactly 3 years before the statutory date', () => {
    expect(acceptsRetirementRecord({ ...worker, retirementDate: '2037-06-15' }, decidedOn)).toMatchObject({
      accepted: true,
      earliestDate: '2037-06-15',
      ruleVersion: 'retirement-2025-01-01',
    });
  });

  it('refuses 3 years and 1 month before (and even one day more than 3 years)', () => {
    const refused = acceptsRetirementRecord({ ...worker, retirementDate: '2037-05-15' }, decidedOn);
    expect(refused).toMatchObject({ accepted: false, code: 'RETIREMENT_RECORD_TOO_EARLY' });
    if (refused.accepted) throw new Error('expected a refusal');
    expect(refused.message['zh-CN']).toMatch(/前3年/);
    expect(refused.message.en).toMatch(/more than 3 years before the statutory age \(55 years/);
    expect(acceptsRetirementRecord({ ...worker, retirementDate: '2037-06-14' }, decidedOn).accepted).toBe(
      false,
    );
  });

  it('accepts any date on or after the statutory date', () => {
    expect(acceptsRetirementRecord({ ...worker, retirementDate: '2040-06-15' }, decidedOn).accepted).toBe(
      true,
    );
    expect(acceptsRetirementRecord({ ...worker, retirementDate: '2041-01-01' }, decidedOn).accepted).toBe(
      true,
    );
  });

  it('refuses a date below the old age even within 3 years of the statutory date', () => {
    // Man born 1970-01-20: 61 y 4 m (2031-05-20); 3 years early would be 58 y 4 m, but never below 60.
    const input = man('1970-01-20');
    expect(statutoryRetirement(input)).toMatchObject({ retirementAgeYears: 61, retirementAgeExtraMonths: 4 });
    const refused = acceptsRetirementRecord({ ...input, retirementDate: '2029-12-20' }, decidedOn);
    expect(refused).toMatchObject({
      accepted: false,
      code: 'RETIREMENT_RECORD_BELOW_OLD_AGE',
      earliestDate: '2030-01-20',
    });
    expect(acceptsRetirementRecord({ ...input, retirementDate: '2030-01-20' }, decidedOn).accepted).toBe(
      true,
    );
  });

  it('lets the 1978 version accept nothing before the old age', () => {
    const input = man('1960-05-05');
    expect(acceptsRetirementRecord({ ...input, retirementDate: '2020-05-04' }, decidedOn)).toMatchObject({
      accepted: false,
      code: 'RETIREMENT_RECORD_BELOW_OLD_AGE',
      ruleVersion: 'retirement-1978-06-02',
    });
    expect(acceptsRetirementRecord({ ...input, retirementDate: '2020-05-05' }, decidedOn).accepted).toBe(
      true,
    );
  });

  it('refuses a retirement date before the birth date as an error', () => {
    expect(() => acceptsRetirementRecord({ ...worker, retirementDate: '1980-01-01' }, decidedOn)).toThrow(
      RangeError,
    );
  });
});

/** The applicant as the ID number gives them. */
function holder(idNumber: string): RetirementInput {
  const id = parseIdNumber(idNumber, '2026-03-01');
  if (!id.ok) throw new Error(`test ID number refused: ${id.code}`);
  return { birthDate: id.value.birthDate, sex: id.value.sex };
}

describe('acceptsRetirementRecord: special types of work (特殊工种) and ill health (病退)', () => {
  const today = '2026-03-01';
  const man1970 = holder('320302197003071038'); // born 1970-03-07
  const woman1980 = holder('34130219800821202X'); // born 1980-08-21
  const man1975 = holder('370402197505123058'); // born 1975-05-12

  it('accepts a special-work record from the day a man turns 55, which the statutory age would refuse', () => {
    const record = { ...man1970, retirementDate: '2025-03-07' };
    expect(acceptsRetirementRecord({ ...record, category: 'special-work' }, today)).toMatchObject({
      accepted: true,
      category: 'special-work',
      earliestDate: '2025-03-07',
    });
    expect(acceptsRetirementRecord(record, today)).toMatchObject({
      accepted: false,
      code: 'RETIREMENT_RECORD_BELOW_OLD_AGE',
    });
  });

  it.each(['2024-03-07', '2025-03-06'])(
    'refuses a special-work record dated %s (before 55)',
    (retirementDate) => {
      const refused = acceptsRetirementRecord(
        { ...man1970, retirementDate, category: 'special-work' },
        today,
      );
      expect(refused).toMatchObject({
        accepted: false,
        code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE',
        earliestDate: '2025-03-07',
      });
      if (refused.accepted) throw new Error('expected a refusal');
      expect(refused.message['zh-CN']).toMatch(/特殊工种.*55周岁.*2025-03-07/);
      expect(refused.message.en).toMatch(/special types of work is possible from 55 years .*2025-03-07/);
    },
  );

  it("accepts a woman's special-work record at 45, whatever her former statutory age and whether it is recorded", () => {
    const record = { ...woman1980, retirementDate: '2025-08-21', category: 'special-work' as const };
    expect(acceptsRetirementRecord(record, today).accepted).toBe(true);
    expect(acceptsRetirementRecord({ ...record, womanCategory: 'age55' }, today).accepted).toBe(true);
    expect(acceptsRetirementRecord({ ...record, womanCategory: 'age50' }, today).accepted).toBe(true);
    expect(acceptsRetirementRecord({ ...record, retirementDate: '2025-08-20' }, today)).toMatchObject({
      accepted: false,
      code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE',
    });
  });

  it('accepts an ill-health record from the day a man turns 50 and refuses one at 49', () => {
    const record = { ...man1975, category: 'ill-health' as const };
    expect(acceptsRetirementRecord({ ...record, retirementDate: '2025-05-12' }, today)).toMatchObject({
      accepted: true,
      earliestDate: '2025-05-12',
    });
    const refused = acceptsRetirementRecord({ ...record, retirementDate: '2024-05-12' }, today);
    expect(refused).toMatchObject({ accepted: false, code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE' });
    if (refused.accepted) throw new Error('expected a refusal');
    expect(refused.message['zh-CN']).toMatch(/病退.*50周岁/);
    expect(refused.message.en).toMatch(/loss of working capacity.*50 years/);
  });

  it('judges the record under the rule version in force when the age was reached', () => {
    const reached2012 = holder('320303196206202052'); // born 1962-06-20: 50 on 2012-06-20
    expect(
      acceptsRetirementRecord(
        { ...reached2012, retirementDate: '2012-06-20', category: 'ill-health' },
        today,
      ),
    ).toMatchObject({ accepted: true, ruleVersion: 'retirement-1978-06-02' });
    expect(
      acceptsRetirementRecord({ ...man1975, retirementDate: '2025-05-12', category: 'ill-health' }, today),
    ).toMatchObject({ accepted: true, ruleVersion: 'retirement-2025-01-01' });
  });
});

describe('acceptsRetirementRecord: a record dated after the day of the decision', () => {
  const retired = holder('320303196206202052'); // born 1962-06-20: 60 on 2022-06-20

  it.each(['statutory', 'special-work', 'ill-health'] as const)('is refused as a %s record', (category) => {
    const refused = acceptsRetirementRecord(
      { ...retired, retirementDate: '2026-03-02', category },
      '2026-03-01',
    );
    expect(refused).toMatchObject({ accepted: false, code: 'RETIREMENT_RECORD_IN_FUTURE' });
    if (refused.accepted) throw new Error('expected a refusal');
    expect(refused.message['zh-CN']).toMatch(/2026-03-02.*晚于今天/);
    expect(refused.message.en).toMatch(/2026-03-02.*after today/);
  });

  it('is accepted once that day has come', () => {
    expect(acceptsRetirementRecord({ ...retired, retirementDate: '2026-03-02' }, '2026-03-02').accepted).toBe(
      true,
    );
  });

  it("is refused even where the account does not yet say which women's age applies", () => {
    const unrecorded = holder('370802197406104021'); // a woman born 1974-06-10
    expect(
      acceptsRetirementRecord({ ...unrecorded, retirementDate: '2026-03-02' }, '2026-03-01'),
    ).toMatchObject({ accepted: false, code: 'RETIREMENT_RECORD_IN_FUTURE' });
    // A past statutory record still needs that fact.
    expect(() =>
      acceptsRetirementRecord({ ...unrecorded, retirementDate: '2026-02-27' }, '2026-03-01'),
    ).toThrow(RetirementInputError);
  });
});

describe('dateAfterMonths', () => {
  it('keeps the day or takes the last day of a short month', () => {
    expect(dateAfterMonths('1965-01-31', 721)).toBe('2025-02-28');
    expect(dateAfterMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(dateAfterMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(dateAfterMonths('2025-03-15', -12)).toBe('2024-03-15');
  });
});
