/**
 * The lunar festivals and 清明 the provisional calendar rests on, computed (GB/T 33661-2017) and
 * checked against chinese-days' lunar tables, which come from published almanacs.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { beijingDateOf, newMoonJde, solarTermJde } from '../../../shared/calendar/astronomy.js';
import { lunarFestivals } from '../../../shared/calendar/lunar.js';
import { workingCalendar } from '../../../shared/calendar/working-days.js';

interface ChineseDaysLunar {
  getLunarDate(date: string): { lunarMon: number; lunarDay: number; isLeap: boolean };
  getSolarTerms(from: string, to: string): { date: string; name: string }[];
}
// Its functions read 'YYYY-MM-DD' as UTC midnight in the process's zone: only this test uses them, in UTC.
process.env.TZ = 'UTC';
const chineseDays = createRequire(import.meta.url)('chinese-days') as ChineseDaysLunar;

describe('astronomy', () => {
  it('places the new moon of Meeus example 49.a (1977 February 18, 3:37:42 TD)', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2_443_192.65118, 4);
  });

  it('finds the 2027 new moon just before midnight Beijing time on 6 February (ICU says the 7th)', () => {
    const k = Math.round((2027.1 - 2000) * 12.3685);
    expect(beijingDateOf(newMoonJde(k))).toBe('2027-02-06');
  });

  it('finds the winter solstice and 清明 of 2026 on their published dates', () => {
    expect(beijingDateOf(solarTermJde(2026, 270))).toBe('2026-12-22');
    expect(beijingDateOf(solarTermJde(2026, 15))).toBe('2026-04-05');
  });
});

describe('lunar festivals', () => {
  it('gives the dates of 2035, checked by hand against the almanac', () => {
    expect(lunarFestivals(2035)).toEqual({
      newYearsEve: '2035-02-07',
      springFestival: '2035-02-08',
      qingming: '2035-04-05',
      dragonBoat: '2035-06-10',
      midAutumn: '2035-09-16',
    });
  });

  it('puts the 2034 Spring Festival after the leap eleventh month of 2033 (the 2033 problem)', () => {
    expect(lunarFestivals(2034).springFestival).toBe('2034-02-19');
    expect(lunarFestivals(2027).springFestival).toBe('2027-02-06');
  });

  it('agrees with the lunar tables for every year 2004–2099', () => {
    for (let year = 2004; year <= 2099; year++) {
      const festivals = lunarFestivals(year);
      const lunar = (date: string) => {
        const { lunarMon, lunarDay, isLeap } = chineseDays.getLunarDate(date);
        return [date, isLeap ? `leap ${lunarMon}` : lunarMon, lunarDay];
      };
      expect(lunar(festivals.springFestival)).toEqual([festivals.springFestival, 1, 1]);
      expect(lunar(festivals.newYearsEve)[1]).toBe(12);
      expect(lunar(festivals.dragonBoat)).toEqual([festivals.dragonBoat, 5, 5]);
      expect(lunar(festivals.midAutumn)).toEqual([festivals.midAutumn, 8, 15]);
      // (2100: the package's formula counts 2100 as a leap year and answers 4 April.)
      const qingming = chineseDays
        .getSolarTerms(`${year}-04-01`, `${year}-04-10`)
        .find((t) => t.name === '清明');
      expect([year, festivals.qingming]).toEqual([year, qingming?.date]);
    }
  });
});

describe('provisional statutory holidays of 2035 (《全国年节及纪念日放假办法》, 2025 version)', () => {
  it('gives the statutory days off and makes up those on a weekend on the next weekday', () => {
    const daysOff = Object.fromEntries(
      workingCalendar.year(2035).holidays.map((h) => [h.holiday, h.daysOff]),
    );
    expect(workingCalendar.year(2035).calendar).toBe('provisional');
    expect(daysOff).toEqual({
      newYear: ['2035-01-01'],
      // 除夕 Wed 7, 初一–初三 Thu 8 – Sat 10 February; the Saturday made up on Monday 12.
      springFestival: ['2035-02-07', '2035-02-08', '2035-02-09', '2035-02-10', '2035-02-12'],
      qingming: ['2035-04-05'],
      labourDay: ['2035-05-01', '2035-05-02'],
      // Sunday 10 June, made up on Monday 11.
      dragonBoat: ['2035-06-10', '2035-06-11'],
      // Sunday 16 September, made up on Monday 17.
      midAutumn: ['2035-09-16', '2035-09-17'],
      nationalDay: ['2035-10-01', '2035-10-02', '2035-10-03'],
    });
    expect(workingCalendar.year(2035).source).toEqual({
      law: '《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订）',
      effectiveFrom: '2025-01-01',
    });
  });

  it('makes up a day two holidays share: 中秋 on Wednesday 1 October 2031', () => {
    expect(lunarFestivals(2031).midAutumn).toBe('2031-10-01');
    const daysOff = Object.fromEntries(
      workingCalendar.year(2031).holidays.map((h) => [h.holiday, h.daysOff]),
    );
    const year2031 = workingCalendar.year(2031).holidays;
    expect(daysOff.midAutumn).toEqual(['2031-10-01']);
    expect(daysOff.nationalDay).toEqual(['2031-10-01', '2031-10-02', '2031-10-03', '2031-10-06']);
    expect(year2031.find((h) => h.holiday === 'nationalDay')?.makeUpDays).toEqual(['2031-10-06']);
    // 2028: 中秋 on Tuesday 3 October, National Day from Sunday 1 October: both made up after it.
    const year2028 = Object.fromEntries(workingCalendar.year(2028).holidays.map((h) => [h.holiday, h]));
    expect(year2028.nationalDay?.daysOff).toEqual(['2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04']);
    expect(year2028.midAutumn?.daysOff).toEqual(['2028-10-03', '2028-10-05']);
    expect(workingCalendar.workingDaysOf(2028).filter((d) => d.startsWith('2028-10-0'))).toEqual([
      '2028-10-06',
      '2028-10-09',
    ]);
  });
});
