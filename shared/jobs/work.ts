/**
 * Jobs that fan out (issue 17): the messages of a job's work queue, their sending, the record each
 * finished chunk leaves, and the job function that both dispatches (scheduled) and consumes chunks
 * (SQS, partial batch responses).
 *
 * A run has an id (the dispatch's): each chunk is recorded once under
 * `C#<city>#JOBRUN#<job>#<runId>` / `CHUNK#<index>` when done (put-if-absent, so a chunk delivered
 * twice keeps its first report), and the last chunk of a centre says so. A run of a centre is done
 * when chunks 0…last are all recorded; `npm run settle-interest` waits for that.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { CITY_CODES, type CityCode, isCityCode } from '../config/cities.js';
import { ConfigurationError } from '../config/runtime.js';
import { sqsClient } from '../messaging/inbox.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { centreKey, TTL_ATTRIBUTE } from '../persistence/table.js';

/** JSON object: job id → its work queue URL (CDK sets the function's own; the local region all). */
export const JOB_QUEUE_URLS_ENV = 'JOB_QUEUE_URLS';
/** How long a run's chunk records are kept (reports, and the local command's wait). */
const RUN_RECORD_DAYS = 30;

const cityCode = z.enum(CITY_CODES);
const runId = z.string().check(z.regex(/^[0-9A-Za-z-]{8,64}$/));
const index = z.int().check(z.minimum(0), z.maximum(1_000_000));

/** One chunk of the yearly interest settlement: `count` accounts from sequence number `first`. */
export const InterestChunk = z.strictObject({
  job: z.literal('settle-interest'),
  runId,
  city: cityCode,
  settlementDate: z.string().check(z.regex(/^\d{4}-06-30$/)),
  index,
  first: z.int().check(z.minimum(1)),
  count: z.int().check(z.minimum(0), z.maximum(10_000)),
  last: z.boolean(),
});
export type InterestChunk = z.infer<typeof InterestChunk>;

/** One page of a centre's running loans (after loan id `after`); its handler sends the next page. */
export const RepaymentChunk = z.strictObject({
  job: z.literal('post-repayments'),
  runId,
  city: cityCode,
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/)),
  index,
  after: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
export type RepaymentChunk = z.infer<typeof RepaymentChunk>;

/**
 * One page of a centre's applications awaiting facts (GSI1, after sort key `after`); its handler sends
 * the next page's. The first page's chunk also resumes the centre's unfinished postings and transfers.
 */
export const SweepChunk = z.strictObject({
  job: z.literal('loan-sweep'),
  runId,
  city: cityCode,
  index,
  after: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type SweepChunk = z.infer<typeof SweepChunk>;

/** A centre's open applications past their committed deadline, counted (one chunk a centre). */
export const OverdueChunk = z.strictObject({
  job: z.literal('committed-time-sweep'),
  runId,
  city: cityCode,
  index: z.literal(0),
});
export type OverdueChunk = z.infer<typeof OverdueChunk>;

export const JobChunk = z.discriminatedUnion('job', [
  InterestChunk,
  RepaymentChunk,
  SweepChunk,
  OverdueChunk,
]);
export type JobChunk = z.infer<typeof JobChunk>;

let cachedUrls: { raw: string; urls: Record<string, string> } | undefined;

export function jobQueueUrl(jobId: string): string {
  const raw = process.env[JOB_QUEUE_URLS_ENV];
  if (!raw) throw new ConfigurationError(`environment variable ${JOB_QUEUE_URLS_ENV} is not set`);
  if (cachedUrls?.raw !== raw) cachedUrls = { raw, urls: JSON.parse(raw) as Record<string, string> };
  const url = cachedUrls.urls[jobId];
  if (!url) throw new ConfigurationError(`no work queue URL for job ${jobId} in ${JOB_QUEUE_URLS_ENV}`);
  return url;
}

/** Sends chunks to their job's work queue, ten per request; throws if any was not accepted. */
export async function sendChunks(chunks: readonly JobChunk[]): Promise<void> {
  for (let start = 0; start < chunks.length; start += 10) {
    const group = chunks.slice(start, start + 10);
    const first = group[0];
    if (!first) continue;
    const output = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: jobQueueUrl(first.job),
        Entries: group.map((chunk, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify(chunk),
          MessageAttributes: { city: { DataType: 'String', StringValue: chunk.city } },
        })),
      }),
    );
    if ((output.Failed ?? []).length > 0) {
      throw new Error(`work queue of ${first.job} refused ${output.Failed?.length} chunk(s)`);
    }
  }
}

/** What a dispatch wrote: the run, and each centre's chunks (the first of a chain, for chained pages). */
export interface DispatchedRun {
  runId: string;
  centres: { city: CityCode; chunks: number }[];
}

/** A fresh run id: time-ordered, unique enough for one dispatch. */
export function newRunId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 17)}-${crypto.randomUUID().slice(0, 8)}`;
}

function runPartition(city: CityCode, jobId: string, id: string): string {
  return centreKey(city, 'JOBRUN', jobId, id);
}

export interface ChunkRecord<R> {
  index: number;
  last: boolean;
  report: R;
}

/** Records a finished chunk once: a second delivery of the same chunk leaves the first report. */
function chunkKey(repository: CentreRepository, chunk: JobChunk) {
  return {
    PK: runPartition(repository.city, chunk.job, chunk.runId),
    SK: `CHUNK#${String(chunk.index).padStart(7, '0')}`,
  };
}

