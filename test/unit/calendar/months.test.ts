import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addMonths,
  assertYearMonth,
  isYearMonth,
  monthOf,
  monthsBetween,
  nextMonth,
  previousMonth,
} from '../../../shared/calendar/dates.js';

const yearMonth = fc
  .record({ year: fc.integer({ min: 1100, max: 9800 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);

describe('YearMonth', () => {
  it('accepts only YYYY-MM with a month 01–12', () => {
    expect(isYearMonth('2025-07')).toBe(true);
    expect(isYearMonth('2025-12')).toBe(true);
    for (const bad of ['2025-13', '2025-00', '2025-7', '25-07', '2025-07-01', ' 2025-07', 202507]) {
      expect(isYearMonth(bad)).toBe(false);
    }
    expect(() => assertYearMonth('2025-13', 'asOfMonth')).toThrow(/asOfMonth must be a month 'YYYY-MM'/);
  });

  it('steps across a year end', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(nextMonth('2025-07')).toBe('2025-08');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2025-11', -23)).toBe('2023-12');
    expect(() => nextMonth('9999-12')).toThrow(RangeError);
    expect(() => nextMonth('2025-1')).toThrow(RangeError);
  });

  it('counts months between, signed', () => {
    expect(monthsBetween('2025-01', '2025-03')).toBe(2);
    expect(monthsBetween('2025-07', '2025-07')).toBe(0);
    expect(monthsBetween('2025-07', '2026-06')).toBe(11);
    expect(monthsBetween('2026-01', '2025-12')).toBe(-1);
  });

  it('takes the month of a date', () => {
    expect(monthOf('2025-07-15')).toBe('2025-07');
    expect(() => monthOf('2025-02-30')).toThrow(RangeError);
  });

  it('agrees: addMonths and monthsBetween are inverse, and string order is calendar order', () => {
    fc.assert(
      fc.property(yearMonth, fc.integer({ min: -500, max: 500 }), (month, count) => {
        const moved = addMonths(month, count);
        expect(monthsBetween(month, moved)).toBe(count);
        expect(Math.sign(moved.localeCompare(month))).toBe(Math.sign(count));
        expect(previousMonth(nextMonth(month))).toBe(month);
      }),
    );
  });
});
