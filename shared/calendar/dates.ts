/** Civil dates as 'YYYY-MM-DD' strings, computed in UTC so the process's time zone never shifts them. */

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
