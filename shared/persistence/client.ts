/**
 * The DynamoDB clients, one connection pool per process (created on first use, so tests can set
 * the environment first): the plain client, for libraries that take one (Powertools idempotency),
 * and the document client over it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guardClient } from '../capabilities/seam.js';

let client: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  if (!client) {
    client = new DynamoDBClient({});
    // the document client shares this middleware stack
    guardClient(client, 'dynamodb');
  }
  return client;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
