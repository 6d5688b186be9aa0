/**
 * `npm run migrate-bank-accounts`: the one-off encryption of bank account numbers stored in clear,
 * on the running local region, as the declared job does in AWS. A second run migrates nothing.
 */
import { handler } from '../../functions/bank-account-migration/handler.js';
import { connectToLocalRegion } from './local-config.js';

async function main(): Promise<number> {
  if (!(await connectToLocalRegion())) return 1;
  const { reports } = await handler();
  for (const r of reports) {
    console.log(
      `${r.city}  withdrawals ${r.withdrawalsSeen}  encrypted ${r.withdrawalsMigrated}  payouts encrypted ${r.payoutsMigrated}`,
    );
  }
  return 0;
}

process.exitCode = await main();
