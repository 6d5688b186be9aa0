/**
 * Working days (工作日), on Beijing dates: committed times (承诺办结时限) are counted in them.
 *
 * A year is **official** when the State Council's notice for it is in the project's data
 * (shared/rules/holiday-notices.ts): its days off and its adjusted working weekends (调休上班).
 * Any other year is **provisional**: the statutory holidays of 《全国年节及纪念日放假办法》
 * (shared/rules/holiday-law.ts) with their lunar dates computed (./lunar.ts), a holiday that falls
 * on a weekend made up on the next weekday (补假), weekends off. Every year from FIRST_CALENDAR_YEAR
 * to LAST_CALENDAR_YEAR is one or the other, so no view, queue or sweep depends on a package
 * knowing next year's holidays; a deadline that touched a provisional year says so and is
 * recomputed when the notice is committed (shared/applications/deadlines.ts).
 */
import {
  HOLIDAY_IDS,
  HOLIDAY_NAMES,
  type HolidayId,
  holidayLawFor,
  type StatutoryDay,
} from '../rules/holiday-law.js';
import { HOLIDAY_NOTICES, type HolidayNotice, type NoticeSource } from '../rules/holiday-notices.js';
import { byCodeUnits } from '../text/order.js';
import { addDays, BEIJING_OFFSET_MS, DAY_MS, isWeekend } from './dates.js';
import { lunarFestivals } from './lunar.js';

/**
 * The years the calendar answers for: from the first notice in the data; to 2100, the lunar
 * computation being checked against published tables for 2004–2099 (and 2100 by its own rule).
 */
export const FIRST_CALENDAR_YEAR = 2004;
export const LAST_CALENDAR_YEAR = 2100;

export type CalendarStatus = 'official' | 'provisional';

export class CalendarRangeError extends RangeError {
  constructor(readonly year: number) {
    super(`the working-day calendar covers ${FIRST_CALENDAR_YEAR}–${LAST_CALENDAR_YEAR}, not ${year}`);
    this.name = 'CalendarRangeError';
  }
}

export interface CalendarHoliday {
  holiday: HolidayId;
  name: { 'zh-CN': string; en: string };
  /** Its days off: a provisional year lists the statutory days, then the days made up for them. */
  daysOff: string[];
  adjustedWorkingDays: string[];
  /** Provisional years: days off made up (补假) for statutory days on a weekend or shared with another holiday. */
  makeUpDays?: string[];
}

export interface CalendarYear {
  year: number;
  calendar: CalendarStatus;
  /** The notice (official years) or the version of the holiday law (provisional years). */
  source: NoticeSource | { law: string; effectiveFrom: string };
  holidays: CalendarHoliday[];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A timestamp must carry its offset: without one, JavaScript would read it in the process's time zone.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function assertDate(date: string): string {
  const match = DATE_ONLY.exec(date);
  const valid =
    match !== null &&
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
      .toISOString()
      .slice(0, 10) === date;
  if (!valid) throw new RangeError(`not a calendar date: '${date}'`);
  return date;
}

/**
 * The Beijing (UTC+8) calendar date of an instant, 'YYYY-MM-DD'. A 'YYYY-MM-DD' string is already a
 * Beijing date and is returned as is (once checked).
 */
