/**
 * Jobs that fan out (issue 17), through the real pieces: the job's own function dispatches onto a
 * work queue of this file's (SQS emulator), the local job pollers (Lambda's SQS semantics) feed the
 * chunks to the same function, and DynamoDB Local holds the money. Two centres, chunks of 3, a
 * chunk that crashes midway once, a chunk delivered twice, a chunk that always fails (its DLQ).
 */
import { randomBytes } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { createPostRepaymentsJob } from '../../functions/post-repayments/handler.js';
import { createSettleInterestJob } from '../../functions/settle-interest/handler.js';
import { startJobPollers } from '../../infra/local/job-pollers.js';
import { localLambdaContext } from '../../infra/local/lambda-context.js';
import type { Pollers, SqsWorker } from '../../infra/local/pollers.js';
import { createJobQueues, type InboxQueue, jobQueueUrlsJson } from '../../infra/local/resources.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import {
  interestReference,
  type SettlementReport,
  settlementMarkKey,
} from '../../shared/deposits/interest.js';
import type { SettlementMark } from '../../shared/deposits/settlement-mark.js';
import {
  type DispatchedRun,
  JOB_QUEUE_URLS_ENV,
  type JobChunk,
  runProgress,
  waitForRun as waitForJobRun,
} from '../../shared/jobs/work.js';
import { personalAccountPartition } from '../../shared/ledger/ledger.js';
import { getLoan } from '../../shared/loans/disburse.js';
import type { RepaymentReport } from '../../shared/loans/repayments.js';
import { loanKey } from '../../shared/loans/store.js';
import { CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { interestToDateFromLedger } from '../../shared/withdrawals/rules.js';
import { makeDepositor } from '../support/depositors.js';
import { asJob } from '../support/jobs.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';
import { RUNNING_LOAN_PRINCIPAL_FEN, runningLoan } from '../support/loans.js';
import { eventually } from '../support/region.js';

const INTEREST_CENTRES: readonly CityCode[] = ['320300', '371300'];
const LOAN_CENTRES: readonly CityCode[] = ['370400', '371700'];
const SETTLEMENT_DATE = '2026-06-30';
const CHUNK = 3;
const VISIBILITY_SECONDS = 2;
const MAX_RECEIVES = 3;

const sqs = new SQSClient({});
let queues: Record<string, InboxQueue>;
let pollers: Pollers;
/** Partitions (accounts or loans) whose next write crashes once: a fault in the middle of a chunk. */
const crashOnce = new Set<string>();
const crashed: string[] = [];

function faultyRepository(city: CityCode): CentreRepository {
  const repository = new CentreRepository(city, dynamoDocumentClient(), tableName());
  const write = repository.transactWrite.bind(repository);
  repository.transactWrite = async (items) => {
    const partition = items.map((i) => i.Update?.Key?.PK).find((pk) => pk && crashOnce.has(String(pk)));
    if (partition) {
      crashOnce.delete(String(partition));
      crashed.push(String(partition));
      throw new Error('injected crash in the middle of a chunk');
    }
    return write(items);
  };
  return repository;
}

const settleInterest = createSettleInterestJob({ chunkSize: CHUNK, repositoryOf: faultyRepository });
const postRepayments = createPostRepaymentsJob({ chunkSize: CHUNK, repositoryOf: faultyRepository });

const context = (): Context =>
  localLambdaContext({
    functionName: 'test-job',
    region: 'us-east-1',
    memoryMb: 512,
    deadline: Date.now() + 60_000,
  });

async function waitForRun<R>(jobId: string, run: DispatchedRun): Promise<Map<CityCode, R[]>> {
  const { finished, reports } = await waitForJobRun<R>(jobId, run, {
    timeoutMs: 120_000,
    repositoryOf: centreRepository,
    pollMs: 100,
  });
  if (!finished) throw new Error(`timed out waiting for the chunks of ${jobId} run ${run.runId}`);
  return reports;
}

async function sendRaw(jobId: string, chunk: JobChunk): Promise<void> {
  await sqs.send(
    new SendMessageCommand({ QueueUrl: queues[jobId]?.url, MessageBody: JSON.stringify(chunk) }),
  );
}

beforeAll(async () => {
  const prefix = `${process.env.HPF_TEST_QUEUE_PREFIX ?? 'hpf-test-'}${randomBytes(3).toString('hex')}-`;
  queues = await createJobQueues(sqs, prefix, {
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
    maxReceiveCount: MAX_RECEIVES,
  });
  process.env[JOB_QUEUE_URLS_ENV] = jobQueueUrlsJson(queues);
  const functions: Record<string, SqsWorker> = {
    'settle-interest': settleInterest as SqsWorker,
    'post-repayments': postRepayments as SqsWorker,
  };
  pollers = await startJobPollers({
    sqsClient: sqs,
    queues,
    workers: 3,
    functionOf: (jobId) => functions[jobId],
    onPollError: () => undefined,
  });
});

afterAll(async () => {
  await pollers?.stop();
  sqs.destroy();
});

describe('yearly interest settlement, fanned out', () => {
  it('settles every account of two centres once, in chunks, through a crash and a duplicate delivery', async () => {
    const depositors: { city: CityCode; no: string }[] = [];
    for (const city of INTEREST_CENTRES) {
      for (let i = 0; i < (city === INTEREST_CENTRES[0] ? 7 : 4); i++) {
        depositors.push({ city, no: (await makeDepositor([city], 10)).accounts[city] as string });
      }
    }
    // What the whole-ledger computation owes each account for the year, before the job runs.
    const owed = new Map<string, number>();
    for (const { city, no } of depositors) {
      const due = interestToDateFromLedger(await ledgerEntries(city, no), '2026-07-01');
      const year = due.unsettledYears.find((y) => y.to === SETTLEMENT_DATE);
      owed.set(no, year?.interestFen ?? 0);
      expect(year?.interestFen ?? 0).toBeGreaterThan(0);
    }
    // The fifth account of the first centre crashes on its first write: its chunk fails after the
    // accounts before it in the chunk were settled, SQS delivers it again, and it finishes.
    const victim = depositors[4] as { city: CityCode; no: string };
    crashOnce.add(personalAccountPartition(victim.city, victim.no));

    // dispatched as the declared job: the guard checks its sends to the work queue
    const run = (await asJob('settle-interest', () =>
      settleInterest({ settlementDate: SETTLEMENT_DATE, cities: INTEREST_CENTRES }, context()),
    )) as DispatchedRun;
    expect(run.centres.map((c) => c.city)).toEqual([...INTEREST_CENTRES]);
    for (const centre of run.centres) expect(centre.chunks).toBeGreaterThanOrEqual(2);
    const reports = await waitForRun<SettlementReport>('settle-interest', run);
    expect(crashed).toEqual([personalAccountPartition(victim.city, victim.no)]);

    for (const centre of run.centres) {
      const chunks = reports.get(centre.city) ?? [];
      expect(chunks).toHaveLength(centre.chunks);
      expect(chunks.every((r) => r.accountsSeen <= CHUNK)).toBe(true);
    }
    const assertSettledOnce = async () => {
      for (const { city, no } of depositors) {
        const { account, entries } = await assertBalanceEqualsLedger(city, no);
        const interest = entries.filter((e) => e.reference === interestReference(SETTLEMENT_DATE));
        expect(interest).toHaveLength(1);
        expect(interest[0]?.amountFen).toBe(owed.get(no));
        // The mark the next year starts from: this settlement's version, and every entry up to it
        // either in the opening balance (valued by 30 June) or carried (remittances valued since).
        const mark = (await centreRepository(city).get(settlementMarkKey(account.PK), {
          consistent: true,
        })) as unknown as SettlementMark;
        expect(mark).toMatchObject({ settlementDate: SETTLEMENT_DATE, throughVersion: interest[0]?.version });
        expect(mark.carried.every((e) => e.valueDate > SETTLEMENT_DATE)).toBe(true);
        expect(mark.openingFen + mark.carried.reduce((sum, e) => sum + e.amountFen, 0)).toBe(
          account.balanceFen,
        );
        expect(mark.openingFen).toBe(
          entries.filter((e) => e.valueDate <= SETTLEMENT_DATE).reduce((sum, e) => sum + e.amountFen, 0),
        );
      }
    };
    await assertSettledOnce();

    // The first chunk of the first centre delivered again: it settles nothing twice, and its
    // record keeps the first delivery's report.
    const before = await runProgress<SettlementReport>(
      centreRepository(victim.city),
      'settle-interest',
      run.runId,
    );
    await sendRaw('settle-interest', {
      job: 'settle-interest',
      runId: run.runId,
      city: victim.city,
      settlementDate: SETTLEMENT_DATE,
      index: 0,
      first: 1,
      count: CHUNK,
      last: false,
    });
    await eventually(async () => ((await queueDepth('settle-interest')) === 0 ? true : undefined), 20_000);
    await assertSettledOnce();
    const after = await runProgress<SettlementReport>(
      centreRepository(victim.city),
      'settle-interest',
      run.runId,
    );
    expect(after.chunks).toEqual(before.chunks);

    // Run again: every account is already settled, nothing posted.
    const again = (await asJob('settle-interest', () =>
      settleInterest({ settlementDate: SETTLEMENT_DATE, cities: INTEREST_CENTRES }, context()),
    )) as DispatchedRun;
    const second = await waitForRun<SettlementReport>('settle-interest', again);
    for (const chunks of second.values()) expect(chunks.reduce((s, r) => s + r.posted, 0)).toBe(0);
    await assertSettledOnce();
  }, 240_000);

  it('refuses to dispatch a year that has not ended, and dead-letters a chunk that always fails', async () => {
    await expect(settleInterest({ settlementDate: '2027-06-30' }, context())).rejects.toThrow(
      /has not ended/,
    );
    await expect(settleInterest({ settlementDate: '2026-06-29' }, context())).rejects.toThrow(RangeError);
    // A chunk for a year not ended (as an operator's hand-made message might be) fails every time.
    const poison: JobChunk = {
      job: 'settle-interest',
      runId: `poison-${randomBytes(4).toString('hex')}`,
      city: '320300',
      settlementDate: '2027-06-30',
      index: 0,
      first: 1,
      count: 1,
      last: true,
    };
    await sendRaw('settle-interest', poison);
    const dead = await eventually(
      async () => {
        const output = await sqs.send(
          new (await import('@aws-sdk/client-sqs')).ReceiveMessageCommand({
            QueueUrl: queues['settle-interest']?.dlqUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        );
        return output.Messages?.find((m) => m.Body === JSON.stringify(poison));
      },
      60_000,
      'the poison chunk in the DLQ',
    );
    expect(dead.Body).toBe(JSON.stringify(poison));
    // it was tried maxReceiveCount times, and recorded nothing
    const progress = await runProgress(centreRepository('320300'), 'settle-interest', poison.runId);
    expect(progress.chunks).toEqual([]);
  }, 120_000);
});

async function queueDepth(jobId: string): Promise<number> {
  const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queues[jobId]?.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('monthly repayments, fanned out', () => {
  it('posts each running loan of two centres once, page after chained page, through a crash and a duplicate', async () => {
    const month = '2026-02';
    const loans: { city: CityCode; loanId: string }[] = [];
    for (const city of LOAN_CENTRES) {
      for (let i = 0; i < (city === LOAN_CENTRES[0] ? 8 : 4); i++) {
        loans.push({ city, loanId: await runningLoan(city, month) });
      }
    }
    const victim = loans[5] as { city: CityCode; loanId: string };
    crashOnce.add(loanKey(victim.city, victim.loanId).PK);

    const run = (await asJob('post-repayments', () =>
      postRepayments({ month, cities: LOAN_CENTRES }, context()),
    )) as DispatchedRun;
    const reports = await waitForRun<RepaymentReport>('post-repayments', run);
    expect(crashed).toContain(loanKey(victim.city, victim.loanId).PK);
    // the pages were chained: at least ceil(8 / 3) in the first centre
    expect((reports.get(LOAN_CENTRES[0] as CityCode) ?? []).length).toBeGreaterThanOrEqual(3);

    const assertPaidOnce = async () => {
      for (const { city, loanId } of loans) {
        const loan = await getLoan(centreRepository(city), loanId);
        expect(loan).toMatchObject({ paidInstalments: 1, lastPaidMonth: month });
        expect(loan?.outstandingPrincipalFen).toBe(
          RUNNING_LOAN_PRINCIPAL_FEN - (loan?.schedule[0]?.principalFen ?? 0),
        );
        const repayment = await centreRepository(city).get(
          { PK: loanKey(city, loanId).PK, SK: `REPAYMENT#${month}` },
          { consistent: true },
        );
        expect(repayment).toBeDefined();
      }
    };
    await assertPaidOnce();

    // The first page of the first centre again (a duplicate delivery): its successor is sent
    // again too; nothing is posted twice.
    await sendRaw('post-repayments', {
      job: 'post-repayments',
      runId: run.runId,
      city: LOAN_CENTRES[0] as CityCode,
      month,
      index: 0,
    });
    await eventually(async () => ((await queueDepth('post-repayments')) === 0 ? true : undefined), 30_000);
    await assertPaidOnce();
  }, 240_000);
});
