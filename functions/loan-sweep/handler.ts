/**
 * Scheduled sweep of every centre's open applications (shared/applications/sweep.ts), and of the
 * approved back-pays whose postings a crash interrupted (shared/deposits/back-pay.ts), and of the
 * base adjustments likewise (shared/base-adjustments/adjustment.ts), and of the transfers whose
 * money is in transit (shared/transfers/flows.ts).
 */
import type { Context } from 'aws-lambda';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { resumeBaseAdjustments } from '../../shared/base-adjustments/adjustment.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { resumeBackPays } from '../../shared/deposits/back-pay.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { sweepTransfersOut } from '../../shared/transfers/flows.js';

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  return Promise.all(
    CITY_CODES.map(async (city) => {
      const repository = centreRepository(city);
      const report = await sweepApplications(repository);
      return {
        ...report,
        backPaysResumed: await resumeBackPays(repository),
        baseAdjustmentsResumed: await resumeBaseAdjustments(repository),
        // money in transit (转移接续) the receiving centre has not confirmed
        transfersOut: await sweepTransfersOut(repository),
      };
    }),
  );
};
