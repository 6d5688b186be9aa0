/**
 * A citizen's own records across the ten centres (the citizen is their data subject). API
 * functions read them for the authenticated person only, by the person key derived from the
 * token's verified ID number.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config/runtime.js';
import { logger } from '../observability/logger.js';
import { dynamoDocumentClient } from './client.js';
import { type PersonalAccountRecord, personIndexKey } from './deposit-store.js';
import { GSI1 } from './table.js';

/** Every personal account the person holds or held in any centre: one Query on GSI1. */
export async function accountsOfPerson(personKey: string): Promise<PersonalAccountRecord[]> {
  const accounts: PersonalAccountRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  let capacityUnits = 0;
  do {
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :person AND begins_with(#sk, :account)',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':person': personIndexKey(personKey), ':account': 'ACCOUNT#' },
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    accounts.push(...((page.Items ?? []) as PersonalAccountRecord[]));
    capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  logger.info('accounts of person read', {
    accountCount: accounts.length,
    consumedReadCapacityUnits: capacityUnits,
  });
  return accounts;
}
