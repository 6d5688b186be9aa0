/**
 * The one dates module. Civil dates as 'YYYY-MM-DD' strings, computed in UTC so the process's
 * time zone never shifts them; calendar months 'YYYY-MM' (deposit months, 缴存月份), which as
 * strings compare in calendar order and move through a month index (year × 12 + month − 1).
 */
import { assertIsoDate, type IsoDate } from '../rules/national.js';

export const DAY_MS = 86_400_000;
/** Beijing time is UTC+8 all year (no daylight saving since 1991). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The date `days` days after (before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** A calendar month written 'YYYY-MM', e.g. '2025-07'. */
export type YearMonth = string;

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && YEAR_MONTH.test(value);
}

/** Throws unless `value` is a month 'YYYY-MM' (01–12, a four-digit year). */
export function assertYearMonth(value: string, what = 'month'): asserts value is YearMonth {
  if (!isYearMonth(value)) throw new RangeError(`${what} must be a month 'YYYY-MM', got '${value}'`);
}

function monthIndex(month: YearMonth, what: string): number {
  assertYearMonth(month, what);
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function fromMonthIndex(index: number): YearMonth {
  const year = Math.floor(index / 12);
  if (year < 0 || year > 9999) throw new RangeError(`month out of range: year ${year}`);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `month` moved by `count` months (negative moves back): addMonths('2025-11', 3) = '2026-02'. */
export function addMonths(month: YearMonth, count: number): YearMonth {
  if (!Number.isSafeInteger(count)) throw new RangeError(`count must be an integer, got ${count}`);
  return fromMonthIndex(monthIndex(month, 'month') + count);
}

/** nextMonth('2025-12') = '2026-01'. */
export function nextMonth(month: YearMonth): YearMonth {
  return addMonths(month, 1);
}

/** previousMonth('2026-01') = '2025-12'. */
export function previousMonth(month: YearMonth): YearMonth {
  return addMonths(month, -1);
}

/**
 * Signed number of months from `from` to `to`: monthsBetween('2025-01', '2025-03') = 2, the same month
 * gives 0 and an earlier `to` a negative number. A run of months from..to inclusive has
 * monthsBetween(from, to) + 1 months.
 */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  return monthIndex(to, 'to') - monthIndex(from, 'from');
}

/** The month of a calendar date: monthOf('2025-07-15') = '2025-07'. */
export function monthOf(isoDate: string): YearMonth {
  assertIsoDate(isoDate);
  return isoDate.slice(0, 7);
}

/** Days in a month: daysInMonth('2028-02') = 29. */
export function daysInMonth(month: YearMonth): number {
  assertYearMonth(month);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

/** Day `day` of a month, or the month's last day when it is shorter: dayInMonth('2026-02', 31) = '2026-02-28'. */
export function dayInMonth(month: YearMonth, day: number): IsoDate {
  return `${month}-${String(Math.min(day, daysInMonth(month))).padStart(2, '0')}`;
}

/** The last calendar day of a month: '2028-02' → '2028-02-29'. */
export function lastDayOfMonth(month: YearMonth): IsoDate {
  return dayInMonth(month, 31);
}
