/**
 * A centre's inbox consumer (one function per centre in AWS, one poller per centre locally).
 * Each message is schema-checked, must be addressed to this centre, and is handled once per
 * request id (Powertools idempotency, records under this centre's own key prefix; a request's
 * reply is its kept result, re-sent whenever the request comes again). A record that fails is reported alone (partial batch response); after 5 receives it is in the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { CityCode } from '../../shared/config/cities.js';
import { centreCity } from '../../shared/config/runtime.js';
import { type Envelope, parseEnvelope } from '../../shared/messaging/envelope.js';
import { logger } from '../../shared/observability/logger.js';
import { workerRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoClient } from '../../shared/persistence/client.js';
import { centreKey, TTL_ATTRIBUTE } from '../../shared/persistence/table.js';
import { handleMessage, sendReply } from './messages.js';

/** How long a handled request id is remembered: far longer than any redelivery or re-send. */
const IDEMPOTENCY_WINDOW_SECONDS = 14 * 24 * 3600;

export class MisroutedMessageError extends Error {
  override name = 'MisroutedMessageError';
}

export type CentreWorker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function createCentreWorker(city: CityCode): CentreWorker {
  const repository = workerRepository(city);
  const processor = new BatchProcessor(EventType.SQS);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'requestId',
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  });
  const handleOnce = makeIdempotent((message: Envelope) => handleMessage(message, { city, repository }), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: repository.tableName,
      keyAttr: 'PK',
      sortKeyAttr: 'SK',
      staticPkValue: centreKey(city, 'IDEMP'),
      expiryAttr: TTL_ATTRIBUTE,
      // the process's one client, not a second connection pool
      awsSdkV3Client: dynamoClient(),
    }),
    config,
  });

  const handleRecord = async (record: SQSRecord) => {
    const message = parseEnvelope(record.body);
    if (message.to !== city) {
      throw new MisroutedMessageError(
        `message ${message.requestId} for ${message.to} reached centre ${city}`,
      );
    }
    logger.info('message received', {
      centre: city,
      type: message.type,
      requestId: message.requestId,
      correlationId: message.correlationId,
      from: message.from,
      receiveCount: record.attributes.ApproximateReceiveCount,
    });
    // A request handled before answers from its kept result: its reply is sent again, not recomputed.
    return sendReply(await handleOnce(message));
  };

  return async (event, context) => {
    logger.addContext(context);
    config.registerLambdaContext(context);
    const response = await processPartialResponse(event, handleRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
    for (const failure of response.batchItemFailures) {
      logger.warn('message failed; it will be retried, then dead-lettered', {
        centre: city,
        messageId: failure.itemIdentifier,
      });
    }
    return response;
  };
}

let worker: CentreWorker | undefined;

/** The Lambda entry point: the centre comes from CENTRE_CITY, set per function by CDK. */
export const handler: CentreWorker = async (event, context) => {
  worker ??= createCentreWorker(centreCity());
  return worker(event, context);
};
