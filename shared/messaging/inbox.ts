/** Sending an envelope to a centre's inbox queue (the queue URLs come from the environment). */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { guardClient } from '../capabilities/seam.js';
import { inboxQueueUrl } from '../config/runtime.js';
import type { Envelope } from './envelope.js';

let sqs: SQSClient | undefined;

export function sqsClient(): SQSClient {
  if (!sqs) {
    sqs = new SQSClient({});
    guardClient(sqs, 'sqs');
  }
  return sqs;
}

export async function sendToInbox(message: Envelope): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: inboxQueueUrl(message.to),
      MessageBody: JSON.stringify(message),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: message.type },
        correlationId: { DataType: 'String', StringValue: message.correlationId },
      },
    }),
  );
}
