/**
 * The table as a centre's worker may see it. IAM confines a worker in AWS (dynamodb:LeadingKeys
 * on `C#<city>#*`, item-level actions, regional `R#*` records for get and conditional writes
 * only); the emulators enforce no IAM, so this repository refuses the same keys itself and a
 * local test proves the confinement. Both rules come from CENTRE_WORKER.capabilities (the declaration).
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import { allowingCapability, type TableAction } from '../services/capabilities.js';
import { CENTRE_WORKER } from '../services/declaration.js';
import { dynamoDocumentClient } from './client.js';
import { centrePrefix, REGIONAL_PREFIX, type RecordOperation, TABLE_KEYS } from './table.js';

export type TableItem = Record<string, unknown> & { PK: string; SK: string };

type WriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A transaction item without its table name: the repository adds its own. */
export type TransactItem = {
  [K in keyof WriteItem]?: Omit<NonNullable<WriteItem[K]>, 'TableName'>;
};
export type ItemKey = { PK: string; SK: string };

type Operation = RecordOperation;

/** Which regional records (`R#…`) a repository may touch: a worker's list, or any (API functions, jobs). */
export type RegionalAccess = 'worker' | 'any';

export class ForeignKeyError extends Error {
  override name = 'ForeignKeyError';
  constructor(city: CityCode, operation: Operation) {
    // The key itself is not in the message: it may contain a person key.
    super(`centre ${city} may not ${operation} a record outside its own prefix`);
  }
}

/** The IAM action of each repository operation (a worker's regional grants are GetItem, never BatchGetItem). */
const OPERATION_ACTIONS: Record<Operation, TableAction> = {
  get: 'GetItem',
  put: 'PutItem',
  update: 'UpdateItem',
  conditionCheck: 'ConditionCheckItem',
  query: 'Query',
  delete: 'DeleteItem',
};

export class CentreRepository {
  readonly prefix: string;

  constructor(
    readonly city: CityCode,
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly regional: RegionalAccess = 'any',
  ) {
    this.prefix = centrePrefix(city);
  }

  /** Throws unless this centre may perform `operation` on a record with this partition key. */
  assertAllowed(partitionKey: string, operation: Operation): void {
    if (partitionKey.startsWith(this.prefix)) return;
    if (partitionKey.startsWith(REGIONAL_PREFIX) && this.mayTouchRegional(partitionKey, operation)) return;
    throw new ForeignKeyError(this.city, operation);
  }

  private mayTouchRegional(partitionKey: string, operation: Operation): boolean {
    // IAM grants no Query or Delete on regional records to anyone acting for one centre.
    if (operation === 'query' || operation === 'delete') return false;
    if (this.regional === 'any') return true;
    const call = { service: 'dynamodb', action: OPERATION_ACTIONS[operation], partitionKey } as const;
    return allowingCapability(CENTRE_WORKER.capabilities, call, this.city) !== undefined;
  }

