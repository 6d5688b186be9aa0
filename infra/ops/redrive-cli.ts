/**
 * `npm run redrive -- --city 320700`: moves the dead-lettered messages of a centre's inbox back
 * to it, on the running local region; `--job settle-interest` the dead-lettered chunks of a job back
 * to its work queue. `--aws --prefix <stack prefix>` starts SQS's own move task in the AWS account
 * and region of the current credentials instead.
 */
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import { connectToLocalRegion, LOCAL_QUEUE_PREFIX, readRegionFile } from '../local/local-config.js';
import { type RedriveTarget, redriveLocally, startRedriveInAws } from './redrive.js';

const FAN_OUT_JOBS = SCHEDULED_JOBS.filter((job) => job.fanOut).map((job) => job.id);
const USAGE =
  'usage: npm run redrive -- --city <code> | --job <job>                       (local region, with `npm start` running)\n' +
  '       npm run redrive -- --city <code> | --job <job> --aws --prefix <prefix>  (AWS: SQS move task)';

async function main(): Promise<number> {
  let values: { city?: string; job?: string; aws?: boolean; prefix?: string };
  try {
    ({ values } = parseArgs({
      options: {
        city: { type: 'string' },
        job: { type: 'string' },
        aws: { type: 'boolean' },
        prefix: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let target: RedriveTarget;
  if (values.job !== undefined && values.city === undefined) {
    if (!FAN_OUT_JOBS.includes(values.job)) {
      console.error(`--job must be one of ${FAN_OUT_JOBS.join(', ')}\n${USAGE}`);
      return 2;
    }
    target = { job: values.job };
  } else {
    const city = values.city as CityCode | undefined;
    if (!city || !CITY_CODES.includes(city) || values.job !== undefined) {
      console.error(`--city must be one of ${CITY_CODES.join(', ')} (or --job, not both)\n${USAGE}`);
      return 2;
    }
    target = { city };
  }
  const label = 'city' in target ? target.city : `job ${target.job}`;
  if (values.aws) {
    if (!values.prefix) {
      console.error(`--aws needs the stack's --prefix\n${USAGE}`);
      return 2;
    }
    const handle = await startRedriveInAws(new SQSClient({}), values.prefix, target);
    console.log(
      `move task started for ${label}: ${handle} (aws sqs list-message-move-tasks shows its progress)`,
    );
    return 0;
  }
  if (!(await connectToLocalRegion())) return 1;
  const prefix = readRegionFile()?.queuePrefix ?? LOCAL_QUEUE_PREFIX;
  const { moved } = await redriveLocally(new SQSClient({}), prefix, target);
  console.log(`${label}: ${moved} message(s) moved from the dead-letter queue back to its queue`);
  return 0;
}

process.exitCode = await main();
