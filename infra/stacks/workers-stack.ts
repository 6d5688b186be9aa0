/**
 * Background compute: one centre worker per city (the consumer of that centre's inbox) and the
 * scheduled jobs of the declaration.
 *
 * A centre's worker is confined by IAM (DESIGN.md §4 "Who may touch what"): item-level actions
 * only, never Scan, on partition keys under its own prefix `C#<city>#`, plus on the regional
 * records its decisions need only what they need (CENTRE_WORKER.capabilities). Transactions are
 * authorised per item with the same actions, so TransactWriteItems is covered by these statements.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { ENV } from '../../shared/config/runtime.js';
import { JOB_QUEUE_URLS_ENV } from '../../shared/jobs/work.js';
import { type Capabilities, usesBankAccountKey, usesInboxes } from '../../shared/services/capabilities.js';
import {
  CENTRE_WORKER,
  jobDeadLetterQueueName,
  jobQueueName,
  jobVisibilityTimeoutSeconds,
  ONE_OFF_JOBS,
  SCHEDULED_JOBS,
  type ScheduledJobDeclaration,
} from '../../shared/services/declaration.js';
import { grantCapabilities } from '../constructs/capability-policy.js';
import { HpfFunction } from '../constructs/hpf-function.js';
import { inboxQueueUrlsJson } from '../constructs/wiring.js';
import type { CentreQueues } from './stateful-stack.js';

export interface WorkersStackProps extends StackProps {
  prefix: string;
  table: ITable;
  tableKey: IKey;
  queues: Readonly<Record<CityCode, CentreQueues>>;
  idHmacSecret: ISecret;
  bankAccountKey: IKey;
  logRetention: RetentionDays;
  /** Defaults to SCHEDULED_JOBS; tests may pass another declaration. */
  scheduledJobs?: readonly ScheduledJobDeclaration[];
}

/** A job's work queue and its dead-letter queue (jobs that fan out). */
export interface JobQueues {
  work: Queue;
  deadLetter: Queue;
}

export class WorkersStack extends Stack {
  readonly workers: Readonly<Record<CityCode, HpfFunction>>;
  readonly jobs: ReadonlyMap<string, HpfFunction>;
  readonly jobQueues: ReadonlyMap<string, JobQueues>;

  constructor(scope: Construct, id: string, props: WorkersStackProps) {
    super(scope, id, props);
    const inboxUrls = inboxQueueUrlsJson(this, props.queues);

    const workers = {} as Record<CityCode, HpfFunction>;
    for (const city of CITY_CODES) {
      const worker = new HpfFunction(this, `Worker${city}`, {
        functionName: `${props.prefix}${CENTRE_WORKER.id}-${city}`,
        entry: CENTRE_WORKER.entry,
        description: `Centre worker of ${city}: answers its inbox`,
        timeoutSeconds: CENTRE_WORKER.timeoutSeconds,
        memoryMb: CENTRE_WORKER.memoryMb,
        environment: {
          [ENV.centreCity]: city,
          [ENV.tableName]: props.table.tableName,
          [ENV.inboxQueueUrls]: inboxUrls,
        },
        logRetention: props.logRetention,
        serviceName: `hpf-${CENTRE_WORKER.id}`,
      });

      // Its own records (`{city}` pinned to this city by LeadingKeys), the regional ones it needs, any inbox.
      grantCapabilities(worker.role, CENTRE_WORKER.capabilities, props, city);

      worker.fn.addEventSource(
        new SqsEventSource(props.queues[city].inbox, {
          batchSize: CENTRE_WORKER.batchSize,
          maxBatchingWindow: Duration.seconds(CENTRE_WORKER.maxBatchingWindowSeconds),
          maxConcurrency: CENTRE_WORKER.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      workers[city] = worker;
    }
    this.workers = workers;

    const jobEnvironment = (caps: Capabilities): Record<string, string> => ({
      [ENV.tableName]: props.table.tableName,
      ...(usesInboxes(caps) ? { [ENV.inboxQueueUrls]: inboxUrls } : {}),
      ...(caps.idHashSecret ? { [ENV.idHmacSecretId]: props.idHmacSecret.secretName } : {}),
      ...(usesBankAccountKey(caps) ? { [ENV.bankAccountKeyId]: props.bankAccountKey.keyArn } : {}),
    });
    const jobs = new Map<string, HpfFunction>();
    const jobQueues = new Map<string, JobQueues>();
    for (const job of props.scheduledJobs ?? SCHEDULED_JOBS) {
      // A job that fans out: the schedule invokes its function to dispatch onto its work queue, and
      // the queue invokes the same function with chunks (one bundle, one role).
      let queues: JobQueues | undefined;
      if (job.fanOut) {
        const deadLetter = new Queue(this, `JobDeadLetter-${job.id}`, {
          queueName: jobDeadLetterQueueName(props.prefix, job.id),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
          removalPolicy: RemovalPolicy.RETAIN,
        });
        const work = new Queue(this, `JobQueue-${job.id}`, {
          queueName: jobQueueName(props.prefix, job.id),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          visibilityTimeout: Duration.seconds(jobVisibilityTimeoutSeconds(job)),
          retentionPeriod: Duration.days(4),
          deadLetterQueue: { queue: deadLetter, maxReceiveCount: job.fanOut.maxReceiveCount },
        });
        queues = { work, deadLetter };
        jobQueues.set(job.id, queues);
      }
      const fn = new HpfFunction(this, `Job-${job.id}`, {
        functionName: `${props.prefix}${job.id}`,
        entry: job.entry,
        description: `Scheduled job ${job.id}`,
        timeoutSeconds: job.timeoutSeconds,
        memoryMb: 512,
        environment: {
          ...jobEnvironment(job.capabilities),
          ...(queues
            ? { [JOB_QUEUE_URLS_ENV]: Stack.of(this).toJsonString({ [job.id]: queues.work.queueUrl }) }
            : {}),
        },
        logRetention: props.logRetention,
        serviceName: `hpf-${job.id}`,
      });
      grantCapabilities(fn.role, job.capabilities, {
        ...props,
        ...(queues ? { workQueue: queues.work } : {}),
      });
      if (queues && job.fanOut) {
        // the event source receives and deletes (CDK grants what it needs)
        fn.fn.addEventSource(
          new SqsEventSource(queues.work, {
            batchSize: job.fanOut.batchSize,
            maxBatchingWindow: Duration.seconds(0),
            maxConcurrency: job.fanOut.maxConcurrency,
            reportBatchItemFailures: true,
          }),
        );
      }
      new Rule(this, `Schedule-${job.id}`, {
        description: `Runs ${job.id} (cron in UTC; Beijing time is UTC+8)`,
        schedule: Schedule.cron(job.scheduleUtc),
        // Explicit retries of the scheduled invocation (a dispatch sent twice costs a second run
        // that posts nothing: every chunk is idempotent).
        targets: [new LambdaFunction(fn.fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
      });
      jobs.set(job.id, fn);
    }
    this.jobQueues = jobQueues;

    for (const job of ONE_OFF_JOBS) {
      const fn = new HpfFunction(this, `OneOff-${job.id}`, {
        functionName: `${props.prefix}${job.id}`,
        entry: job.entry,
        description: `One-off job ${job.id}, invoked by hand`,
        timeoutSeconds: job.timeoutSeconds,
        memoryMb: 512,
        environment: jobEnvironment(job.capabilities),
        logRetention: props.logRetention,
        serviceName: `hpf-${job.id}`,
      });
      grantCapabilities(fn.role, job.capabilities, props);
      jobs.set(job.id, fn);
    }
    this.jobs = jobs;
  }
}
