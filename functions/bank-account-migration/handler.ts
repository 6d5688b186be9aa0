/**
 * The one-off job that encrypts bank account numbers stored in clear before encryption existed
 * (shared/withdrawals/bank-account-migration.ts). Invoked by hand once after the deploy that
 * introduces encryption (`aws lambda invoke --function-name <prefix>bank-account-migration`), for
 * every centre or the centres named in the event; safe to run again.
 */
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { logger } from '../../shared/observability/logger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { migrateClearBankAccounts } from '../../shared/withdrawals/bank-account-migration.js';

export const handler = async (event: { cities?: CityCode[] } = {}) => {
  const cities = (event.cities ?? CITY_CODES).filter((city) => CITY_CODES.includes(city));
  const reports = [];
  for (const city of cities) {
    const report = await migrateClearBankAccounts(centreRepository(city));
    logger.info('bank accounts migrated', { ...report });
    reports.push(report);
  }
  return { reports };
};
