/** Scheduled sweep of every centre's open loan applications (see shared/loans/sweep.ts). */
import type { Context } from 'aws-lambda';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  return Promise.all(CITY_CODES.map((city) => sweepApplications(centreRepository(city))));
};
