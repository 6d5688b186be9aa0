/**
 * `npm run settle-interest -- --date 2026-06-30`: the yearly interest settlement (结息) on the
 * running local region, as the scheduled job does in AWS. Run it twice: the second run posts
 * nothing (each account is settled once per year).
 */
import { parseArgs } from 'node:util';
import { settleRegionInterest } from '../../shared/deposits/interest.js';
import { fenToYuanString } from '../../shared/money/money.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { connectToLocalRegion } from './local-config.js';

const USAGE = 'usage: npm run settle-interest -- --date YYYY-06-30   (with `npm start` running)';

async function main(): Promise<number> {
  let date: string | undefined;
  try {
    ({
      values: { date },
    } = parseArgs({ options: { date: { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!date || !/^\d{4}-06-30$/.test(date)) {
    console.error(`--date must be a settlement day, 30 June: YYYY-06-30\n${USAGE}`);
    return 2;
  }
  if (!(await connectToLocalRegion())) return 1;
  const reports = await settleRegionInterest(centreRepository, date);
  for (const r of reports) {
    console.log(
      `${r.city}  accounts ${r.accountsSeen}  posted ${r.posted}  already settled ${r.alreadySettled}  ` +
        `nothing due ${r.nothingDue}  interest ${fenToYuanString(r.interestFen)} yuan`,
    );
  }
  return 0;
}

process.exitCode = await main();
