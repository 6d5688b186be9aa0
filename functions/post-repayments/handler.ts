/**
 * Monthly repayments, fanned out (shared/jobs/post-repayments.ts). EventBridge invokes it at 02:00
 * Beijing time on the 1st: it dispatches one chunk per centre to its work queue; each chunk (a page
 * of the centre's running loans) sends the next page's and posts its own. An operator may re-run a
 * month with `{ "month": "YYYY-MM" }` (and `"cities": [...]` for some centres only): instalments
 * already posted are skipped.
 */

import { isYearMonth, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { dispatchRepayments, handleRepaymentChunk } from '../../shared/jobs/post-repayments.js';
import { citiesOf, fanOutJob, type JobFunction } from '../../shared/jobs/work.js';
import { assertMonthBegun } from '../../shared/loans/repayments.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { fanOutOf } from '../../shared/services/declaration.js';

/** The job function; tests build one with a small chunk or a repository that fails on cue. */
export function createPostRepaymentsJob(
  options: { chunkSize?: number; repositoryOf?: (city: CityCode) => CentreRepository } = {},
): JobFunction {
  const chunkSize = options.chunkSize ?? fanOutOf('post-repayments').chunkSize;
  const repositoryOf = options.repositoryOf ?? centreRepository;
  return fanOutJob({
    jobId: 'post-repayments',
    dispatch: async (event) => {
      const { month, time, cities } = (event ?? {}) as { month?: string; time?: string; cities?: unknown };
      const due = month ?? monthOf(toBeijingDate(time ? new Date(time) : new Date()));
      if (!isYearMonth(due)) throw new RangeError(`month ${due} is not YYYY-MM`);
      assertMonthBegun(due, new Date());
      return { month: due, ...(await dispatchRepayments(due, new Date(), citiesOf(cities))) };
    },
    handleChunk: async (chunk) => {
      if (chunk.job === 'post-repayments') await handleRepaymentChunk(repositoryOf, chunk, chunkSize);
    },
  });
}

export const handler = createPostRepaymentsJob();
