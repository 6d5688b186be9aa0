/**
 * The State Council's yearly holiday notices (国务院办公厅关于部分节假日安排的通知): the days off
 * (放假, including weekdays moved, 调休) and the weekend days worked (调休上班) of each holiday,
 * as the notice gives them. A year is official exactly when its notice is here.
 *
 * Adding a year: when the notice is published (usually in November), transcribe it as one more
 * entry with its source (title, date, document number) and commit it; the deadline job then
 * recomputes every open application's provisional deadline (shared/applications/deadlines.ts).
 *
 * 2004–2026 were imported once from the chinese-days package's data (dist/chinese-days.json of
 * 1.5.7); test/unit/calendar/holiday-notices.test.ts checks every day against it. Off days are
 * single dates or inclusive intervals 'first/last'; the package lists only the weekdays of some
 * blocks, which changes no working day.
 */
import type { HolidayId } from './holiday-law.js';

export interface NoticeSource {
  title: string;
  publishedOn?: string;
  document?: string;
  importedFrom?: string;
}

export interface HolidayNotice {
  year: number;
  source: NoticeSource;
  holidays: readonly { holiday: HolidayId; off: readonly string[]; work?: readonly string[] }[];
}

const CHINESE_DAYS = 'chinese-days 1.5.7';

export const HOLIDAY_NOTICES: readonly HolidayNotice[] = [
  {
    year: 2004,
    source: { title: '国务院办公厅关于2004年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2004-01-01'] },
      { holiday: 'springFestival', off: ['2004-01-22/2004-01-28'], work: ['2004-01-17', '2004-01-18'] },
      { holiday: 'labourDay', off: ['2004-05-01/2004-05-07'], work: ['2004-05-08', '2004-05-09'] },
      { holiday: 'nationalDay', off: ['2004-10-01/2004-10-07'], work: ['2004-10-09', '2004-10-10'] },
    ],
  },
  {
    year: 2005,
    source: { title: '国务院办公厅关于2005年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2005-01-01/2005-01-03'] },
      { holiday: 'springFestival', off: ['2005-02-09/2005-02-15'], work: ['2005-02-05', '2005-02-06'] },
      { holiday: 'labourDay', off: ['2005-05-01/2005-05-07'], work: ['2005-04-30', '2005-05-08'] },
      { holiday: 'nationalDay', off: ['2005-10-01/2005-10-07'], work: ['2005-10-08', '2005-10-09'] },
    ],
  },
  {
    year: 2006,
    source: { title: '国务院办公厅关于2006年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2006-01-01/2006-01-03'], work: ['2006-12-30', '2006-12-31'] },
      { holiday: 'springFestival', off: ['2006-01-29/2006-02-04'], work: ['2006-01-28', '2006-02-05'] },
      { holiday: 'labourDay', off: ['2006-05-01/2006-05-07'], work: ['2006-04-29', '2006-04-30'] },
      { holiday: 'nationalDay', off: ['2006-10-01/2006-10-07'], work: ['2006-09-30', '2006-10-08'] },
    ],
  },
  {
    year: 2007,
    source: { title: '国务院办公厅关于2007年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2007-01-01/2007-01-03', '2007-12-30/2007-12-31'], work: ['2007-12-29'] },
      { holiday: 'springFestival', off: ['2007-02-18/2007-02-24'], work: ['2007-02-17', '2007-02-25'] },
      { holiday: 'labourDay', off: ['2007-05-01/2007-05-07'], work: ['2007-04-28', '2007-04-29'] },
      { holiday: 'nationalDay', off: ['2007-10-01/2007-10-07'], work: ['2007-09-29', '2007-09-30'] },
    ],
  },
  {
    year: 2008,
    source: { title: '国务院办公厅关于2008年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2008-01-01'] },
      { holiday: 'springFestival', off: ['2008-02-06/2008-02-12'], work: ['2008-02-02', '2008-02-03'] },
      { holiday: 'qingming', off: ['2008-04-04/2008-04-06'] },
      { holiday: 'labourDay', off: ['2008-05-01/2008-05-03'], work: ['2008-05-04'] },
      { holiday: 'dragonBoat', off: ['2008-06-07/2008-06-09'] },
      { holiday: 'midAutumn', off: ['2008-09-13/2008-09-15'] },
      { holiday: 'nationalDay', off: ['2008-09-29/2008-10-05'], work: ['2008-09-27', '2008-09-28'] },
    ],
  },
  {
    year: 2009,
    source: { title: '国务院办公厅关于2009年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2009-01-01/2009-01-03'], work: ['2009-01-04'] },
      { holiday: 'springFestival', off: ['2009-01-25/2009-01-31'], work: ['2009-01-24', '2009-02-01'] },
      { holiday: 'qingming', off: ['2009-04-04/2009-04-06'] },
      { holiday: 'labourDay', off: ['2009-05-01/2009-05-03'] },
      { holiday: 'dragonBoat', off: ['2009-05-28/2009-05-30'], work: ['2009-05-31'] },
      { holiday: 'midAutumn', off: ['2009-10-03'] },
      {
        holiday: 'nationalDay',
        off: ['2009-10-01/2009-10-02', '2009-10-04/2009-10-08'],
        work: ['2009-09-27', '2009-10-10'],
      },
    ],
  },
  {
    year: 2010,
    source: { title: '国务院办公厅关于2010年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2010-01-01/2010-01-03'] },
      { holiday: 'springFestival', off: ['2010-02-13/2010-02-19'], work: ['2010-02-20', '2010-02-21'] },
      { holiday: 'qingming', off: ['2010-04-03/2010-04-05'] },
      { holiday: 'labourDay', off: ['2010-05-01/2010-05-03'] },
      { holiday: 'dragonBoat', off: ['2010-06-14/2010-06-16'], work: ['2010-06-12', '2010-06-13'] },
      { holiday: 'midAutumn', off: ['2010-09-22/2010-09-24'], work: ['2010-09-19', '2010-09-25'] },
      { holiday: 'nationalDay', off: ['2010-10-01/2010-10-07'], work: ['2010-09-26', '2010-10-09'] },
    ],
  },
  {
    year: 2011,
    source: { title: '国务院办公厅关于2011年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2011-01-01/2011-01-03'], work: ['2011-12-31'] },
      { holiday: 'springFestival', off: ['2011-02-02/2011-02-08'], work: ['2011-01-30', '2011-02-12'] },
      { holiday: 'qingming', off: ['2011-04-03/2011-04-05'], work: ['2011-04-02'] },
      { holiday: 'labourDay', off: ['2011-04-30/2011-05-02'] },
      { holiday: 'dragonBoat', off: ['2011-06-04', '2011-06-06'] },
      { holiday: 'midAutumn', off: ['2011-09-10/2011-09-12'] },
      { holiday: 'nationalDay', off: ['2011-10-01/2011-10-07'], work: ['2011-10-08', '2011-10-09'] },
    ],
  },
  {
    year: 2012,
    source: { title: '国务院办公厅关于2012年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2012-01-01/2012-01-03'] },
      { holiday: 'springFestival', off: ['2012-01-22/2012-01-28'], work: ['2012-01-21', '2012-01-29'] },
      { holiday: 'qingming', off: ['2012-04-02/2012-04-04'], work: ['2012-03-31', '2012-04-01'] },
      { holiday: 'labourDay', off: ['2012-04-29/2012-05-01'], work: ['2012-04-28'] },
      { holiday: 'dragonBoat', off: ['2012-06-22', '2012-06-24'] },
      { holiday: 'midAutumn', off: ['2012-09-30'] },
      { holiday: 'nationalDay', off: ['2012-10-01/2012-10-07'], work: ['2012-09-29'] },
    ],
  },
  {
    year: 2013,
    source: { title: '国务院办公厅关于2013年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2013-01-01/2013-01-03'], work: ['2013-01-05', '2013-01-06'] },
      { holiday: 'springFestival', off: ['2013-02-09/2013-02-15'], work: ['2013-02-16', '2013-02-17'] },
      { holiday: 'qingming', off: ['2013-04-04/2013-04-06'], work: ['2013-04-07'] },
      { holiday: 'labourDay', off: ['2013-04-29/2013-05-01'], work: ['2013-04-27', '2013-04-28'] },
      { holiday: 'dragonBoat', off: ['2013-06-10/2013-06-12'], work: ['2013-06-08', '2013-06-09'] },
      { holiday: 'midAutumn', off: ['2013-09-19/2013-09-21'], work: ['2013-09-22'] },
      { holiday: 'nationalDay', off: ['2013-10-01/2013-10-07'], work: ['2013-09-29', '2013-10-12'] },
    ],
  },
  {
    year: 2014,
    source: { title: '国务院办公厅关于2014年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2014-01-01'] },
      { holiday: 'springFestival', off: ['2014-01-31/2014-02-06'], work: ['2014-01-26', '2014-02-08'] },
      { holiday: 'qingming', off: ['2014-04-05/2014-04-07'] },
      { holiday: 'labourDay', off: ['2014-05-01/2014-05-03'], work: ['2014-05-04'] },
      { holiday: 'dragonBoat', off: ['2014-06-02'] },
      { holiday: 'midAutumn', off: ['2014-09-08'] },
      { holiday: 'nationalDay', off: ['2014-10-01/2014-10-07'], work: ['2014-09-28', '2014-10-11'] },
    ],
  },
  {
    year: 2015,
    source: { title: '国务院办公厅关于2015年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2015-01-01/2015-01-03'], work: ['2015-01-04'] },
      { holiday: 'springFestival', off: ['2015-02-18/2015-02-24'], work: ['2015-02-15', '2015-02-28'] },
      { holiday: 'qingming', off: ['2015-04-05/2015-04-06'] },
      { holiday: 'labourDay', off: ['2015-05-01'] },
      { holiday: 'dragonBoat', off: ['2015-06-20', '2015-06-22'] },
      { holiday: 'midAutumn', off: ['2015-09-27'] },
      { holiday: 'nationalDay', off: ['2015-10-01/2015-10-07'], work: ['2015-10-10'] },
      { holiday: 'victoryDay70', off: ['2015-09-03/2015-09-04'], work: ['2015-09-06'] },
    ],
  },
  {
    year: 2016,
    source: { title: '国务院办公厅关于2016年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2016-01-01'] },
      { holiday: 'springFestival', off: ['2016-02-07/2016-02-13'], work: ['2016-02-06', '2016-02-14'] },
      { holiday: 'qingming', off: ['2016-04-04'] },
      { holiday: 'labourDay', off: ['2016-05-01/2016-05-02'] },
      { holiday: 'dragonBoat', off: ['2016-06-09/2016-06-11'], work: ['2016-06-12'] },
      { holiday: 'midAutumn', off: ['2016-09-15/2016-09-17'], work: ['2016-09-18'] },
      { holiday: 'nationalDay', off: ['2016-10-01/2016-10-07'], work: ['2016-10-08', '2016-10-09'] },
    ],
  },
  {
    year: 2017,
    source: {
      title: '国务院办公厅关于2017年部分节假日安排的通知',
      publishedOn: '2016-12-01',
      document: '国办发明电〔2016〕17号',
      importedFrom: CHINESE_DAYS,
    },
    holidays: [
      { holiday: 'newYear', off: ['2017-01-01/2017-01-02'] },
      { holiday: 'springFestival', off: ['2017-01-27/2017-02-02'], work: ['2017-01-22', '2017-02-04'] },
      { holiday: 'qingming', off: ['2017-04-02/2017-04-04'], work: ['2017-04-01'] },
      { holiday: 'labourDay', off: ['2017-05-01'] },
      { holiday: 'dragonBoat', off: ['2017-05-28/2017-05-30'], work: ['2017-05-27'] },
      { holiday: 'midAutumn', off: ['2017-10-04'] },
      {
        holiday: 'nationalDay',
        off: ['2017-10-01/2017-10-03', '2017-10-05/2017-10-08'],
        work: ['2017-09-30'],
      },
    ],
  },
  {
    year: 2018,
    source: { title: '国务院办公厅关于2018年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2018-01-01', '2018-12-30/2018-12-31'], work: ['2018-12-29'] },
      { holiday: 'springFestival', off: ['2018-02-15/2018-02-21'], work: ['2018-02-11', '2018-02-24'] },
      { holiday: 'qingming', off: ['2018-04-05/2018-04-07'], work: ['2018-04-08'] },
      { holiday: 'labourDay', off: ['2018-04-29/2018-05-01'], work: ['2018-04-28'] },
      { holiday: 'dragonBoat', off: ['2018-06-18'] },
      { holiday: 'midAutumn', off: ['2018-09-24'] },
      { holiday: 'nationalDay', off: ['2018-10-01/2018-10-07'], work: ['2018-09-29', '2018-09-30'] },
    ],
  },
  {
    year: 2019,
    source: { title: '国务院办公厅关于2019年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2019-01-01'] },
      { holiday: 'springFestival', off: ['2019-02-04/2019-02-10'], work: ['2019-02-02', '2019-02-03'] },
      { holiday: 'qingming', off: ['2019-04-05/2019-04-07'] },
      { holiday: 'labourDay', off: ['2019-05-01/2019-05-04'], work: ['2019-04-28', '2019-05-05'] },
      { holiday: 'dragonBoat', off: ['2019-06-07/2019-06-09'] },
      { holiday: 'midAutumn', off: ['2019-09-13/2019-09-15'] },
      { holiday: 'nationalDay', off: ['2019-10-01/2019-10-07'], work: ['2019-09-29', '2019-10-12'] },
    ],
  },
  {
    year: 2020,
    source: { title: '国务院办公厅关于2020年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2020-01-01'] },
      { holiday: 'springFestival', off: ['2020-01-24/2020-02-02'], work: ['2020-01-19'] },
      { holiday: 'qingming', off: ['2020-04-04/2020-04-06'] },
      { holiday: 'labourDay', off: ['2020-05-01/2020-05-05'], work: ['2020-04-26', '2020-05-09'] },
      { holiday: 'dragonBoat', off: ['2020-06-25/2020-06-27'], work: ['2020-06-28'] },
      { holiday: 'nationalDay', off: ['2020-10-01/2020-10-08'], work: ['2020-09-27', '2020-10-10'] },
    ],
  },
  {
    year: 2021,
    source: { title: '国务院办公厅关于2021年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2021-01-01/2021-01-03'] },
      { holiday: 'springFestival', off: ['2021-02-11/2021-02-17'], work: ['2021-02-07', '2021-02-20'] },
      { holiday: 'qingming', off: ['2021-04-03/2021-04-05'] },
      { holiday: 'labourDay', off: ['2021-05-01/2021-05-05'], work: ['2021-04-25', '2021-05-08'] },
      { holiday: 'dragonBoat', off: ['2021-06-12/2021-06-14'] },
      { holiday: 'midAutumn', off: ['2021-09-19/2021-09-21'], work: ['2021-09-18'] },
      { holiday: 'nationalDay', off: ['2021-10-01/2021-10-07'], work: ['2021-09-26', '2021-10-09'] },
    ],
  },
  {
    year: 2022,
    source: { title: '国务院办公厅关于2022年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2022-01-01/2022-01-03', '2022-12-31'] },
      { holiday: 'springFestival', off: ['2022-01-31/2022-02-06'], work: ['2022-01-29', '2022-01-30'] },
      { holiday: 'qingming', off: ['2022-04-03/2022-04-05'], work: ['2022-04-02'] },
      { holiday: 'labourDay', off: ['2022-04-30/2022-05-04'], work: ['2022-04-24', '2022-05-07'] },
      { holiday: 'dragonBoat', off: ['2022-06-03/2022-06-05'] },
      { holiday: 'midAutumn', off: ['2022-09-10/2022-09-12'] },
      { holiday: 'nationalDay', off: ['2022-10-01/2022-10-07'], work: ['2022-10-08', '2022-10-09'] },
    ],
  },
  {
    year: 2023,
    source: { title: '国务院办公厅关于2023年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2023-01-01/2023-01-02'] },
      { holiday: 'springFestival', off: ['2023-01-21/2023-01-27'], work: ['2023-01-28', '2023-01-29'] },
      { holiday: 'qingming', off: ['2023-04-05'] },
      { holiday: 'labourDay', off: ['2023-04-29/2023-05-03'], work: ['2023-04-23', '2023-05-06'] },
      { holiday: 'dragonBoat', off: ['2023-06-22/2023-06-24'], work: ['2023-06-25'] },
      { holiday: 'midAutumn', off: ['2023-09-29'] },
      { holiday: 'nationalDay', off: ['2023-09-30/2023-10-06'], work: ['2023-10-07', '2023-10-08'] },
    ],
  },
  {
    year: 2024,
    source: { title: '国务院办公厅关于2024年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2024-01-01'] },
      { holiday: 'springFestival', off: ['2024-02-10/2024-02-17'], work: ['2024-02-04', '2024-02-18'] },
      { holiday: 'qingming', off: ['2024-04-04/2024-04-06'], work: ['2024-04-07'] },
      { holiday: 'labourDay', off: ['2024-05-01/2024-05-05'], work: ['2024-04-28', '2024-05-11'] },
      { holiday: 'dragonBoat', off: ['2024-06-10'] },
      { holiday: 'midAutumn', off: ['2024-09-15/2024-09-17'], work: ['2024-09-14'] },
      { holiday: 'nationalDay', off: ['2024-10-01/2024-10-07'], work: ['2024-09-29', '2024-10-12'] },
    ],
  },
  {
    year: 2025,
    source: { title: '国务院办公厅关于2025年部分节假日安排的通知', importedFrom: CHINESE_DAYS },
    holidays: [
      { holiday: 'newYear', off: ['2025-01-01'] },
      { holiday: 'springFestival', off: ['2025-01-28/2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
      { holiday: 'qingming', off: ['2025-04-04/2025-04-06'] },
      { holiday: 'labourDay', off: ['2025-05-01/2025-05-05'], work: ['2025-04-27'] },
      { holiday: 'dragonBoat', off: ['2025-05-31/2025-06-02'] },
      { holiday: 'midAutumn', off: ['2025-10-06'] },
      {
        holiday: 'nationalDay',
        off: ['2025-10-01/2025-10-05', '2025-10-07/2025-10-08'],
        work: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    source: {
      title: '国务院办公厅关于2026年部分节假日安排的通知',
      publishedOn: '2025-11-04',
      importedFrom: CHINESE_DAYS,
    },
    holidays: [
      { holiday: 'newYear', off: ['2026-01-01/2026-01-03'], work: ['2026-01-04'] },
      { holiday: 'springFestival', off: ['2026-02-15/2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
      { holiday: 'qingming', off: ['2026-04-04/2026-04-06'] },
      { holiday: 'labourDay', off: ['2026-05-01/2026-05-05'], work: ['2026-05-09'] },
      { holiday: 'dragonBoat', off: ['2026-06-19/2026-06-21'] },
      { holiday: 'midAutumn', off: ['2026-09-25/2026-09-27'] },
      { holiday: 'nationalDay', off: ['2026-10-01/2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
    ],
  },
];
