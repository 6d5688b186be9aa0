/**
 * 我的办件: a person's own applications across the ten centres. An application lives in the centre
 * that handles it; beside it, in the same centre, an index item carries GSI1 = (`PERSON#<personKey>`,
 * `APP#<list>#<acceptedAt>#<id>`), the person index that already lists their accounts and loans, so
 * one Query finds them newest first in every centre. The list then reads the applications
 * themselves (strongly consistent), so a status is never stale.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import { personIndexKey } from '../deposits/store.js';
import { sortKeyPage } from '../http/cursor.js';
import { centreRepository, type ItemKey, type TableItem } from '../persistence/centre-repository.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { GSI1 } from '../persistence/table.js';
import {
  type ApplicationBase,
  type PersonList,
  type personApplicationItem,
  personListPrefix,
  timeLeft,
} from './records.js';

type IndexItem = ReturnType<typeof personApplicationItem>;

export type { PersonList };

/** A page of the person's applications in one list, newest first, and the cursor of the next. */
export async function applicationsOfPerson<A extends ApplicationBase>(
  personKey: string,
  list: PersonList,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ applications: A[]; nextCursor: string | null }> {
  const { items, nextCursor } = await sortKeyPage<IndexItem>({
    prefix: personListPrefix(list),
    limit: page.limit,
    cursor: page.cursor,
    descending: true,
    sortKeyOf: (item) => item.GSI1SK,
    query: async (condition, values, limit) => {
      const result = await dynamoDocumentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: GSI1.indexName,
          KeyConditionExpression: `#pk = :person AND ${condition}`,
          ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
          ExpressionAttributeValues: { ':person': personIndexKey(personKey), ...values },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (result.Items ?? []) as IndexItem[];
    },
  });
  const keysByCity = new Map<CityCode, ItemKey[]>();
  for (const item of items) {
    keysByCity.set(item.city, [...(keysByCity.get(item.city) ?? []), item.applicationKey]);
  }
  const found = new Map<string, A>();
  for (const [city, keys] of keysByCity) {
    for (const application of await centreRepository(city).batchGet<A & TableItem>(keys)) {
      // The index is the person's own; the application's own key says so again.
      if (application.personKey === personKey) found.set(application.applicationId, application);
    }
  }
  return {
    applications: items.flatMap((item) => found.get(item.applicationId) ?? []),
    nextCursor,
  };
}

/** An application as its applicant's list shows it: masked, no keys, no messages, no staff names. */
export function listedApplication(application: ApplicationBase, now: Date) {
  return {
    applicationId: application.applicationId,
    itemCode: application.itemCode,
    city: application.city,
    channel: application.channel,
    idNumberMasked: application.idNumberMasked,
    status: application.status,
    acceptedAt: application.acceptedAt,
    committedDeadline: application.committedDeadline,
    committedDeadlineCalendar: application.committedDeadlineCalendar,
    reasons: application.reasons ?? [],
    timeLeft: timeLeft(application, now),
  };
}
