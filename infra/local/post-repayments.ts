/**
 * `npm run post-repayments -- --month 2026-11`: the month's loan instalments on the running local
 * region, as the monthly job does in AWS (repricing on 1 January included). Run twice: the
 * second run posts nothing.
 */
import { parseArgs } from 'node:util';
import { isYearMonth } from '../../shared/calendar/dates.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { postCentreRepayments } from '../../shared/loans/repayments.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { connectToLocalRegion } from './local-config.js';

const USAGE = 'usage: npm run post-repayments -- --month YYYY-MM   (with `npm start` running)';

async function main(): Promise<number> {
  let month: string | undefined;
  try {
    ({
      values: { month },
    } = parseArgs({ options: { month: { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!isYearMonth(month)) {
    console.error(`--month must be YYYY-MM\n${USAGE}`);
    return 2;
  }
  if (!(await connectToLocalRegion())) return 1;
  for (const city of CITY_CODES) {
    const r = await postCentreRepayments(centreRepository(city), month);
    console.log(
      `${city}  posted ${r.posted}  already posted ${r.alreadyPosted}  repriced ${r.repriced}  repaid ${r.repaid}`,
    );
  }
  return 0;
}

process.exitCode = await main();