export function toBeijingDate(at: Date | string): string {
  if (typeof at === 'string') {
    if (DATE_ONLY.test(at)) return assertDate(at);
    if (!TIMESTAMP.test(at)) {
      throw new RangeError(`expected 'YYYY-MM-DD' or an ISO timestamp with an offset, got '${at}'`);
    }
    // Date would roll '2026-02-30T…' over into March.
    assertDate(at.slice(0, 10));
  }
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: '${String(at)}'`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The end (23:59:59.999 Beijing time) of a Beijing date, as an ISO instant in UTC. */
function endOfBeijingDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - BEIJING_OFFSET_MS - 1).toISOString();
}

/** The dates of an off-day entry: one date, or an inclusive interval 'first/last'. */
function expand(entry: string): string[] {
  const [first, last = first] = entry.split('/') as [string, string?];
  assertDate(first);
  assertDate(last);
  if (last < first) throw new RangeError(`interval ends before it starts: '${entry}'`);
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

function officialYear(notice: HolidayNotice): CalendarYear {
  const seen = new Set<string>();
  const holidays = notice.holidays.map(({ holiday, off, work = [] }) => {
    const daysOff = off.flatMap(expand);
    const adjustedWorkingDays = work.map(assertDate);
    for (const date of [...daysOff, ...adjustedWorkingDays]) {
      // A notice may move a day of the neighbouring year (a 31 December worked for New Year).
      if (Math.abs(Number(date.slice(0, 4)) - notice.year) > 1 || seen.has(date)) {
        throw new RangeError(`the ${notice.year} notice lists ${date} out of place or twice`);
      }
      seen.add(date);
    }
    return { holiday, name: HOLIDAY_NAMES[holiday], daysOff, adjustedWorkingDays };
  });
  return { year: notice.year, calendar: 'official', source: notice.source, holidays };
}

function statutoryDate(year: number, day: StatutoryDay): string {
  const festivals = lunarFestivals(year);
  switch (day) {
    case 'lunar:eve':
      return festivals.newYearsEve;
    case 'lunar:1-1':
    case 'lunar:1-2':
    case 'lunar:1-3':
      return addDays(festivals.springFestival, Number(day.slice(-1)) - 1);
    case 'lunar:5-5':
      return festivals.dragonBoat;
    case 'lunar:8-15':
      return festivals.midAutumn;
    case 'term:qingming':
      return festivals.qingming;
    default:
      return `${year}-${day}`;
  }
}

function provisionalYear(year: number): CalendarYear {
  const law = holidayLawFor(year);
  const statutory = HOLIDAY_IDS.flatMap((holiday) => {
    const days = law.holidays[holiday];
    return days ? [{ holiday, dates: days.map((day) => statutoryDate(year, day)) }] : [];
  }).sort((a, b) => byCodeUnits(a.dates[0] as string, b.dates[0] as string));
  const taken = new Set<string>();
  const holidays: CalendarHoliday[] = [];
  for (const { holiday, dates } of statutory) {
    // A day on a weekend, or already another holiday's (中秋 on 1 October), is made up (补假).
    const owed = dates.filter((date) => isWeekend(date) || taken.has(date)).length;
    for (const date of dates) taken.add(date);
    const makeUpDays: string[] = [];
    for (let date = addDays(dates.at(-1) as string, 1); makeUpDays.length < owed; date = addDays(date, 1)) {
      if (isWeekend(date) || taken.has(date)) continue;
      makeUpDays.push(date);
      taken.add(date);
    }
    holidays.push({
      holiday,
      name: HOLIDAY_NAMES[holiday],
      daysOff: [...dates, ...makeUpDays],
      adjustedWorkingDays: [],
      makeUpDays,
    });
  }
  return {
    year,
    calendar: 'provisional',
    source: { law: law.source, effectiveFrom: law.effectiveFrom },
    holidays,
  };
}

interface DayKind {
  working: boolean;
  calendar: CalendarStatus;
}

/** A calendar of working days over a set of notices (the committed ones by default). */
export class WorkingCalendar {
  private readonly notices = new Map<number, HolidayNotice>();
  private readonly years = new Map<number, CalendarYear>();
  /** Every dated entry of every year built so far: a day off, or a weekend worked. */
  private readonly days = new Map<string, DayKind>();

  private noticesBuilt = false;

  constructor(notices: readonly HolidayNotice[] = HOLIDAY_NOTICES) {
    for (const notice of notices) {
      if (this.notices.has(notice.year)) throw new RangeError(`two notices for ${notice.year}`);
      this.notices.set(notice.year, notice);
    }
  }

  /**
   * Builds every official year on first use, not at import (every handler imports this module for
   * Beijing dates): a notice that lists a day of its neighbour must be seen before that day is read.
   */
  private buildNotices(): void {
    if (this.noticesBuilt) return;
    this.noticesBuilt = true;
    for (const year of this.notices.keys()) this.year(year);
  }

  /** The years whose notice is known. */
  get officialYears(): number[] {
    return [...this.notices.keys()].sort((a, b) => a - b);
  }

  /** A year's holidays and whether they are official or provisional. */
  year(year: number): CalendarYear {
    if (!Number.isSafeInteger(year) || year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
      throw new CalendarRangeError(year);
    }
    this.buildNotices();
    const cached = this.years.get(year);
    if (cached) return cached;
    const notice = this.notices.get(year);
    const built = notice ? officialYear(notice) : provisionalYear(year);
    const record = (date: string, working: boolean) => {
      const listed = this.days.get(date);
      if (listed?.calendar === 'official') {
        // Two notices may not both decide a day; a computed year never overrides a notice.
        if (built.calendar === 'official') {
          throw new RangeError(`the ${year} notice lists ${date}, which another notice decides`);
        }
        return;
      }
      this.days.set(date, { working, calendar: built.calendar });
    };
    for (const holiday of built.holidays) {
      for (const date of holiday.daysOff) record(date, false);
      for (const date of holiday.adjustedWorkingDays) record(date, true);
    }
    this.years.set(year, built);
    return built;
  }

  private dayKind(date: string): DayKind {
    const year = Number(date.slice(0, 4));
    const { calendar } = this.year(year);
    const listed = this.days.get(date);
    // A day a neighbouring official notice moved counts under that notice.
    if (listed && (calendar === 'provisional' || listed.calendar === 'official')) return listed;
    return { working: !isWeekend(date), calendar };
  }

  /** Whether the Beijing date (of the instant) is a working day. */
  isWorkingDay(at: Date | string): boolean {
    return this.dayKind(toBeijingDate(at)).working;
  }

  /** The working days of a year, in order. */
  workingDaysOf(year: number): string[] {
    this.year(year);
    const dates: string[] = [];
    for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addDays(date, 1)) {
      if (this.dayKind(date).working) dates.push(date);
    }
    return dates;
  }

  /**
   * The committed deadline of an application accepted at `acceptedAt` with a committed time of `n`
   * working days: the end (23:59:59.999 Beijing time) of the n-th working day after acceptance,
   * as an ISO instant in UTC; `provisional` when any day counted lies in a provisional year.
   *
   * Conventions: the day of acceptance does not count (《民法典》第二百零一条, 开始的当日不计入); an
   * application received on a non-working day is accepted on the next working day (顺延受理), so
   * n = 0 (即时办结) ends that working day and n = 1 the one after it.
   */
  committedDeadline(acceptedAt: Date | string, n: number): { deadline: string; calendar: CalendarStatus } {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    }
    let calendar: CalendarStatus = 'official';
    const working = (date: string) => {
      const kind = this.dayKind(date);
      if (kind.calendar === 'provisional') calendar = 'provisional';
      return kind.working;
    };
    let date = toBeijingDate(acceptedAt);
    while (!working(date)) date = addDays(date, 1);
    for (let remaining = n; remaining > 0; ) {
      date = addDays(date, 1);
      if (working(date)) remaining -= 1;
    }
    return { deadline: endOfBeijingDate(date), calendar };
  }

  /**
   * The working days after a's Beijing date up to and including b's: 0 on the same date, negative
   * when b is before a. For an acceptance on a working day, workingDaysBetween(a, deadline(a, n)) = n.
   */
  workingDaysBetween(a: Date | string, b: Date | string): number {
    const from = toBeijingDate(a);
    const to = toBeijingDate(b);
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let date = from; date < to; ) {
      date = addDays(date, 1);
      if (this.dayKind(date).working) count += 1;
    }
    return count;
  }
}

/** The calendar in force: the committed notices, and the holiday law for the other years. */
export const workingCalendar = new WorkingCalendar();

export const committedDeadline = (acceptedAt: Date | string, n: number) =>
  workingCalendar.committedDeadline(acceptedAt, n);
export const workingDaysBetween = (a: Date | string, b: Date | string) =>
  workingCalendar.workingDaysBetween(a, b);
