/**
 * `npm run post-repayments -- --month 2026-11`: the month's loan instalments on the running local
 * region by the declared job (repricing on 1 January included): its function dispatches one chunk
 * per centre, each page of running loans sends the next, and this prints each centre's report
 * when its pages are done. Run twice: the second run posts nothing.
 */
import { parseArgs } from 'node:util';
import { isYearMonth } from '../../shared/calendar/dates.js';
import {
  addRepaymentReports,
  assertMonthBegun,
  type RepaymentReport,
} from '../../shared/loans/repayments.js';
import { runFanOutJob } from './run-job.js';

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
  try {
    assertMonthBegun(month, new Date());
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const byCentre = await runFanOutJob<RepaymentReport>('post-repayments', { month });
  if (!byCentre) return 1;
  for (const [city, reports] of byCentre) {
    const r = reports.reduce(addRepaymentReports, {
      city,
      month,
      posted: 0,
      alreadyPosted: 0,
      repriced: 0,
      repaid: 0,
    });
    console.log(
      `${city}  posted ${r.posted}  already posted ${r.alreadyPosted}  repriced ${r.repriced}  repaid ${r.repaid}`,
    );
  }
  return 0;
}

process.exitCode = await main();
