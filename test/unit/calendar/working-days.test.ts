import { describe, expect, it } from '@jest/globals';
import {
  CalendarRangeError,
  committedDeadline,
  FIRST_CALENDAR_YEAR,
  LAST_CALENDAR_YEAR,
  toBeijingDate,
  WorkingCalendar,
  workingCalendar,
  workingDaysBetween,
} from '../../../shared/calendar/working-days.js';
import { HOLIDAY_NOTICES } from '../../../shared/rules/holiday-notices.js';

const addWorkingDays = (acceptedAt: string | Date, n: number) => committedDeadline(acceptedAt, n).deadline;

/** The end of a Beijing date as the ISO instant a committed deadline is. */
const endOf = (date: string): string => new Date(`${date}T23:59:59.999+08:00`).toISOString();

describe('calendar coverage', () => {
  it('holds the notices of the consecutive years 2004 to 2026 and no later one', () => {
    expect(workingCalendar.officialYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('answers for every year of its range, official or provisional, and names a year outside it', () => {
    for (let year = FIRST_CALENDAR_YEAR; year <= LAST_CALENDAR_YEAR; year++) {
      expect(workingCalendar.year(year).calendar).toBe(
        year >= 2004 && year <= 2026 ? 'official' : 'provisional',
      );
      expect(workingCalendar.workingDaysOf(year).length).toBeGreaterThan(240);
    }
    expect(() => workingCalendar.isWorkingDay('2003-10-06')).toThrow(CalendarRangeError);
    expect(() => workingCalendar.year(2101)).toThrow(/2004–2100, not 2101/);
  });

  it('counts across the end of the last notice without throwing', () => {
    expect(workingDaysBetween('2026-12-01', '2027-01-15')).toBe(
      workingCalendar.workingDaysOf(2026).filter((d) => d > '2026-12-01').length +
        workingCalendar.workingDaysOf(2027).filter((d) => d <= '2027-01-15').length,
    );
    expect(workingDaysBetween('2028-03-01', '2026-12-31')).toBeLessThan(-250);
  });
});

describe('2026 National Day (国庆节 10月1日至7日, 9月20日 and 10月10日 worked)', () => {
  it('gives 1–7 October off and works the adjusted Sunday and Saturday', () => {
    for (let day = 1; day <= 7; day += 1) expect(workingCalendar.isWorkingDay(`2026-10-0${day}`)).toBe(false);
    expect(workingCalendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday worked
    expect(workingCalendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday worked
    expect(workingCalendar.isWorkingDay('2026-10-08')).toBe(true); // Thursday: back to work
    expect(workingCalendar.isWorkingDay('2026-10-11')).toBe(false); // an ordinary Sunday
    expect(workingCalendar.isWorkingDay('2026-09-25')).toBe(false); // Mid-Autumn Festival, a Friday
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
    for (let day = 15; day <= 23; day += 1)
      expect(workingCalendar.isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(workingCalendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(workingCalendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(workingCalendar.isWorkingDay('2026-02-24')).toBe(true);
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
    expect(workingCalendar.isWorkingDay(new Date('2026-09-30T15:59:59.999Z'))).toBe(true);
    expect(workingCalendar.isWorkingDay(new Date('2026-09-30T16:00:00Z'))).toBe(false);
    // Accepted at 00:30 Beijing time on 14 February (still the 13th in UTC): a working Saturday.
    expect(addWorkingDays(new Date('2026-02-13T16:30:00Z'), 0)).toBe(endOf('2026-02-14'));
  });

  it('returns the deadline as 23:59:59.999 Beijing time in UTC', () => {
    expect(addWorkingDays('2026-11-26', 3)).toBe('2026-12-01T15:59:59.999Z');
  });

  it('refuses ambiguous or malformed input', () => {
    expect(() => workingCalendar.isWorkingDay('2026-10-08T10:00:00')).toThrow(/offset/);
    expect(() => workingCalendar.isWorkingDay('2026-02-30')).toThrow(/calendar date/);
    expect(() => workingCalendar.isWorkingDay('2026-02-30T10:00:00Z')).toThrow(/calendar date/);
    expect(() => workingCalendar.isWorkingDay(new Date(Number.NaN))).toThrow(/valid instant/);
    expect(() => addWorkingDays('2026-10-08', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-10-08', 1.5)).toThrow(RangeError);
  });
});

describe('consistency', () => {
  it('workingDaysBetween(a, addWorkingDays(a, n)) = n for acceptance on a working day', () => {
    for (const accepted of ['2026-01-04', '2026-02-13', '2026-04-30', '2026-09-18', '2026-11-16']) {
      expect(workingCalendar.isWorkingDay(accepted)).toBe(true);
      for (const n of [0, 1, 3, 10, 15]) {
        const deadline = addWorkingDays(accepted, n);
        expect(workingDaysBetween(accepted, deadline)).toBe(n);
        expect(workingCalendar.isWorkingDay(deadline)).toBe(true);
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
    // Accepted on 31 December 2026 with nothing to count: only 2026 was consulted.
    expect(committedDeadline('2026-12-31T09:00:00+08:00', 0)).toEqual({
      deadline: endOf('2026-12-31'),
      calendar: 'official',
    });
  });

  it('skips the provisional New Year of 2027 and says the deadline is provisional', () => {
    // Wed 30 Dec 2026 + 3: Thu 31 Dec, (Fri 1 Jan New Year, weekend), Mon 4, Tue 5 January.
    expect(committedDeadline('2026-12-30T10:00:00+08:00', 3)).toEqual({
      deadline: endOf('2027-01-05'),
      calendar: 'provisional',
    });
    // The old weekends-only fallback put this one on 1 January, a statutory holiday.
    expect(committedDeadline('2026-12-31T10:00:00+08:00', 1)).toEqual({
      deadline: endOf('2027-01-04'),
      calendar: 'provisional',
    });
    expect(workingCalendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(workingDaysBetween('2026-12-30', '2027-01-05')).toBe(3);
  });

  it('counts a provisional Spring Festival with its weekend days made up (补假)', () => {
    // 2027: 除夕 Fri 5 Feb, 初一–初三 Sat 6 – Mon 8 Feb; Sat and Sun made up on Tue 9 and Wed 10.
    for (const date of ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']) {
      expect(workingCalendar.isWorkingDay(date)).toBe(false);
    }
    expect(workingCalendar.isWorkingDay('2027-02-04')).toBe(true);
    expect(workingCalendar.isWorkingDay('2027-02-11')).toBe(true);
    expect(committedDeadline('2027-02-04T09:00:00+08:00', 1)).toEqual({
      deadline: endOf('2027-02-11'),
      calendar: 'provisional',
    });
  });

  it('becomes official once the notice for the year is loaded', () => {
    // A notice for 2027 as a test fixture (not the real one): New Year 1–3 January, 4 January worked.
    const withNotice = new WorkingCalendar([
      ...HOLIDAY_NOTICES,
      {
        year: 2027,
        source: { title: 'test fixture' },
        holidays: [{ holiday: 'newYear', off: ['2027-01-01/2027-01-03'], work: ['2027-01-09'] }],
      },
    ]);
    expect(withNotice.year(2027).calendar).toBe('official');
    expect(withNotice.committedDeadline('2026-12-30T10:00:00+08:00', 3)).toEqual({
      deadline: endOf('2027-01-05'),
      calendar: 'official',
    });
    expect(withNotice.isWorkingDay('2027-01-09')).toBe(true);
    // Its Spring Festival is what the notice says: nothing, so 9 February is an ordinary Tuesday.
    expect(withNotice.isWorkingDay('2027-02-09')).toBe(true);
    expect(workingCalendar.isWorkingDay('2027-02-09')).toBe(false);
  });

  it('refuses a notice that lists a day twice or a day of another year', () => {
    const notice = (off: string[], work: string[] = []) =>
      new WorkingCalendar([
        { year: 2027, source: { title: 'test' }, holidays: [{ holiday: 'newYear', off, work }] },
      ]).year(2027);
    expect(() => notice(['2027-01-01/2027-01-03'], ['2027-01-02'])).toThrow(
      /2027-01-02 out of place or twice/,
    );
    expect(() => notice(['2029-01-01'])).toThrow(/out of place/);
    expect(() => notice(['2027-01-03/2027-01-01'])).toThrow(/ends before it starts/);
    expect(() => notice(['2027-02-30'])).toThrow(/calendar date/);
    expect(() => new WorkingCalendar([...HOLIDAY_NOTICES, ...HOLIDAY_NOTICES])).toThrow(/two notices/);
    // A 2027 notice may move a day of 2026 that the 2026 notice left alone, never one it decided.
    const moving = (date: string) =>
      new WorkingCalendar([
        ...HOLIDAY_NOTICES,
        {
          year: 2027,
          source: { title: 'test' },
          holidays: [{ holiday: 'newYear', off: ['2027-01-01'], work: [date] }],
        },
      ]);
    expect(moving('2026-12-27').isWorkingDay('2026-12-27')).toBe(true);
    // Checked on first use, not at import.
    expect(() => moving('2026-10-01').isWorkingDay('2026-06-01')).toThrow(
      /lists 2026-10-01, which another notice decides/,
    );
  });
});