  async get<T extends TableItem>(
    key: ItemKey,
    options: { consistent?: boolean } = {},
  ): Promise<T | undefined> {
    this.assertAllowed(key.PK, 'get');
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: options.consistent ?? false }),
    );
    return result.Item as T | undefined;
  }

  /** Many items by key, strongly consistent, in pages of 100; keys not found are absent. */
  async batchGet<T extends TableItem>(keys: readonly ItemKey[]): Promise<T[]> {
    for (const key of keys) this.assertAllowed(key.PK, 'get');
    const found: T[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: Record<string, unknown>[] | undefined = keys
        .slice(start, start + 100)
        .map((k) => ({ PK: k.PK, SK: k.SK }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...((result.Responses?.[this.tableName] ?? []) as T[]));
        // Throttled keys come back unprocessed: ask again with backoff.
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  async put<T extends ItemKey>(
    item: T,
    condition: Omit<PutCommandInput, 'TableName' | 'Item'> = {},
  ): Promise<void> {
    this.assertAllowed(item.PK, 'put');
    await this.client.send(
      new PutCommand({ ...condition, TableName: this.tableName, Item: item as Record<string, unknown> }),
    );
  }

  async update(
    input: Omit<UpdateCommandInput, 'TableName'> & { Key: ItemKey },
  ): Promise<Record<string, unknown> | undefined> {
    this.assertAllowed(input.Key.PK, 'update');
    const result = await this.client.send(new UpdateCommand({ ...input, TableName: this.tableName }));
    return result.Attributes;
  }

  /** Query one partition of this centre's (never a regional record list: IAM allows no such Query). */
  async query<T extends TableItem>(
    partitionKey: string,
    input: Omit<QueryCommandInput, 'TableName' | 'KeyConditionExpression'> & {
      sortKeyCondition?: string;
    } = {},
  ): Promise<{ items: T[]; lastEvaluatedKey?: Record<string, unknown> }> {
    this.assertAllowed(partitionKey, 'query');
    const { sortKeyCondition, ExpressionAttributeValues, ExpressionAttributeNames, ...rest } = input;
    const result = await this.client.send(
      new QueryCommand({
        ...rest,
        TableName: this.tableName,
        KeyConditionExpression: `#pk = :pk${sortKeyCondition ? ` AND ${sortKeyCondition}` : ''}`,
        ExpressionAttributeNames: { ...ExpressionAttributeNames, '#pk': TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':pk': partitionKey },
      }),
    );
    return { items: (result.Items ?? []) as T[], lastEvaluatedKey: result.LastEvaluatedKey };
  }

  /** Every item of a Query on one partition of this centre's, or its first `limit` (see `queryAll`). */
  async queryAll<T extends TableItem>(
    partitionKey: string,
    input: Omit<QueryCommandInput, 'TableName' | 'KeyConditionExpression' | 'ExclusiveStartKey' | 'Limit'> & {
      sortKeyCondition?: string;
      limit?: number;
    } = {},
  ): Promise<T[]> {
    this.assertAllowed(partitionKey, 'query');
    const { sortKeyCondition, ExpressionAttributeValues, ExpressionAttributeNames, limit, ...rest } = input;
    return queryAll<T>(
      {
        ...rest,
        TableName: this.tableName,
        KeyConditionExpression: `#pk = :pk${sortKeyCondition ? ` AND ${sortKeyCondition}` : ''}`,
        ExpressionAttributeNames: { ...ExpressionAttributeNames, '#pk': TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':pk': partitionKey },
      },
      { ...(limit !== undefined ? { limit } : {}), client: this.client },
    );
  }

  /** One transaction; every item in it is checked against the same rule first. */
  async transactWrite(items: readonly TransactItem[]): Promise<void> {
    for (const item of items) {
      if (item.Put) this.assertAllowed(String(item.Put.Item?.PK), 'put');
      if (item.Update) this.assertAllowed(String(item.Update.Key?.PK), 'update');
      if (item.Delete) this.assertAllowed(String(item.Delete.Key?.PK), 'delete');
      if (item.ConditionCheck) this.assertAllowed(String(item.ConditionCheck.Key?.PK), 'conditionCheck');
    }
    const withTable = items.map((item) => {
      const [kind, body] = Object.entries(item)[0] as [string, Record<string, unknown>];
      return { [kind]: { ...body, TableName: this.tableName } } as WriteItem;
    });
    await this.client.send(new TransactWriteCommand({ TransactItems: withTable }));
  }
}

/**
 * Every item of a Query, page after page (a Query returns at most 1 MB), or its first `limit`:
 * no list is cut short by a page boundary without the caller asking for it.
 */
export async function queryAll<T extends TableItem = TableItem>(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  options: { limit?: number; client?: DynamoDBDocumentClient } = {},
): Promise<T[]> {
  const client = options.client ?? dynamoDocumentClient();
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...input,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        ...(options.limit !== undefined ? { Limit: options.limit - items.length } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (options.limit === undefined || items.length < options.limit));
  return items;
}

/** The repository of one centre on the process's table and client (API functions and jobs). */
export function centreRepository(city: CityCode): CentreRepository {
  return new CentreRepository(city, dynamoDocumentClient(), tableName());
}

/** The repository of a centre's worker: its own records, and the regional ones it may touch. */
export function workerRepository(city: CityCode): CentreRepository {
  return new CentreRepository(city, dynamoDocumentClient(), tableName(), 'worker');
}
