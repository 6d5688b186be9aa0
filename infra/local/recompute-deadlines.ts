/**
 * `npm run recompute-deadlines`: after committing a year's holiday notice
 * (shared/rules/holiday-notices.ts), recomputes the provisional committed deadlines of the running
 * local region's open applications, by the declared job AWS runs daily. Again: changes nothing.
 */
import { handler } from '../../functions/deadline-recompute/handler.js';
import { SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import { localLambdaContext } from './lambda-context.js';
import { connectToLocalRegion } from './local-config.js';

async function main(): Promise<number> {
  if (!(await connectToLocalRegion())) return 1;
  const job = SCHEDULED_JOBS.find((j) => j.id === 'deadline-recompute');
  if (!job) throw new Error('the deadline-recompute job is not declared');
  const { reports } = await handler(
    {},
    localLambdaContext({
      functionName: `hpf-local-${job.id}`,
      region: process.env.AWS_REGION ?? 'us-east-1',
      memoryMb: 512,
      deadline: Date.now() + job.timeoutSeconds * 1000,
    }),
  );
  for (const r of reports) {
    console.log(`${r.city}  provisional ${r.provisional}  recomputed ${r.changed.length}`);
    for (const c of r.changed) {
      console.log(`  ${c.applicationId}  ${c.previousDeadline} → ${c.committedDeadline} (${c.calendar})`);
    }
  }
  return 0;
}

process.exitCode = await main();
