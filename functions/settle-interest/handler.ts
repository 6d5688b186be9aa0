/**
 * Yearly interest settlement (结息), fanned out (shared/jobs/settle-interest.ts). EventBridge invokes
 * it at 00:30 Beijing time on 1 July for the interest year ending the day before: it dispatches one
 * chunk per centre and `chunkSize` accounts to its work queue. The work queue invokes it with
 * chunks. An operator may re-run a year with `{ "settlementDate": "YYYY-06-30" }`: accounts already
 * settled are skipped.
 */

import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { dispatchSettlement, handleInterestChunk } from '../../shared/jobs/settle-interest.js';
import { citiesOf, fanOutJob, type JobFunction } from '../../shared/jobs/work.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { fanOutOf } from '../../shared/services/declaration.js';

interface SettlementEvent {
  time?: string;
  settlementDate?: string;
  /** An operator's re-run of some centres only (default all). */
  cities?: unknown;
}

/** The last 30 June on or before the Beijing date of the run. */
export function settlementDateFor(runAt: Date): string {
  const today = toBeijingDate(runAt);
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '06-30' ? `${year}-06-30` : `${year - 1}-06-30`;
}

/** The job function; tests build one with a small chunk or a repository that fails on cue. */
export function createSettleInterestJob(
  options: { chunkSize?: number; repositoryOf?: (city: CityCode) => CentreRepository } = {},
): JobFunction {
  const chunkSize = options.chunkSize ?? fanOutOf('settle-interest').chunkSize;
  const repositoryOf = options.repositoryOf ?? centreRepository;
  return fanOutJob({
    jobId: 'settle-interest',
    dispatch: async (event) => {
      const { time, settlementDate, cities } = (event ?? {}) as SettlementEvent;
      const date = settlementDate ?? settlementDateFor(time ? new Date(time) : new Date());
      if (!/^\d{4}-06-30$/.test(date)) throw new RangeError(`settlementDate ${date} is not a 30 June`);
      return {
        settlementDate: date,
        ...(await dispatchSettlement(repositoryOf, date, chunkSize, new Date(), citiesOf(cities))),
      };
    },
    handleChunk: async (chunk) => {
      if (chunk.job === 'settle-interest') await handleInterestChunk(repositoryOf, chunk);
    },
  });
}

export const handler = createSettleInterestJob();
