/**
 * Hourly, fanned out (shared/jobs/committed-time-sweep.ts): one chunk per centre counts its open
 * applications past their committed deadline (承诺办结时限) and publishes the centre's total (the
 * city a dimension) and its count per item code (never an application id); the ops alarm adds
 * the ten centres' totals. Staff see the same applications flagged overdue in their work queue.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CityCode } from '../../shared/config/cities.js';
import {
  dispatchOverdueCount,
  handleOverdueChunk,
  type PublishOverdue,
} from '../../shared/jobs/committed-time-sweep.js';
import { citiesOf, fanOutJob, type JobFunction } from '../../shared/jobs/work.js';
import { logger } from '../../shared/observability/logger.js';
import { BUSINESS_METRICS, businessMetrics } from '../../shared/observability/metrics.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';

const metrics = businessMetrics();

/** Each figure its own EMF line (chunks of one batch run at once: nothing shared is buffered). */
export const publishOverdueMetrics: PublishOverdue = ({ city, overdue, byItem }) => {
  const total = metrics.singleMetric();
  total.addDimension('city', city);
  total.addMetric(BUSINESS_METRICS.overdueApplications.name, MetricUnit.Count, overdue);
  for (const { itemCode, overdue: count } of byItem) {
    const single = metrics.singleMetric();
    single.addDimension('city', city);
    single.addDimension('itemCode', itemCode);
    single.addMetric(BUSINESS_METRICS.overdueApplications.name, MetricUnit.Count, count);
  }
  if (overdue > 0) logger.info('committed times swept', { city, overdue });
};

/** The job function; tests build one that records what it publishes, or with a faulty repository. */
export function createCommittedTimeSweepJob(
  options: { publish?: PublishOverdue; repositoryOf?: (city: CityCode) => CentreRepository } = {},
): JobFunction {
  const repositoryOf = options.repositoryOf ?? centreRepository;
  return fanOutJob({
    jobId: 'committed-time-sweep',
    dispatch: async (event) =>
      dispatchOverdueCount(new Date(), citiesOf((event as { cities?: unknown } | null)?.cities)),
    handleChunk: async (chunk) => {
      if (chunk.job === 'committed-time-sweep')
        await handleOverdueChunk(repositoryOf, chunk, options.publish ?? publishOverdueMetrics);
    },
  });
}

export const handler = createCommittedTimeSweepJob();
