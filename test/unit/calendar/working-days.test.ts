import { describe, expect, it } from '@jest/globals';
import {
  addWorkingDays,
  committedDeadline,
  isWorkingDay,
  KNOWN_CALENDAR_YEARS,
  toBeijingDate,
  UnknownCalendarYearError,
  workingDaysBetween,
} from '../../../shared/calendar/working-days.js';

/** The end of a Beijing date as the ISO instant addWorkingDays returns. */
const endOf = (date: string): string => new Date(`${date}T23:59:59.999+08:00`).toISOString();

describe('calendar coverage', () => {
  it('knows the consecutive years 2004 to 2026 at least', () => {
    expect(KNOWN_CALENDAR_YEARS[0]).toBe(2004);
    expect(KNOWN_CALENDAR_YEARS).toContain(2026);
    KNOWN_CALENDAR_YEARS.forEach((year, i) => {
      expect(year).toBe(2004 + i);
    });
  });

  it('throws, naming the year, outside the known years', () => {
    const next = (KNOWN_CALENDAR_YEARS.at(-1) ?? 0) + 1;
    expect(() => isWorkingDay(`${next}-03-01`)).toThrow(new RegExp(`calendar of ${next} is not known`));
    expect(() => isWorkingDay('2003-06-02')).toThrow(UnknownCalendarYearError);
    // A deadline running past the last known year fails too, rather than guessing.
    expect(() => addWorkingDays(`${next - 1}-12-31`, 5)).toThrow(new RegExp(String(next)));
    try {
      workingDaysBetween('2026-12-01', `${next}-01-15`);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownCalendarYearError);
      expect((error as UnknownCalendarYearError).year).toBe(next);
    }
  });
});

describe('2026 National Day (国庆节 10月1日至7日, 9月20日 and 10月10日 worked)', () => {
  it('gives 1–7 October off and works the adjusted Sunday and Saturday', () => {
    for (let day = 1; day <= 7; day += 1) expect(isWorkingDay(`2026-10-0${day}`)).toBe(false);
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday worked
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday worked
    expect(isWorkingDay('2026-10-08')).toBe(true); // Thursday: back to work
    expect(isWorkingDay('2026-10-11')).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2026-09-25')).toBe(false); // Mid-Autumn Festival, a Friday
  });

  it('counts committed deadlines across the holiday', () => {
    expect(addWorkingDays('2026-09-30', 0)).toBe(endOf('2026-09-30'));
    expect(addWorkingDays('2026-09-30', 1)).toBe(endOf('2026-10-08'));
    expect(addWorkingDays('2026-09-30', 3)).toBe(endOf('2026-10-10'));
    expect(addWorkingDays('2026-09-30', 4)).toBe(endOf('2026-10-12'));
    expect(addWorkingDays('2026-09-30', 15)).toBe(endOf('2026-10-27'));
    expect(workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4);
    expect(workingDaysBetween('2026-10-12', '2026-09-30')).toBe(-4);
  });

  it('accepts an application received during the holiday on the next working day (顺延)', () => {
    expect(addWorkingDays('2026-10-03T10:00:00+08:00', 0)).toBe(endOf('2026-10-08'));
    expect(addWorkingDays('2026-10-03T10:00:00+08:00', 1)).toBe(endOf('2026-10-09'));
    expect(addWorkingDays('2026-10-03T10:00:00+08:00', 3)).toBe(endOf('2026-10-12'));
  });
});

describe('2026 Spring Festival (春节 2月15日至23日, 2月14日 and 2月28日 worked)', () => {
  it('gives 15–23 February off and works both adjusted Saturdays', () => {
    for (let day = 15; day <= 23; day += 1) expect(isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-02-24')).toBe(true);
  });

  it('counts committed deadlines across the holiday', () => {
    expect(addWorkingDays('2026-02-13', 1)).toBe(endOf('2026-02-14'));
    expect(addWorkingDays('2026-02-14', 1)).toBe(endOf('2026-02-24'));
    expect(addWorkingDays('2026-02-12', 3)).toBe(endOf('2026-02-24'));
    expect(workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });
});

describe('Beijing time', () => {
  it('reads instants in UTC+8', () => {
    expect(toBeijingDate('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    expect(toBeijingDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(isWorkingDay(new Date('2026-09-30T15:59:59.999Z'))).toBe(true);
    expect(isWorkingDay(new Date('2026-09-30T16:00:00Z'))).toBe(false);
    // Accepted at 00:30 Beijing time on 14 February (still the 13th in UTC): a working Saturday.
    expect(addWorkingDays(new Date('2026-02-13T16:30:00Z'), 0)).toBe(endOf('2026-02-14'));
  });

  it('returns the deadline as 23:59:59.999 Beijing time in UTC', () => {
    expect(addWorkingDays('2026-11-26', 3)).toBe('2026-12-01T15:59:59.999Z');
  });

  it('refuses ambiguous or malformed input', () => {
    expect(() => isWorkingDay('2026-10-08T10:00:00')).toThrow(/offset/);
    expect(() => isWorkingDay('2026-02-30')).toThrow(/calendar date/);
    expect(() => isWorkingDay(new Date(Number.NaN))).toThrow(/valid instant/);
    expect(() => addWorkingDays('2026-10-08', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-10-08', 1.5)).toThrow(RangeError);
  });
});

describe('consistency', () => {
  it('workingDaysBetween(a, addWorkingDays(a, n)) = n for acceptance on a working day', () => {
    for (const accepted of ['2026-01-04', '2026-02-13', '2026-04-30', '2026-09-18', '2026-11-16']) {
      expect(isWorkingDay(accepted)).toBe(true);
      for (const n of [0, 1, 3, 10, 15]) {
        const deadline = addWorkingDays(accepted, n);
        expect(workingDaysBetween(accepted, deadline)).toBe(n);
        expect(isWorkingDay(deadline)).toBe(true);
      }
    }
  });
});

describe('committedDeadline', () => {
  it('is official inside a published year', () => {
    expect(committedDeadline('2026-09-30T09:00:00+08:00', 1)).toEqual({
      deadline: addWorkingDays('2026-09-30T09:00:00+08:00', 1),
      calendar: 'official',
    });
  });

  it('falls back visibly to weekends only when the deadline reaches an unpublished year', () => {
    const unknown = (KNOWN_CALENDAR_YEARS.at(-1) ?? 2026) + 1;
    // Accepted on the last day of the known calendar: the count runs into the next year.
    const result = committedDeadline(`${unknown - 1}-12-31T10:00:00+08:00`, 10);
    expect(result.calendar).toBe('provisional');
    const deadlineDate = toBeijingDate(result.deadline);
    expect(deadlineDate.startsWith(String(unknown))).toBe(true);
    expect([0, 6]).not.toContain(new Date(`${deadlineDate}T00:00:00Z`).getUTCDay());
  });
});
