/**
 * Redriving a centre's dead-letter queue back to its inbox, or a job's back to its work queue, once
 * the cause is fixed (README, ops).
 * In AWS, SQS moves the messages itself (StartMessageMoveTask, back to the queue they came from);
 * the SQS emulator of the local region has no move task, so there the messages are moved one by
 * one: sent to the inbox, then deleted from the dead-letter queue (a crash between the two sends a
 * message twice, which the idempotent workers absorb; it never loses one).
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { CityCode } from '../../shared/config/cities.js';
import {
  deadLetterQueueName,
  inboxQueueName,
  jobDeadLetterQueueName,
  jobQueueName,
} from '../../shared/services/declaration.js';
import { localQueueUrl } from '../local/resources.js';

/** A centre's inbox, or the work queue of a job that fans out (its chunks: each one idempotent). */
export type RedriveTarget = { city: CityCode } | { job: string };

function queueNames(prefix: string, target: RedriveTarget): { deadLetter: string; source: string } {
  return 'city' in target
    ? { deadLetter: deadLetterQueueName(prefix, target.city), source: inboxQueueName(prefix, target.city) }
    : { deadLetter: jobDeadLetterQueueName(prefix, target.job), source: jobQueueName(prefix, target.job) };
}

export interface MoveReport {
  moved: number;
}

/** Moves up to `max` messages from a dead-letter queue to an inbox, body and attributes unchanged. */
export async function moveDeadLetters(
  sqs: SQSClient,
  queues: { deadLetterUrl: string; inboxUrl: string },
  max = 10_000,
): Promise<MoveReport> {
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetterUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        MessageAttributeNames: ['All'],
        // long enough to send and delete each message before another receiver could see it
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.inboxUrl,
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        }),
      );
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queues.deadLetterUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      moved += 1;
    }
  }
  return { moved };
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`no queue named ${name}`);
  return QueueUrl;
}

/** The local region: move the messages. */
export async function redriveLocally(
  sqs: SQSClient,
  prefix: string,
  target: RedriveTarget,
): Promise<MoveReport> {
  const names = queueNames(prefix, target);
  // the emulator answers with sqs.<region>.localhost URLs, which do not resolve everywhere
  return moveDeadLetters(sqs, {
    deadLetterUrl: localQueueUrl(await queueUrl(sqs, names.deadLetter)),
    inboxUrl: localQueueUrl(await queueUrl(sqs, names.source)),
  });
}

/** AWS: start SQS's own move task from the dead-letter queue back to the inbox; returns its handle. */
export async function startRedriveInAws(
  sqs: SQSClient,
  prefix: string,
  target: RedriveTarget,
): Promise<string> {
  const { deadLetter } = queueNames(prefix, target);
  const url = await queueUrl(sqs, deadLetter);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`no ARN for ${deadLetter}`);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: Attributes.QueueArn }));
  return TaskHandle ?? '';
}
