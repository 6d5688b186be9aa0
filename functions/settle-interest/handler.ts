/**
 * Scheduled yearly interest settlement (结息), run by EventBridge at 00:30 Beijing time on 1 July
 * for the interest year ending the day before. An operator may re-run it for a given year with
 * `{ "settlementDate": "YYYY-06-30" }`: accounts already settled are skipped.
 */
import type { Context } from 'aws-lambda';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { settleRegionInterest } from '../../shared/deposits/interest.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

interface SettlementEvent {
  time?: string;
  settlementDate?: string;
}

/** The last 30 June on or before the Beijing date of the run. */
export function settlementDateFor(runAt: Date): string {
  const today = toBeijingDate(runAt);
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '06-30' ? `${year}-06-30` : `${year - 1}-06-30`;
}

export const handler = async (event: SettlementEvent, context: Context) => {
  logger.addContext(context);
  const settlementDate =
    event.settlementDate ?? settlementDateFor(event.time ? new Date(event.time) : new Date());
  const reports = await settleRegionInterest(centreRepository, settlementDate);
  return { settlementDate, reports };
};
