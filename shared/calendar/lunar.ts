/**
 * The dates of the lunar festivals and of 清明 in a Gregorian year, by the rules of the Chinese
 * calendar (GB/T 33661-2017《农历的编算和颁行》): a month begins on the Beijing date of a new moon;
 * the winter solstice (冬至) falls in the eleventh month; when thirteen months run from one
 * eleventh month to the next, the first of them without a principal term (中气) is the leap month.
 * The statutory holidays of years without a State Council notice are computed from these.
 */
import { beijingDateOf, jdeOfDate, newMoonJde, newMoonNumberBefore, solarTermJde } from './astronomy.js';
import { addDays } from './dates.js';

export interface LunarFestivals {
  /** 除夕: the last day of the twelfth month. */
  newYearsEve: string;
  /** 春节: the first day of the first month. */
  springFestival: string;
  /** 清明: the Beijing date the sun reaches 15°. */
  qingming: string;
  /** 端午: the fifth day of the fifth month. */
  dragonBoat: string;
  /** 中秋: the fifteenth day of the eighth month. */
  midAutumn: string;
}

interface LunarMonth {
  /** 1–12; a leap month repeats the number of the month before it. */
  number: number;
  leap: boolean;
  firstDay: string;
}

const winterSolsticeDate = (year: number) => beijingDateOf(solarTermJde(year, 270));

/** The lunar months from the eleventh month of `year - 1` up to (not including) the next eleventh month. */
function lunarMonthsFromEleventh(year: number): LunarMonth[] {
  const solsticeBefore = winterSolsticeDate(year - 1);
  const solsticeAfter = winterSolsticeDate(year);
  // The eleventh month is the one whose first day is the last new-moon date on or before the solstice.
  let k = newMoonNumberBefore(jdeOfDate(year - 1, 12, 25));
  while (beijingDateOf(newMoonJde(k)) > solsticeBefore) k -= 1;
  while (beijingDateOf(newMoonJde(k + 1)) <= solsticeBefore) k += 1;
  const starts: string[] = [];
  for (let date = beijingDateOf(newMoonJde(k)); ; date = beijingDateOf(newMoonJde(k))) {
    starts.push(date);
    k += 1;
    if (beijingDateOf(newMoonJde(k)) > solsticeAfter) break;
  }
  // starts holds the eleventh month of year - 1 … the eleventh month of year; the last one is excluded below.
  const count = starts.length - 1;
  let leapIndex = -1;
  if (count === 13) {
    // 冬至 of year - 1 to 小雪 of year: the next 冬至 lies in the next eleventh month.
    const principalTerms = Array.from({ length: 12 }, (_, i) => {
      const longitude = (270 + 30 * i) % 360;
      return beijingDateOf(solarTermJde(longitude >= 270 ? year - 1 : year, longitude));
    });
    for (let i = 1; i < count; i++) {
      const from = starts[i] as string;
      const to = starts[i + 1] as string;
      if (!principalTerms.some((term) => term >= from && term < to)) {
        leapIndex = i;
        break;
      }
    }
  } else if (count !== 12) {
    throw new RangeError(`the lunar year before ${year} has ${count} months`);
  }
  const months: LunarMonth[] = [];
  let number = 11;
  for (let i = 0; i < count; i++) {
    const leap = i === leapIndex;
    if (i > 0 && !leap) number = (number % 12) + 1;
    months.push({ number, leap, firstDay: starts[i] as string });
  }
  return months;
}

function firstDayOf(months: readonly LunarMonth[], number: number): string {
  const month = months.find((m) => m.number === number && !m.leap);
  if (!month) throw new RangeError(`no lunar month ${number}`);
  return month.firstDay;
}

const cache = new Map<number, LunarFestivals>();

/** The lunar festivals and 清明 of a Gregorian year (the festivals of the lunar year beginning in it). */
export function lunarFestivals(year: number): LunarFestivals {
  const cached = cache.get(year);
  if (cached) return cached;
  const months = lunarMonthsFromEleventh(year);
  const springFestival = firstDayOf(months, 1);
  const festivals: LunarFestivals = {
    newYearsEve: addDays(springFestival, -1),
    springFestival,
    qingming: beijingDateOf(solarTermJde(year, 15)),
    dragonBoat: addDays(firstDayOf(months, 5), 4),
    midAutumn: addDays(firstDayOf(months, 8), 14),
  };
  cache.set(year, festivals);
  return festivals;
}
