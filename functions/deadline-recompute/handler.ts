/**
 * Daily: recomputes the provisional committed deadlines of every centre's open applications on
 * the calendar in force (shared/applications/deadlines.ts). A holiday notice committed and
 * deployed takes effect on the next run; runs that find nothing to change write nothing.
 */
import type { Context } from 'aws-lambda';
import { recomputeProvisionalDeadlines } from '../../shared/applications/deadlines.js';
import { CITY_CODES } from '../../shared/domain/cities.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const reports = await Promise.all(
    CITY_CODES.map((city) => recomputeProvisionalDeadlines(centreRepository(city))),
  );
  const changed = reports.reduce((sum, r) => sum + r.changed.length, 0);
  logger.info('provisional deadlines checked', {
    provisional: reports.reduce((sum, r) => sum + r.provisional, 0),
    changed,
  });
  return { changed, reports };
};