/** Whether the chunk has been recorded done (a delivery after the first). */
export async function chunkDone(repository: CentreRepository, chunk: JobChunk): Promise<boolean> {
  return (await repository.get(chunkKey(repository, chunk), { consistent: true })) !== undefined;
}

export async function recordChunkDone<R>(
  repository: CentreRepository,
  chunk: JobChunk,
  last: boolean,
  report: R,
  now: Date,
): Promise<void> {
  try {
    await repository.put(
      {
        ...chunkKey(repository, chunk),
        index: chunk.index,
        last,
        report,
        doneAt: now.toISOString(),
        [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + RUN_RECORD_DAYS * 86_400,
      },
      { ConditionExpression: 'attribute_not_exists(PK)' },
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** The chunks of a centre's run recorded so far, and whether they are all of them. */
export async function runProgress<R>(
  repository: CentreRepository,
  jobId: string,
  id: string,
): Promise<{ done: boolean; chunks: ChunkRecord<R>[] }> {
  const items = await repository.queryAll(runPartition(repository.city, jobId, id), {
    ConsistentRead: true,
  });
  const chunks = items.map((item) => ({
    index: Number(item.index),
    last: item.last === true,
    report: item.report as R,
  }));
  // Two deliveries of a chained chunk may read different pages (a loan disbursed between them), so
  // more than one chunk may say it is the last: done when every chunk up to the furthest last is in.
  const lastIndex = Math.max(-1, ...chunks.filter((c) => c.last).map((c) => c.index));
  const indexes = new Set(chunks.map((c) => c.index));
  const done =
    lastIndex >= 0 && Array.from({ length: lastIndex + 1 }, (_, i) => indexes.has(i)).every(Boolean);
  return { done, chunks };
}

/**
 * Waits until every centre of a run has recorded all its chunks, or `timeoutMs` passed: each done
 * centre's chunk reports, in the dispatch's order of centres (the local job commands and the tests).
 */
export async function waitForRun<R>(
  jobId: string,
  run: DispatchedRun,
  options: {
    timeoutMs: number;
    repositoryOf: (city: CityCode) => CentreRepository;
    pollMs?: number;
    onProgress?: (done: number, of: number) => void;
  },
): Promise<{ finished: boolean; reports: Map<CityCode, R[]> }> {
  const until = Date.now() + options.timeoutMs;
  const done = new Map<CityCode, R[]>();
  for (;;) {
    for (const { city } of run.centres) {
      if (done.has(city)) continue;
      const progress = await runProgress<R>(options.repositoryOf(city), jobId, run.runId);
      if (progress.done)
        done.set(
          city,
          progress.chunks.map((c) => c.report),
        );
    }
    const finished = done.size === run.centres.length;
    if (finished || Date.now() > until) {
      const reports = new Map(
        run.centres.flatMap(({ city }) => (done.has(city) ? [[city, done.get(city) as R[]] as const] : [])),
      );
      return { finished, reports };
    }
    options.onProgress?.(done.size, run.centres.length);
    await new Promise<void>((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

export type JobFunction = (event: unknown, context: Context) => Promise<unknown>;

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.every((r) => (r as SQSRecord)?.eventSource === 'aws:sqs');
}

/**
 * The function of a job that fans out: invoked by its schedule (or by hand) it dispatches; invoked by
 * its work queue it handles each chunk, a failed chunk reported alone (retried by SQS, then
 * dead-lettered).
 */
export function fanOutJob(options: {
  jobId: string;
  dispatch: (event: unknown) => Promise<unknown>;
  handleChunk: (chunk: JobChunk) => Promise<void>;
}): JobFunction {
  const handleRecord = async (record: SQSRecord) => {
    const chunk = JobChunk.parse(JSON.parse(record.body));
    if (chunk.job !== options.jobId) throw new Error(`a ${chunk.job} chunk reached ${options.jobId}`);
    try {
      await options.handleChunk(chunk);
    } catch (error) {
      logger.warn('chunk failed', {
        job: chunk.job,
        runId: chunk.runId,
        city: chunk.city,
        index: chunk.index,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: (error as Error).message,
      });
      throw error;
    }
  };
  return async (event, context) => {
    logger.addContext(context);
    if (!isSqsEvent(event)) return options.dispatch(event);
    // A processor per invocation: it holds the batch's state, and the local region runs several
    // invocations of one function at once (Lambda runs one per process).
    const processor = new BatchProcessor(EventType.SQS);
    const response: SQSBatchResponse = await processPartialResponse(event, handleRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
    return response;
  };
}

/** The centres of a dispatch event (`"cities": [...]`, an operator's re-run of some), default all. */
export function citiesOf(value: unknown): readonly CityCode[] {
  if (value === undefined) return CITY_CODES;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((c) => typeof c === 'string' && isCityCode(c))
  ) {
    throw new RangeError(`cities must be a non-empty list of region city codes`);
  }
  return [...new Set(value as CityCode[])];
}
