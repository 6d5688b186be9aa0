/**
 * The stateful resources: the one DynamoDB table, its customer-managed key, and per centre an inbox
 * queue with its dead-letter queue. Everything here is retained when the stack is deleted.
 *
 * Table encryption: a customer-managed KMS key (rotated yearly). The table is the system of record
 * of depositors' money and personal facts; with our own key the key policy (not only IAM) decides
 * who can read it, every use of the key is in CloudTrail, and disabling the key makes the data
 * unreadable at once. An AWS-managed key offers none of these controls.
 *
 * Queue encryption: SQS-managed SSE. Messages between centres are short-lived (at most 4 days in an
 * inbox, 14 in a dead-letter queue), carry only what a decision needs (hashed person keys, no clear
 * ID numbers), and are confined by IAM and a TLS-only queue policy; a KMS key would add a KMS call
 * per message batch and a key grant to every sender for little gain.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { GSI1, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/persistence/table.js';
import {
  CENTRE_WORKER,
  deadLetterQueueName,
  INBOX_MAX_RECEIVE_COUNT,
  inboxQueueName,
} from '../../shared/services/declaration.js';

export interface StatefulStackProps extends StackProps {
  prefix: string;
  idHmacSecretName: string;
}

export interface CentreQueues {
  inbox: Queue;
  deadLetter: Queue;
}

/**
 * Inbox visibility timeout: at least six times the worker timeout (AWS's guidance for Lambda SQS
 * event sources, so retries of a slow batch are not redelivered while still running), plus the
 * batching window.
 */
export const INBOX_VISIBILITY_TIMEOUT_SECONDS =
  6 * CENTRE_WORKER.timeoutSeconds + CENTRE_WORKER.maxBatchingWindowSeconds;

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly tableKey: Key;
  readonly bankAccountKey: Key;
  readonly queues: Readonly<Record<CityCode, CentreQueues>>;
  /** The regional ID-hashing secret: created and rotated outside this app, referenced by name. */
  readonly idHmacSecret: ISecret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.tableKey = new Key(this, 'TableKey', {
      description: 'Huaihai HPF Hub: encryption of the main DynamoDB table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tableKey.addAlias(`alias/${props.prefix}table`);

    // Bank account numbers' own key (envelope encryption, shared/identity/bank-account.ts): a grant
    // on the table key never opens them, and each grant on this one is bound to an encryption context.
    this.bankAccountKey = new Key(this, 'BankAccountKey', {
      description: 'Huaihai HPF Hub: envelope encryption of bank account numbers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bankAccountKey.addAlias(`alias/${props.prefix}bank-account`);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1.indexName,
      partitionKey: { name: GSI1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: GSI1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const queues = {} as Record<CityCode, CentreQueues>;
    for (const city of CITY_CODES) {
      const deadLetter = new Queue(this, `DeadLetter${city}`, {
        queueName: deadLetterQueueName(props.prefix, city),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const inbox = new Queue(this, `Inbox${city}`, {
        queueName: inboxQueueName(props.prefix, city),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(INBOX_VISIBILITY_TIMEOUT_SECONDS),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetter, maxReceiveCount: INBOX_MAX_RECEIVE_COUNT },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      queues[city] = { inbox, deadLetter };
    }
    this.queues = queues;

    this.idHmacSecret = Secret.fromSecretNameV2(this, 'IdHmacSecret', props.idHmacSecretName);
  }
}
