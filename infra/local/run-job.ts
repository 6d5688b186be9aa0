/**
 * A job that fans out, run by its npm command on the running local region (found through
 * .local/region.json): the job's own function dispatches onto the region's work queue, the
 * region's job pollers run the chunks, and this waits for every centre's chunks to be recorded.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { type DispatchedRun, JOB_QUEUE_URLS_ENV, waitForRun } from '../../shared/jobs/work.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { jobQueueName, SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import { runJob } from './jobs.js';
import { connectToLocalRegion, LOCAL_QUEUE_PREFIX, readRegionFile } from './local-config.js';
import { localQueueUrl } from './resources.js';

/** Dispatches and waits; returns each centre's chunk reports, or undefined when the region is not running. */
export async function runFanOutJob<R>(
  jobId: string,
  event: Record<string, unknown>,
  options: { timeoutMs?: number } = {},
): Promise<Map<CityCode, R[]> | undefined> {
  const job = SCHEDULED_JOBS.find((j) => j.id === jobId);
  if (!job?.fanOut) throw new Error(`job ${jobId} is not declared to fan out`);
  if (!(await connectToLocalRegion())) return undefined;
  const prefix = readRegionFile()?.queuePrefix ?? LOCAL_QUEUE_PREFIX;
  const sqs = new SQSClient({});
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: jobQueueName(prefix, jobId) }));
    if (!QueueUrl) throw new Error(`no work queue ${jobQueueName(prefix, jobId)}`);
    process.env[JOB_QUEUE_URLS_ENV] = JSON.stringify({ [jobId]: localQueueUrl(QueueUrl) });
  } catch (error) {
    console.error(
      `the running region has no work queue for ${jobId} (${(error as Error).message}): restart npm start`,
    );
    return undefined;
  } finally {
    sqs.destroy();
  }

  // as the declared job, like the scheduled invocation in AWS (the capability guard checks it)
  const run = (await runJob(job, event)) as DispatchedRun;
  const chunks = run.centres.reduce((sum, c) => sum + c.chunks, 0);
  console.log(`run ${run.runId}: ${chunks} chunk(s) dispatched to ${jobQueueName(prefix, jobId)}`);

  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  let lastLine = '';
  const { finished, reports } = await waitForRun<R>(jobId, run, {
    timeoutMs,
    repositoryOf: centreRepository,
    onProgress: (done, of) => {
      const line = `  ${done}/${of} centres done`;
      if (line !== lastLine) console.log(line);
      lastLine = line;
    },
  });
  if (!finished) {
    console.error(
      `not done after ${Math.round(timeoutMs / 1000)} s: centres waiting ` +
        `${CITY_CODES.filter((c) => run.centres.some((r) => r.city === c) && !reports.has(c)).join(', ')} ` +
        `(a chunk failing goes to ${jobQueueName(prefix, jobId)}-dlq after its retries)`,
    );
  }
  return reports;
}
