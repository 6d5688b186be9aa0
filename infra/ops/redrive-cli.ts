/**
 * `npm run redrive -- --city 320700`: moves the dead-lettered messages of a centre's inbox back
 * to it, on the running local region. `--aws --prefix <stack prefix>` starts SQS's own move task
 * in the AWS account and region of the current credentials instead.
 */
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { connectToLocalRegion, LOCAL_QUEUE_PREFIX } from '../local/local-config.js';
import { redriveLocally, startRedriveInAws } from './redrive.js';

const USAGE =
  'usage: npm run redrive -- --city <code>                       (local region, with `npm start` running)\n' +
  '       npm run redrive -- --city <code> --aws --prefix <prefix>  (AWS: SQS move task)';

async function main(): Promise<number> {
  let values: { city?: string; aws?: boolean; prefix?: string };
  try {
    ({ values } = parseArgs({
      options: { city: { type: 'string' }, aws: { type: 'boolean' }, prefix: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const city = values.city as CityCode | undefined;
  if (!city || !CITY_CODES.includes(city)) {
    console.error(`--city must be one of ${CITY_CODES.join(', ')}\n${USAGE}`);
    return 2;
  }
  if (values.aws) {
    if (!values.prefix) {
      console.error(`--aws needs the stack's --prefix\n${USAGE}`);
      return 2;
    }
    const handle = await startRedriveInAws(new SQSClient({}), values.prefix, city);
    console.log(
      `move task started for ${city}: ${handle} (aws sqs list-message-move-tasks shows its progress)`,
    );
    return 0;
  }
  if (!(await connectToLocalRegion())) return 1;
  const { moved } = await redriveLocally(new SQSClient({}), LOCAL_QUEUE_PREFIX, city);
  console.log(`${city}: ${moved} message(s) moved from the dead-letter queue back to the inbox`);
  return 0;
}

process.exitCode = await main();
