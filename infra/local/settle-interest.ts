/**
 * `npm run settle-interest -- --date 2026-06-30`: the yearly interest settlement (结息) on the
 * running local region by the declared job: its function dispatches one chunk per centre and 200
 * accounts to the work queue, the region's job pollers settle them, and this prints each centre's
 * report when its chunks are done. Run it twice: the second run posts nothing (each account is
 * settled once per year).
 */
import { parseArgs } from 'node:util';
import { addReports, type SettlementReport } from '../../shared/deposits/interest.js';
import { fenToYuanString } from '../../shared/money/money.js';
import { runFanOutJob } from './run-job.js';

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
  const byCentre = await runFanOutJob<SettlementReport>('settle-interest', { settlementDate: date });
  if (!byCentre) return 1;
  for (const [city, reports] of byCentre) {
    const r = reports.reduce(addReports, {
      city,
      settlementDate: date,
      accountsSeen: 0,
      posted: 0,
      alreadySettled: 0,
      nothingDue: 0,
      interestFen: 0,
    });
    console.log(
      `${r.city}  accounts ${r.accountsSeen}  posted ${r.posted}  already settled ${r.alreadySettled}  ` +
        `nothing due ${r.nothingDue}  interest ${fenToYuanString(r.interestFen)} yuan`,
    );
  }
  return 0;
}

process.exitCode = await main();
