/**
 * Working days (工作日) on the official calendar: the State Council's yearly holiday notice
 * (国务院办公厅关于部分节假日安排的通知) with its adjusted working weekends (调休上班). Committed times
 * (承诺办结时限) are counted in these days, on Beijing dates.
 *
 * The calendar is the chinese-days package's published data. Its functions are not used: they parse
 * 'YYYY-MM-DD' as UTC midnight and then read it in the process's local time zone, so west of UTC
 * `isWorkday` answers wrongly for about one date in four. Reading the data keyed by date does not
 * depend on the time zone.
 */
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** Days off (放假), including weekdays taken off for a holiday. */
const DAYS_OFF: Readonly<Record<string, string>> = calendar.holidays;
/** Weekend days worked in exchange (调休上班). */
const ADJUSTED_WORKING_DAYS: Readonly<Record<string, string>> = calendar.workdays;

/**
 * The years whose notice the package holds. Every notice gives New Year's Day off, so a year is in the
 * data exactly when its notice is; outside these years a weekday could silently be a holiday.
 */
export const KNOWN_CALENDAR_YEARS: readonly number[] = [
  ...new Set(Object.keys(DAYS_OFF).map((date) => Number(date.slice(0, 4)))),
].sort((a, b) => a - b);

export class UnknownCalendarYearError extends Error {
  constructor(readonly year: number) {
    super(
      `the official holiday calendar of ${year} is not known (chinese-days holds ${KNOWN_CALENDAR_YEARS[0]}–${KNOWN_CALENDAR_YEARS.at(-1)}); ` +
        'a later year needs a chinese-days release with the State Council notice for it',
    );
    this.name = 'UnknownCalendarYearError';
  }
}

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A timestamp must carry its offset: without one, JavaScript would read it in the process's time zone.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The Beijing (UTC+8) calendar date of an instant, 'YYYY-MM-DD'. A 'YYYY-MM-DD' string is already a
 * Beijing date and is returned as is (once checked).
 */
export function toBeijingDate(at: Date | string): string {
  if (typeof at === 'string') {
    const match = DATE_ONLY.exec(at);
    if (match !== null) {
      const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (new Date(utc).toISOString().slice(0, 10) !== at)
        throw new RangeError(`not a calendar date: '${at}'`);
      return at;
    }
    if (!TIMESTAMP.test(at)) {
      throw new RangeError(`expected 'YYYY-MM-DD' or an ISO timestamp with an offset, got '${at}'`);
    }
  }
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: '${String(at)}'`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function isWorkingBeijingDate(date: string): boolean {
  const year = Number(date.slice(0, 4));
  if (!KNOWN_CALENDAR_YEARS.includes(year)) throw new UnknownCalendarYearError(year);
  if (Object.hasOwn(ADJUSTED_WORKING_DAYS, date)) return true;
  if (Object.hasOwn(DAYS_OFF, date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Whether the Beijing date (of the instant) is a working day. Throws for a year the calendar does not know. */
export function isWorkingDay(date: Date | string): boolean {
  return isWorkingBeijingDate(toBeijingDate(date));
}

/**
 * The committed deadline of an application accepted at `acceptedAt` with a committed time of `n`
 * working days: the end (23:59:59.999 Beijing time) of the n-th working day after acceptance, as an
 * ISO instant in UTC.
 *
 * Conventions: the day of acceptance does not count (《民法典》第二百零一条, 开始的当日不计入); an
 * application received on a non-working day is accepted on the next working day (顺延受理), so n = 0
 * (即时办结) ends that working day and n = 1 the one after it.
 */
export function addWorkingDays(acceptedAt: Date | string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let date = toBeijingDate(acceptedAt);
  while (!isWorkingBeijingDate(date)) date = nextDate(date);
  for (let remaining = n; remaining > 0; ) {
    date = nextDate(date);
    if (isWorkingBeijingDate(date)) remaining -= 1;
  }
  return new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();
}

/**
 * The working days after a's Beijing date up to and including b's: 0 on the same date, negative when
 * b is before a. For an acceptance on a working day, workingDaysBetween(a, addWorkingDays(a, n)) = n.
 */
export function workingDaysBetween(a: Date | string, b: Date | string): number {
  const from = toBeijingDate(a);
  const to = toBeijingDate(b);
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let date = from; date < to; ) {
    date = nextDate(date);
    if (isWorkingBeijingDate(date)) count += 1;
  }
  return count;
}

export interface CommittedDeadline {
  deadline: string;
  /**
   * `official`: on the published holiday calendar. `provisional`: the deadline reaches a year whose
   * calendar is not published yet, so only weekends were skipped; it is shown as provisional and
   * recomputed when the calendar is known (never silently treated as official).
   */
  calendar: 'official' | 'provisional';
}

/** The committed deadline, falling back visibly to a weekends-only count for an unpublished year. */
export function committedDeadline(acceptedAt: Date | string, n: number): CommittedDeadline {
  try {
    return { deadline: addWorkingDays(acceptedAt, n), calendar: 'official' };
  } catch (error) {
    if (!(error instanceof UnknownCalendarYearError)) throw error;
    let date = toBeijingDate(acceptedAt);
    const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    const working = (d: string) =>
      KNOWN_CALENDAR_YEARS.includes(Number(d.slice(0, 4))) ? isWorkingBeijingDate(d) : weekday(d);
    while (!working(date)) date = nextDate(date);
    for (let remaining = n; remaining > 0; ) {
      date = nextDate(date);
      if (working(date)) remaining -= 1;
    }
    return {
      deadline: new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString(),
      calendar: 'provisional',
    };
  }
}
