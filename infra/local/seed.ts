/**
 * Demo data of the local region. Idempotent: running it again on a persisted table changes
 * nothing a user made, it only (re)writes the demo records with the same keys.
 *
 * The platform self-check record, then the demo employers and depositors of the ten centres
 * (demo-deposits.ts) and property register records naming some of them (demo-properties.ts). Handlers' store functions read the table from the environment, which
 * the caller has pointed at the local region.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { regionalKey, TABLE_KEYS } from '../../shared/persistence/table.js';
import { type DemoDepositsSummary, seedDemoDeposits } from './demo-deposits.js';
import { seedDemoLoanStatistics } from './demo-loans.js';
import { seedDemoProperties } from './demo-properties.js';

export interface SeedOptions {
  tableName: string;
  /** The moment the demo data describes (fixed in tests). */
  now: Date;
  /** Default: a client from the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, …). */
  client?: DynamoDBClient;
}

export interface SeedSummary {
  records: number;
  deposits: DemoDepositsSummary;
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
    const deposits = await seedDemoDeposits(options.now);
    const properties = await seedDemoProperties(deposits.people, options.now);
    return { records: 1 + (await seedDemoLoanStatistics()) + properties, deposits };
  } finally {
    if (!options.client) client.destroy();
  }
}
