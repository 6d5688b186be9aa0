/** Open applications past their committed deadline, counted per centre and item (for the metric). */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config/runtime.js';
import type { CityCode } from '../domain/cities.js';
import { OPEN_STATUSES, workQueueKey } from '../persistence/applications.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { GSI1 } from '../persistence/table.js';

export interface OverdueCount {
  city: CityCode;
  itemCode: string;
  overdue: number;
}

/** The work queues sort by deadline (GSI1SK starts with it): only the overdue part is read. */
export async function countOverdue(cities: readonly CityCode[], now: Date): Promise<OverdueCount[]> {
  const counts = new Map<string, OverdueCount>();
  for (const city of cities) {
    for (const status of OPEN_STATUSES) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamoDocumentClient().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: GSI1.indexName,
            KeyConditionExpression: '#pk = :queue AND #sk < :now',
            ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey, '#item': 'itemCode' },
            ExpressionAttributeValues: { ':queue': workQueueKey(city, status), ':now': now.toISOString() },
            ProjectionExpression: '#item',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = `${city}#${item.itemCode}`;
          const entry = counts.get(key) ?? { city, itemCode: String(item.itemCode), overdue: 0 };
          entry.overdue += 1;
          counts.set(key, entry);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  }
  return [...counts.values()];
}
