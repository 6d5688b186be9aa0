/**
 * The loan sweep and the committed-time sweep fanned out (issue 17), through the real pieces: the
 * job's own function dispatches onto a work queue of this file's (SQS emulator), the local job
 * pollers feed the chunks to the same function (Lambda's SQS semantics, partial batch responses),
 * DynamoDB Local holds the applications, this file's inboxes carry the facts requests. 宿迁 321300
 * lends; 宿州 341300 holds the deposits and its worker starts only once the race is over, so every
 * request sent to it waits in its inbox to be counted.
 */
import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Context, SQSEvent } from 'aws-lambda';
import { createCommittedTimeSweepJob } from '../../functions/committed-time-sweep/handler.js';
import { createLoanSweepJob } from '../../functions/loan-sweep/handler.js';
import { startJobPollers } from '../../infra/local/job-pollers.js';
import { localLambdaContext } from '../../infra/local/lambda-context.js';
import type { BatchOutcome, Pollers, SqsWorker } from '../../infra/local/pollers.js';
import { createJobQueues, type InboxQueue, jobQueueUrlsJson } from '../../infra/local/resources.js';
import { workQueueKey } from '../../shared/applications/records.js';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import type { OverdueReport } from '../../shared/jobs/committed-time-sweep.js';
import type { SweepChunkReport } from '../../shared/jobs/loan-sweep.js';
import {
  type DispatchedRun,
  JOB_QUEUE_URLS_ENV,
  type JobChunk,
  runProgress,
  waitForRun,
} from '../../shared/jobs/work.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication } from '../../shared/loans/decide.js';
import type { LoanApplicationRecord } from '../../shared/loans/store.js';
import { parseEnvelope } from '../../shared/messaging/envelope.js';
import { CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { centreKey } from '../../shared/persistence/table.js';
import { SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import { makeDepositor } from '../support/depositors.js';
import { asJob } from '../support/jobs.js';
import { homeBoughtBy } from '../support/properties.js';
import {
  createTestInboxes,
  eventually,
  type TestInboxes,
  withInboxesUnreachable,
} from '../support/region.js';

const LENDING: CityCode = '321300';
const DEPOSITS: CityCode = '341300';
const SWEEPS = SCHEDULED_JOBS.filter((job) => job.id === 'loan-sweep' || job.id === 'committed-time-sweep');
/** Pages of two: three applications make a chain of pages. */
const CHUNK = 2;
/** Long enough that nothing this file sends is due again within a test. */
const RESEND_AFTER_MS = 10 * 60_000;

const sqs = new SQSClient({});
let inboxes: TestInboxes;
let jobQueues: Record<string, InboxQueue>;
const running: Pollers[] = [];

/** Application partitions whose next update fails once: a chunk that fails midway. */
const failOnce = new Set<string>();
function faultyRepository(city: CityCode): CentreRepository {
  const repository = new CentreRepository(city, dynamoDocumentClient(), tableName());
  const update = repository.update.bind(repository);
  repository.update = async (input) => {
    const partition = String(input.Key?.PK);
    if (failOnce.delete(partition)) throw new Error('injected failure in the middle of a sweep chunk');
    return update(input);
  };
  return repository;
}

const loanSweep = createLoanSweepJob({
  chunkSize: CHUNK,
  resendAfterMs: RESEND_AFTER_MS,
  repositoryOf: faultyRepository,
});
const published: OverdueReport[] = [];
const committedTimeSweep = createCommittedTimeSweepJob({ publish: (report) => published.push(report) });

/** Every chunk body each job function received, and the batches' outcomes. */
const received: { jobId: string; body: string }[] = [];
const batches: BatchOutcome<string>[] = [];
const recording =
  (jobId: string, fn: (event: unknown, context: Context) => Promise<unknown>): SqsWorker =>
  async (event: SQSEvent, context: Context) => {
    for (const record of event.Records) received.push({ jobId, body: record.body });
    return (await fn(event, context)) as Awaited<ReturnType<SqsWorker>>;
  };

const context = (): Context =>
  localLambdaContext({
    functionName: 'test-sweep',
    region: 'us-east-1',
    memoryMb: 512,
    deadline: Date.now() + 60_000,
  });

async function finished<R>(jobId: string, run: DispatchedRun): Promise<Map<CityCode, R[]>> {
  const { finished: done, reports } = await waitForRun<R>(jobId, run, {
    timeoutMs: 60_000,
    repositoryOf: centreRepository,
    pollMs: 100,
  });
  if (!done) throw new Error(`timed out waiting for the chunks of ${jobId} run ${run.runId}`);
  return reports;
}

async function sendRaw(chunk: JobChunk): Promise<void> {
  await sqs.send(
    new SendMessageCommand({ QueueUrl: jobQueues[chunk.job]?.url, MessageBody: JSON.stringify(chunk) }),
  );
}

/** The id of every message now in a queue, each once (a send is a message id; a receive again is not). */
async function messagesIn(queueUrl: string): Promise<{ messageId: string; body: string }[]> {
  const seen = new Map<string, string>();
  for (let empty = 0; empty < 2; ) {
    const output = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const batch = output.Messages ?? [];
    if (batch.every((m) => seen.has(String(m.MessageId)))) empty += 1;
    for (const m of batch) seen.set(String(m.MessageId), m.Body ?? '');
  }
  return [...seen].map(([messageId, body]) => ({ messageId, body }));
}

let depositsWorker: Pollers | undefined;
/** 宿州's worker, started once: from then on it answers what waits in its inbox. */
function startDepositsWorker(): void {
  depositsWorker ??= inboxes.startWorkers([DEPOSITS]);
}

/** A loan application of 宿迁 whose requests were recorded but never reached a queue. */
async function unsentApplication(options: { replyDeadlineMs?: number } = {}): Promise<LoanApplicationRecord> {
  const person = await makeDepositor([DEPOSITS], 12);
  const home = await homeBoughtBy(person.idNumber, LENDING);
  return withInboxesUnreachable(
    () =>
      acceptLoanApplication(centreRepository(LENDING), {
        lendingCity: LENDING,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: {
          ...home,
          housePriceFen: 100_000_000,
          requestedFen: 20_000_000,
          termMonths: 240,
          method: 'equal-installment',
          declaredHomeOrder: 'first',
          otherMonthlyDebtFen: 0,
        },
        channel: 'online',
        household: { maritalStatus: 'single' },
        acceptedBy: 'test',
        correlationId: 'fan-out-sweep',
      }),
    options,
  );
}

beforeAll(async () => {
  inboxes = await createTestInboxes();
  // 宿迁 answers its property register's requests; 宿州 stays silent until started
  running.push(inboxes.startWorkers(CITY_CODES.filter((city) => city !== DEPOSITS)));
  const prefix = `${process.env.HPF_TEST_QUEUE_PREFIX ?? 'hpf-test-'}${randomBytes(3).toString('hex')}-`;
  jobQueues = await createJobQueues(sqs, prefix, {
    visibilityTimeoutSeconds: 2,
    maxReceiveCount: 3,
    jobs: SWEEPS,
  });
  process.env[JOB_QUEUE_URLS_ENV] = jobQueueUrlsJson(jobQueues);
  const functions: Record<string, SqsWorker> = {
    'loan-sweep': recording('loan-sweep', loanSweep),
    'committed-time-sweep': recording('committed-time-sweep', committedTimeSweep),
  };
  running.push(
    await startJobPollers({
      sqsClient: sqs,
      queues: jobQueues,
      workers: 3,
      functionOf: (jobId) => functions[jobId],
      onBatch: (outcome) => batches.push(outcome),
      onPollError: () => undefined,
    }),
  );
});

afterAll(async () => {
  for (const pollers of running) await pollers.stop();
  await depositsWorker?.stop();
  inboxes?.sqs.destroy();
  sqs.destroy();
});

describe('the loan sweep, fanned out per centre and page', () => {
  it('dispatches one chunk per centre, the first page of each, under one run', async () => {
    // a work queue nobody polls, so the dispatch's messages can be read as written
    const quiet = await createJobQueues(sqs, `hpf-test-${randomBytes(3).toString('hex')}-quiet-`, {
      jobs: SWEEPS,
    });
    const saved = process.env[JOB_QUEUE_URLS_ENV];
    process.env[JOB_QUEUE_URLS_ENV] = jobQueueUrlsJson(quiet);
    let run: DispatchedRun;
    let overdueRun: DispatchedRun;
    try {
      run = (await asJob('loan-sweep', () =>
        loanSweep({ source: 'aws.events' }, context()),
      )) as DispatchedRun;
      overdueRun = (await asJob('committed-time-sweep', () =>
        committedTimeSweep({ source: 'aws.events' }, context()),
      )) as DispatchedRun;
    } finally {
      process.env[JOB_QUEUE_URLS_ENV] = saved;
    }
    for (const [jobId, dispatched] of [
      ['loan-sweep', run],
      ['committed-time-sweep', overdueRun],
    ] as const) {
      const bodies = (await messagesIn(quiet[jobId]?.url as string)).map(
        (m) => JSON.parse(m.body) as JobChunk,
      );
      expect(bodies.map((c) => c.city).sort()).toEqual([...CITY_CODES].sort());
      expect(bodies.every((c) => c.job === jobId && c.runId === dispatched.runId && c.index === 0)).toBe(
        true,
      );
      expect(bodies.every((c) => !('after' in c))).toBe(true);
      expect(dispatched.centres.map((c) => c.city)).toEqual([...CITY_CODES]);
    }
    // an operator's run of some centres; a list that names no region city is refused
    await expect(loanSweep({ cities: ['999999'] }, context())).rejects.toThrow(RangeError);
  }, 60_000);

  it('two runs racing over the same applications, a chunk delivered twice: each request sent once, each late application to review once', async () => {
    // Three applications whose requests never left (a crash after the write), and two whose facts
    // deadline passed while nothing was sent: two runs at once, and run one's first chunk again.
    const unsent = [await unsentApplication(), await unsentApplication(), await unsentApplication()];
    const late = [
      await unsentApplication({ replyDeadlineMs: 1 }),
      await unsentApplication({ replyDeadlineMs: 1 }),
    ];
    for (const application of [...unsent, ...late])
      expect(Object.values(application.requests).every((r) => r?.sentAt === undefined)).toBe(true);

    const [first, second] = (await Promise.all([
      asJob('loan-sweep', () => loanSweep({ cities: [LENDING] }, context())),
      asJob('loan-sweep', () => loanSweep({ cities: [LENDING] }, context())),
    ])) as [DispatchedRun, DispatchedRun];
    await sendRaw({ job: 'loan-sweep', runId: first.runId, city: LENDING, index: 0 });
    const reports = [
      ...((await finished<SweepChunkReport>('loan-sweep', first)).get(LENDING) ?? []),
      ...((await finished<SweepChunkReport>('loan-sweep', second)).get(LENDING) ?? []),
    ];
    await eventually(async () => ((await jobQueueDepth('loan-sweep')) === 0 ? true : undefined), 30_000);
    // each run read the centre's queue in pages of two, chained
    expect(reports.length).toBeGreaterThanOrEqual(2 * 2);

    // Each deposit-facts request is in 宿州's inbox exactly once (one message id), and every
    // request of the three is recorded sent.
    const inbox = (await messagesIn(inboxes.queues[DEPOSITS].url)).map(
      (m) => parseEnvelope(m.body).requestId,
    );
    for (const application of unsent) {
      const requestId = application.requests[DEPOSITS]?.requestId;
      expect(inbox.filter((id) => id === requestId)).toHaveLength(1);
    }
    for (const application of late) {
      expect(inbox).not.toContain(application.requests[DEPOSITS]?.requestId);
    }
    for (const application of unsent) {
      const now = await getApplication(centreRepository(LENDING), application.applicationId);
      expect(Object.values(now?.requests ?? {}).every((r) => r?.sentAt !== undefined)).toBe(true);
    }
    // Each late application went to review once: one transition, by the sweep.
    for (const application of late) {
      const now = await getApplication(centreRepository(LENDING), application.applicationId);
      expect(now?.status).toBe('review');
      expect(now?.timeline.filter((t) => t.status === 'review')).toEqual([
        expect.objectContaining({ by: 'sweep' }),
      ]);
      expect(now?.reasons?.map((r) => r.code)).toEqual(['FACTS_NOT_RECEIVED']);
    }

    // The lost requests are recovered: 宿州's worker starts, answers what waits in its inbox, and
    // each application is decided once on its answers.
    startDepositsWorker();
    for (const application of unsent) {
      const decided = await eventually(
        async () => {
          const now = await getApplication(centreRepository(LENDING), application.applicationId);
          return now && now.status !== 'awaiting_facts' ? now : undefined;
        },
        30_000,
        `a decision on ${application.applicationId}`,
      );
      expect(decided.status).toBe('approved');
      expect(decided.timeline.filter((t) => t.status === 'approved')).toHaveLength(1);
      // No answer came twice: a request sent twice would have left the second answer, dropped,
      // under REPLY# (宿迁's register answers its property request at once).
      const dropped = await centreRepository(LENDING).query(application.PK, {
        sortKeyCondition: 'begins_with(SK, :reply)',
        ExpressionAttributeValues: { ':reply': 'REPLY#' },
        ConsistentRead: true,
      });
      expect(dropped.items).toEqual([]);
    }
  }, 180_000);

  it('a chunk that fails midway goes back alone and succeeds on its retry (partial batch response)', async () => {
    const application = await unsentApplication();
    failOnce.add(application.PK);
    const cities: CityCode[] = [LENDING, '370400', '371700', '411400'];
    const run = (await asJob('loan-sweep', () => loanSweep({ cities }, context()))) as DispatchedRun;
    const reports = await finished<SweepChunkReport>('loan-sweep', run);
    expect(failOnce.has(application.PK)).toBe(false);

    // The failed chunk was delivered again; the other centres' chunks once each.
    const deliveries = (city: CityCode) =>
      received.filter(
        ({ jobId, body }) =>
          jobId === 'loan-sweep' &&
          (JSON.parse(body) as JobChunk).runId === run.runId &&
          (JSON.parse(body) as JobChunk).city === city &&
          (JSON.parse(body) as JobChunk).index === 0,
      ).length;
    expect(deliveries(LENDING)).toBe(2);
    for (const city of cities.slice(1)) expect(deliveries(city)).toBe(1);
    expect(batches.some((b) => b.city === 'loan-sweep' && b.failed > 0)).toBe(true);

    const swept = await getApplication(centreRepository(LENDING), application.applicationId);
    expect(Object.values(swept?.requests ?? {}).every((r) => r?.sentAt !== undefined)).toBe(true);
    expect((reports.get(LENDING) ?? []).length).toBeGreaterThanOrEqual(1);
    // 宿州 answers: the application recovered through the retried chunk is decided
    startDepositsWorker();
    await eventually(
      async () => {
        const now = await getApplication(centreRepository(LENDING), application.applicationId);
        return now?.status === 'approved' ? true : undefined;
      },
      30_000,
      'the decision after the retried chunk',
    );
  }, 120_000);
});

describe('a sweep chunk that never succeeds', () => {
  it("ends in the loan sweep's dead-letter queue after its three receives", async () => {
    // a hand-made chunk naming a centre outside the region: refused by the schema on every receive
    const poison = JSON.stringify({
      job: 'loan-sweep',
      runId: `poison-${randomBytes(4).toString('hex')}`,
      city: '999999',
      index: 0,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: jobQueues['loan-sweep']?.url, MessageBody: poison }));
    const dead = await eventually(
      async () =>
        (await messagesIn(jobQueues['loan-sweep']?.dlqUrl as string)).find((m) => m.body === poison),
      60_000,
      'the poison chunk in the DLQ',
    );
    expect(dead.body).toBe(poison);
    expect(received.filter((r) => r.body === poison)).toHaveLength(3);
  }, 90_000);
});

describe('the committed-time sweep, per centre', () => {
  it('publishes each centre its own count once, whatever the deliveries', async () => {
    // Open applications past their committed deadline, under an item code of this test's own (so
    // the other test files' applications do not change what is counted), in a queue no other test
    // file lists, and removed at the end.
    const itemCode = `TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
    const counts: Partial<Record<CityCode, number>> = { '320700': 2, '370800': 1 };
    const written: { PK: string; SK: string }[] = [];
    try {
      for (const [city, n] of Object.entries(counts) as [CityCode, number][]) {
        for (let i = 0; i < n; i++) {
          const id = `${itemCode}-${i}`;
          await centreRepository(city).put({
            PK: centreKey(city, 'APP', id),
            SK: 'APPLICATION',
            GSI1PK: workQueueKey(city, 'pending_confirmation'),
            GSI1SK: `2026-01-05T00:00:00.000Z#${id}`,
            applicationId: id,
            itemCode,
            city,
            status: 'pending_confirmation',
          });
          written.push({ PK: centreKey(city, 'APP', id), SK: 'APPLICATION' });
        }
      }
      const cities = Object.keys(counts) as CityCode[];
      const run = (await asJob('committed-time-sweep', () =>
        committedTimeSweep({ cities }, context()),
      )) as DispatchedRun;
      const reports = await finished<OverdueReport>('committed-time-sweep', run);
      // the first centre's chunk delivered again: recorded already, it publishes nothing more
      await sendRaw({ job: 'committed-time-sweep', runId: run.runId, city: '320700', index: 0 });
      await eventually(
        async () => ((await jobQueueDepth('committed-time-sweep')) === 0 ? true : undefined),
        30_000,
      );
      for (const city of cities) {
        const mine = published.filter(
          (p) => p.city === city && p.byItem.some((c) => c.itemCode === itemCode),
        );
        expect(mine).toHaveLength(1);
        expect(mine[0]?.byItem.find((c) => c.itemCode === itemCode)?.overdue).toBe(counts[city]);
        expect(mine[0]?.overdue).toBe(mine[0]?.byItem.reduce((sum, c) => sum + c.overdue, 0));
        expect(reports.get(city)).toEqual([mine[0]]);
      }
      const progress = await runProgress(centreRepository('320700'), 'committed-time-sweep', run.runId);
      expect(progress.chunks).toHaveLength(1);
    } finally {
      for (const key of written)
        await dynamoDocumentClient().send(new DeleteCommand({ TableName: tableName(), Key: key }));
    }
  }, 60_000);
});

async function jobQueueDepth(jobId: string): Promise<number> {
  const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: jobQueues[jobId]?.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
