/**
 * Hourly: the open applications of every centre past their committed deadline (承诺办结时限), as
 * a metric by city and item code (never an application id) and a total the ops alarm watches.
 * Staff see the same applications flagged overdue in their work queue.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { countOverdue } from '../../shared/applications/overdue.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { logger } from '../../shared/observability/logger.js';
import { BUSINESS_METRICS, businessMetrics } from '../../shared/observability/metrics.js';

const metrics = businessMetrics();

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const now = new Date();
  const counts = await countOverdue(CITY_CODES, now);
  let total = 0;
  for (const { city, itemCode, overdue } of counts) {
    total += overdue;
    const single = metrics.singleMetric();
    single.addDimension('city', city);
    single.addDimension('itemCode', itemCode);
    single.addMetric(BUSINESS_METRICS.overdueApplications.name, MetricUnit.Count, overdue);
  }
  metrics.addMetric(BUSINESS_METRICS.overdueApplications.name, MetricUnit.Count, total);
  metrics.publishStoredMetrics();
  logger.info('committed times swept', { overdue: total });
  return { overdue: total, byCityAndItem: counts };
};
