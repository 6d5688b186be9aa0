/**
 * A citizen's own records across the ten centres (the citizen is their data subject). API
 * functions read them for the authenticated person only, by the person key derived from the
 * token's verified ID number.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import { type PersonalAccountRecord, personIndexKey } from '../deposits/store.js';
import type { LoanRecord } from '../loans/store.js';
import { logger } from '../observability/logger.js';
import { dynamoDocumentClient } from './client.js';
import { GSI1, regionalKey } from './table.js';

/** Every personal account the person holds or held in any centre: one Query on GSI1. */
export async function accountsOfPerson(personKey: string): Promise<PersonalAccountRecord[]> {
  return recordsOfPerson<PersonalAccountRecord>(personKey, 'ACCOUNT#');
}

/** Every HPF loan the person holds or held in any centre. */
export async function loansOfPerson(personKey: string): Promise<LoanRecord[]> {
  return recordsOfPerson<LoanRecord>(personKey, 'LOAN#');
}

async function recordsOfPerson<T>(personKey: string, kind: 'ACCOUNT#' | 'LOAN#'): Promise<T[]> {
  const records: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  let capacityUnits = 0;
  do {
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :person AND begins_with(#sk, :kind)',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':person': personIndexKey(personKey), ':kind': kind },
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    records.push(...((page.Items ?? []) as T[]));
    capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  logger.info('records of person read', {
    kind,
    count: records.length,
    consumedReadCapacityUnits: capacityUnits,
  });
  return records;
}

/** The centres where the person holds or held an account, from the regional index (strongly consistent). */
export async function centresOfPerson(personKey: string): Promise<CityCode[]> {
  return [...new Set((await accountIndexOfPerson(personKey)).map((entry) => entry.city))];
}

/** Every account the regional index lists for the person: its centre and number (strongly consistent). */
export async function accountIndexOfPerson(
  personKey: string,
): Promise<{ city: CityCode; personalAccountNo: string }[]> {
  const entries: { city: CityCode; personalAccountNo: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :person AND begins_with(SK, :account)',
        ExpressionAttributeValues: { ':person': regionalKey('PERSON', personKey), ':account': 'ACCOUNT#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      entries.push({ city: item.city as CityCode, personalAccountNo: String(item.personalAccountNo) });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries;
}
