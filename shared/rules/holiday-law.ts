/**
 * 《全国年节及纪念日放假办法》: the holidays every citizen has off (全体公民放假的节日), version by
 * version. A year without a State Council notice (shared/rules/holiday-notices.ts) is counted on
 * these days, weekends off, and shown as provisional; the notice, once committed, replaces it.
 *
 * Article 6 of every version: a holiday of all citizens that falls on a Saturday or Sunday is
 * made up on a working day (补假); the provisional calendar gives the next weekday after the
 * holiday. How the notice then moves days (调休) is not foreseeable and is not guessed.
 */

export const HOLIDAY_IDS = [
  'newYear',
  'springFestival',
  'qingming',
  'labourDay',
  'dragonBoat',
  'midAutumn',
  'nationalDay',
  // One year only: the 70th anniversary of the victory (国务院, 2015-05), in the 2015 data.
  'victoryDay70',
] as const;
export type HolidayId = (typeof HOLIDAY_IDS)[number];

export const HOLIDAY_NAMES: Readonly<Record<HolidayId, { 'zh-CN': string; en: string }>> = {
  newYear: { 'zh-CN': '元旦', en: "New Year's Day" },
  springFestival: { 'zh-CN': '春节', en: 'Spring Festival' },
  qingming: { 'zh-CN': '清明节', en: 'Qingming Festival' },
  labourDay: { 'zh-CN': '劳动节', en: 'Labour Day' },
  dragonBoat: { 'zh-CN': '端午节', en: 'Dragon Boat Festival' },
  midAutumn: { 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' },
  nationalDay: { 'zh-CN': '国庆节', en: 'National Day' },
  victoryDay70: {
    'zh-CN': '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',
    en: '70th anniversary of the victory in the War of Resistance',
  },
};

/**
 * A statutory day: a Gregorian 'MM-DD', a day of the lunar calendar (`lunar:eve` is 除夕, the
 * last day of the twelfth month; `lunar:M-D` month M day D) or the solar term 清明.
 */
export type StatutoryDay =
  | '01-01'
  | '05-01'
  | '05-02'
  | '05-03'
  | '10-01'
  | '10-02'
  | '10-03'
  | 'lunar:eve'
  | 'lunar:1-1'
  | 'lunar:1-2'
  | 'lunar:1-3'
  | 'lunar:5-5'
  | 'lunar:8-15'
  | 'term:qingming';

export interface HolidayLawVersion {
  effectiveFrom: string;
  source: string;
  holidays: Partial<Record<HolidayId, readonly StatutoryDay[]>>;
}

const NEW_YEAR = ['01-01'] as const;
const NATIONAL_DAY = ['10-01', '10-02', '10-03'] as const;
const QINGMING = ['term:qingming'] as const;
const DRAGON_BOAT = ['lunar:5-5'] as const;
const MID_AUTUMN = ['lunar:8-15'] as const;

/** Oldest first. */
export const HOLIDAY_LAW: readonly HolidayLawVersion[] = [
  {
    effectiveFrom: '1999-09-18',
    source: '《全国年节及纪念日放假办法》（1999年9月18日国务院令第270号修订）',
    holidays: {
      newYear: NEW_YEAR,
      springFestival: ['lunar:1-1', 'lunar:1-2', 'lunar:1-3'],
      labourDay: ['05-01', '05-02', '05-03'],
      nationalDay: NATIONAL_DAY,
    },
  },
  {
    effectiveFrom: '2008-01-01',
    source: '《全国年节及纪念日放假办法》（2007年12月14日国务院令第513号修订）',
    holidays: {
      newYear: NEW_YEAR,
      springFestival: ['lunar:eve', 'lunar:1-1', 'lunar:1-2'],
      qingming: QINGMING,
      labourDay: ['05-01'],
      dragonBoat: DRAGON_BOAT,
      midAutumn: MID_AUTUMN,
      nationalDay: NATIONAL_DAY,
    },
  },
  {
    effectiveFrom: '2014-01-01',
    source: '《全国年节及纪念日放假办法》（2013年12月11日国务院令第644号修订）',
    holidays: {
      newYear: NEW_YEAR,
      springFestival: ['lunar:1-1', 'lunar:1-2', 'lunar:1-3'],
      qingming: QINGMING,
      labourDay: ['05-01'],
      dragonBoat: DRAGON_BOAT,
      midAutumn: MID_AUTUMN,
      nationalDay: NATIONAL_DAY,
    },
  },
  {
    effectiveFrom: '2025-01-01',
    source: '《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订）',
    holidays: {
      newYear: NEW_YEAR,
      springFestival: ['lunar:eve', 'lunar:1-1', 'lunar:1-2', 'lunar:1-3'],
      qingming: QINGMING,
      labourDay: ['05-01', '05-02'],
      dragonBoat: DRAGON_BOAT,
      midAutumn: MID_AUTUMN,
      nationalDay: NATIONAL_DAY,
    },
  },
];

/** The version governing a year: the one in force on its 1 January (each took effect by then). */
export function holidayLawFor(year: number): HolidayLawVersion {
  const yearStart = `${year}-01-01`;
  const version = HOLIDAY_LAW.findLast((v) => v.effectiveFrom <= yearStart);
  if (!version) throw new RangeError(`no holiday law known for ${year}`);
  return version;
}
