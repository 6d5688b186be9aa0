/**
 * Idempotency-Key on every POST that creates an application or moves money (DESIGN.md §5): the
 * key is scoped to the caller (`sub`) and the route, so another caller's key is never a replay;
 * the first response is kept and answered again to the same key with the same body (compared by
 * a hash of the canonical JSON), and the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.
 * A request still running under the key is a 409; one that crashed is taken over after a minute,
 * and the flows derive their record ids from the scope, so the takeover finds what the first wrote.
 *
 * Record: `R#IDEMKEY#<scope>` / `KEY`, expiring after a day (DynamoDB TTL).
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config/runtime.js';
import { DomainError } from '../errors/domain-error.js';
import { logger } from '../observability/logger.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { regionalKey, TTL_ATTRIBUTE } from '../persistence/table.js';

const RETENTION_SECONDS = 24 * 3600;
/** A request in progress longer than this is taken to have crashed. */
const TAKEOVER_AFTER_MS = 60_000;
/** A duplicate sent while the first still runs waits this long for its answer, then is told to retry. */
const WAIT_FOR_FIRST_MS = 5_000;
const POLL_MS = 100;

export interface IdempotencyScope {
  /** The client's key as sent. */
  key: string;
  /** sha256 of caller, method and path (the concrete one: another application is another scope) and key. */
  scope: string;
  bodyHash: string;
  /**
   * sha256 of scope and body: the seed of the ids the flow creates, so a retry after a crash finds
   * what the first attempt wrote, and a key reused after its record expired never names it.
   */
  seed: string;
}

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** JSON with object members in sorted order, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function idempotencyScope(
  subject: string,
  request: { method: string; path: string },
  key: string,
  body: unknown,
): IdempotencyScope {
  const scope = sha256(`${subject}\u0000${request.method} ${request.path}\u0000${key}`);
  const bodyHash = sha256(canonicalJson(body ?? null));
  return { key, scope, bodyHash, seed: sha256(`${scope}\u0000${bodyHash}`) };
}

const recordKey = (scope: IdempotencyScope) => ({ PK: regionalKey('IDEMKEY', scope.scope), SK: 'KEY' });

/**
 * Claims the key for this request; answers the stored response when it already completed with
 * the same body. Throws IDEMPOTENCY_KEY_REUSED (another body) or IDEMPOTENCY_KEY_IN_USE.
 */
export async function claimKey(scope: IdempotencyScope, now: Date): Promise<StoredResponse | undefined> {
  const client = dynamoDocumentClient();
  const expiresAt = Math.floor(now.getTime() / 1000) + RETENTION_SECONDS;
  try {
    await client.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...recordKey(scope),
          bodyHash: scope.bodyHash,
          state: 'in-progress',
          startedAt: now.toISOString(),
          [TTL_ATTRIBUTE]: expiresAt,
        },
        // TTL deletes lazily: an expired record counts as absent.
        ConditionExpression: 'attribute_not_exists(PK) OR #expires < :now',
        ExpressionAttributeNames: { '#expires': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
      }),
    );
    return undefined;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const read = async () =>
    (
      await client.send(
        new GetCommand({ TableName: tableName(), Key: recordKey(scope), ConsistentRead: true }),
      )
    ).Item;
  let existing = await read();
  if (!existing) return claimKey(scope, now);
  if (existing.bodyHash !== scope.bodyHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  // The first request is still running: its answer is this one's too, if it comes soon.
  for (let waited = 0; existing?.state === 'in-progress' && waited < WAIT_FOR_FIRST_MS; waited += POLL_MS) {
    if (now.getTime() - Date.parse(String(existing.startedAt)) >= TAKEOVER_AFTER_MS) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    existing = await read();
  }
  if (!existing) return claimKey(scope, now);
  if (existing.state === 'completed') return existing.response as StoredResponse;
  if (now.getTime() - Date.parse(String(existing.startedAt)) < TAKEOVER_AFTER_MS) {
    throw new DomainError('IDEMPOTENCY_KEY_IN_USE');
  }
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: recordKey(scope),
        UpdateExpression: 'SET startedAt = :now',
        ConditionExpression: 'startedAt = :seen AND #state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ':seen': existing.startedAt,
          ':inProgress': 'in-progress',
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    throw new DomainError('IDEMPOTENCY_KEY_IN_USE');
  }
  return undefined;
}

/** Keeps the response for replays. */
export async function completeKey(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: recordKey(scope),
      UpdateExpression: 'SET #state = :completed, #response = :response',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
    }),
  );
}

/** A request that failed gives its key back: the client may retry it as it is. */
export async function releaseKey(scope: IdempotencyScope): Promise<void> {
  await dynamoDocumentClient()
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: recordKey(scope),
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress' },
      }),
    )
    .catch((error: Error) => {
      // Left in progress, the key is taken over after TAKEOVER_AFTER_MS.
      if (error.name !== 'ConditionalCheckFailedException')
        logger.warn('idempotency key not released', { error });
    });
}
