/**
 * The holiday notices are the project's own data: imported once from chinese-days and checked
 * here against it day by day, and the 2026 notice against its published text.
 */
import { describe, expect, it } from '@jest/globals';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, isWeekend } from '../../../shared/calendar/dates.js';
import { lunarFestivals } from '../../../shared/calendar/lunar.js';
import { workingCalendar } from '../../../shared/calendar/working-days.js';
import { type HolidayId, holidayLawFor } from '../../../shared/rules/holiday-law.js';

const datesOf = (year: number) => {
  const dates: string[] = [];
  for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addDays(date, 1)) dates.push(date);
  return dates;
};

describe('the 2026 notice (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04)', () => {
  // Transcribed from the notice's text, independently of the imported data.
  const off = [
    ['2026-01-01', '2026-01-03'],
    ['2026-02-15', '2026-02-23'],
    ['2026-04-04', '2026-04-06'],
    ['2026-05-01', '2026-05-05'],
    ['2026-06-19', '2026-06-21'],
    ['2026-09-25', '2026-09-27'],
    ['2026-10-01', '2026-10-07'],
  ] as const;
  const worked = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

  it('decides every day of 2026 as the notice does', () => {
    const days = datesOf(2026);
    expect(days).toHaveLength(365);
    const expectedWorkingDays: string[] = [];
    for (const date of days) {
      const holiday = off.some(([first, last]) => date >= first && date <= last);
      const expected = !holiday && (worked.includes(date) || !isWeekend(date));
      if (expected) expectedWorkingDays.push(date);
      expect([date, workingCalendar.isWorkingDay(date)]).toEqual([date, expected]);
    }
    expect(workingCalendar.workingDaysOf(2026)).toEqual(expectedWorkingDays);
  });

  it('names its source', () => {
    expect(workingCalendar.year(2026)).toMatchObject({
      calendar: 'official',
      source: { title: '国务院办公厅关于2026年部分节假日安排的通知', publishedOn: '2025-11-04' },
    });
  });
});

describe('the imported years 2004–2026', () => {
  it('agree with chinese-days 1.5.7 on every day', () => {
    const daysOff: Record<string, string> = chineseDays.holidays;
    const worked: Record<string, string> = chineseDays.workdays;
    let checked = 0;
    for (let year = 2004; year <= 2026; year++) {
      for (const date of datesOf(year)) {
        const expected = Object.hasOwn(worked, date) || (!Object.hasOwn(daysOff, date) && !isWeekend(date));
        if (workingCalendar.isWorkingDay(date) !== expected) throw new Error(`${date}: expected ${expected}`);
        checked += 1;
      }
    }
    expect(checked).toBe(8401);
  });

  it('give every statutory day of the holiday law then in force off, under its holiday', () => {
    const CHINESE_DAYS_NAMES: Record<HolidayId, string> = {
      newYear: "New Year's Day",
      springFestival: 'Spring Festival',
      qingming: 'Tomb-sweeping Day',
      labourDay: 'Labour Day',
      dragonBoat: 'Dragon Boat Festival',
      midAutumn: 'Mid-autumn Festival',
      nationalDay: 'National Day',
      victoryDay70: 'Anti-Fascist 70th Day',
    };
    for (let year = 2004; year <= 2026; year++) {
      const festivals = lunarFestivals(year);
      const law = holidayLawFor(year);
      const expectations: [HolidayId, string][] = [
        ['newYear', `${year}-01-01`],
        ['nationalDay', `${year}-10-01`],
        ['springFestival', festivals.springFestival],
      ];
      if (law.holidays.qingming) {
        expectations.push(['qingming', festivals.qingming], ['dragonBoat', festivals.dragonBoat]);
        expectations.push(['midAutumn', festivals.midAutumn]);
      }
      for (const [holiday, date] of expectations) {
        const entry: string | undefined = (chineseDays.holidays as Record<string, string>)[date];
        expect([date, workingCalendar.isWorkingDay(date)]).toEqual([date, false]);
        // Listed under its own holiday (中秋 may share National Day's block); the data leaves out
        // some weekend days of a block.
        const named = entry?.split(',')[0];
        const allowed = [CHINESE_DAYS_NAMES[holiday], ...(holiday === 'midAutumn' ? ['National Day'] : [])];
        if (named === undefined) expect([date, isWeekend(date)]).toEqual([date, true]);
        else expect([date, allowed]).toEqual([date, expect.arrayContaining([named])]);
      }
    }
  });
});
