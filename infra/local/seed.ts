/**
 * Demo data of the local region. Idempotent: running it again on a persisted table changes
 * nothing a user made, it only (re)writes the demo records with the same keys.
 *
 * For now only the platform self-check record; demo depositors, employers, loans and rule
 * versions for the ten cities come with the service items.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { regionalKey, TABLE_KEYS } from '../../shared/persistence/table.js';

export interface SeedOptions {
  tableName: string;
  /** The moment the demo data describes (fixed in tests). */
  now: Date;
  /** Default: a client from the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, …). */
  client?: DynamoDBClient;
}

export interface SeedSummary {
  records: number;
}

export async function seedDemoData(options: SeedOptions): Promise<SeedSummary> {
  const client = options.client ?? new DynamoDBClient({});
  try {
    await client.send(
      new PutItemCommand({
        TableName: options.tableName,
        Item: {
          [TABLE_KEYS.partitionKey]: { S: regionalKey('HEALTH') },
          [TABLE_KEYS.sortKey]: { S: 'HEALTH' },
          kind: { S: 'HEALTH' },
          seededAt: { S: options.now.toISOString() },
        },
      }),
    );
    return { records: 1 };
  } finally {
    if (!options.client) client.destroy();
  }
}
