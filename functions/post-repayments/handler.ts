/**
 * Scheduled monthly repayments, at 02:00 Beijing time on the 1st: the instalments due that month.
 * An operator may re-run a month with `{ "month": "YYYY-MM" }`: instalments already posted are skipped.
 */
import type { Context } from 'aws-lambda';
import { monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { postCentreRepayments } from '../../shared/loans/repayments.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

export const handler = async (event: { month?: string; time?: string }, context: Context) => {
  logger.addContext(context);
  const month = event.month ?? monthOf(toBeijingDate(event.time ? new Date(event.time) : new Date()));
  return Promise.all(CITY_CODES.map((city) => postCentreRepayments(centreRepository(city), month)));
};
