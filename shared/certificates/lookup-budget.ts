/**
 * The certificate check's budget per source address (DESIGN.md §5: the route is public and an
 * HTTP API has neither a WAF nor a per-client throttle). A route throttle alone lets one client use
 * up the check for everyone and guess codes at the route's rate; so each source address may fail
 * at most FAILED_LOOKUPS_PER_HOUR look-ups in a clock hour, after which every check from it is
 * refused (429, Retry-After) until the hour ends. Successful checks cost nothing: a bank counter
 * checking many real certificates from one address is never held up.
 *
 * Counters live in the table, `R#CERTBUDGET#<address key>` / `<hour>`, expiring with TTL. The
 * address is keyed (HMAC under the regional secret), never stored: an IP address is personal data.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config/runtime.js';
import { DomainError } from '../errors/domain-error.js';
import { keyedHash } from '../identity/person-key.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { regionalKey, TTL_ATTRIBUTE } from '../persistence/table.js';

/** DEMO value, not from a public source: failed look-ups one address may make per hour. */
export const FAILED_LOOKUPS_PER_HOUR = 60;

const HOUR_MS = 3_600_000;

async function budgetKey(sourceIp: string, now: Date) {
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  return {
    key: { PK: regionalKey('CERTBUDGET', await keyedHash('source-ip', sourceIp)), SK: hour.toISOString() },
    endsAt: hour.getTime() + HOUR_MS,
  };
}

/** Refuses the check when the address has used up its failures for this hour. */
export async function assertLookupAllowed(sourceIp: string, now = new Date()): Promise<void> {
  const { key, endsAt } = await budgetKey(sourceIp, now);
  const { Item } = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: key }));
  if (((Item?.failures as number | undefined) ?? 0) >= FAILED_LOOKUPS_PER_HOUR) {
    throw new DomainError('TOO_MANY_FAILED_LOOKUPS', {
      retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)),
    });
  }
}

/** Counts one failed look-up against the address (atomic: concurrent failures all count). */
export async function countFailedLookup(sourceIp: string, now = new Date()): Promise<void> {
  const { key, endsAt } = await budgetKey(sourceIp, now);
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD failures :one SET #ttl = :expires',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':expires': Math.floor(endsAt / 1000) + 3600 },
    }),
  );
}
