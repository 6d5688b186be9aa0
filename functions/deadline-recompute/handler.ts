/**
 * Daily: recomputes the provisional committed deadlines of every centre's open applications on
 * the calendar in force (shared/applications/deadlines.ts). A holiday notice committed and
 * deployed takes effect on the next run; runs that find nothing to change write nothing.
 */
import type { Context } from 'aws-lambda';
import { recomputeProvisionalDeadlines } from '../../shared/applications/deadlines.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const settled = await Promise.allSettled(
    CITY_CODES.map((city) => recomputeProvisionalDeadlines(centreRepository(city))),
  );
  const reports = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const changed = reports.reduce((sum, r) => sum + r.changed.length, 0);
  const failed = reports.reduce((sum, r) => sum + r.failed.length, 0);
  const unreadCities = CITY_CODES.filter((_, i) => settled[i]?.status === 'rejected');
  logger.info('provisional deadlines checked', {
    provisional: reports.reduce((sum, r) => sum + r.provisional, 0),
    changed,
    failed,
    unreadCities,
  });
  // Every city was tried; the run fails (Lambda's error metric, its alarm) if any part did not finish.
  if (failed > 0 || unreadCities.length > 0) {
    throw new Error(
      `deadline recompute incomplete: ${failed} applications failed, cities not read: ${unreadCities.join(', ') || 'none'}`,
    );
  }
  return { changed, reports };
};
