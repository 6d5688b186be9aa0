/**
 * The single DynamoDB table: its shape, shared by the CDK stateful stack and the local region.
 *
 * Key design (every access pattern is a GetItem, a Query on PK, or a Query on GSI1):
 *
 * | record                         | PK                               | SK                         |
 * |--------------------------------|----------------------------------|----------------------------|
 * | centre-owned records           | `C#<city>#<kind>#<id>`           | per kind                   |
 * | pong received by a centre      | `C#<city>#PING#<requestId>`      | `PONG`                     |
 * | idempotency of a centre worker | `C#<city>#IDEMP`                 | `<function>#<key hash>`    |
 * | regional shared records        | `R#<kind>#<id>`                  | per kind                   |
 * | platform self-check            | `R#HEALTH`                       | `HEALTH`                   |
 *
 * Every record a centre owns has a partition key starting `C#<city>#`, so IAM's
 * `dynamodb:LeadingKeys` (and the worker's repository, locally) confines a centre's worker to
 * its own records. Regional records (`R#…`: the index of which centres hold a person's accounts
 * and loans, the joint-enforcement list…) are shared; a worker touches only those its declared
 * capabilities list (CENTRE_WORKER in shared/services/declaration.ts). People appear in keys only as the keyed
 * hash of their ID number (shared/identity), never in clear.
 *
 * GSI1 (`GSI1PK`, `GSI1SK`) serves three kinds of list: a centre's work queue of applications by
 * status, soonest committed deadline first (`C#<city>#APPS#<status>`), a person's accounts, loans
 * and applications in every centre (`PERSON#<personKey>`; applications through an index item
 * beside each, `APP#<list>#<acceptedAt>#<id>`: shared/applications/person-applications.ts), and
 * what every centre disclosed about a person
 * (`DISCLOSED#<personKey>`), read by API functions for the citizen. No worker
 * queries it.
 */
import type { CityCode } from '../config/cities.js';

export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;
export const GSI1 = { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } as const;
/** Attribute holding an epoch-seconds expiry (DynamoDB TTL). */
export const TTL_ATTRIBUTE = 'expiresAt';

export const REGIONAL_PREFIX = 'R#';

/** The partition-key prefix of every record a centre owns. */
export function centrePrefix(city: CityCode): string {
  return `C#${city}#`;
}

/** A centre-owned partition key: `C#<city>#<kind>#<id…>`. */
export function centreKey(city: CityCode, kind: string, ...id: string[]): string {
  return [`C#${city}`, kind, ...id].join('#');
}

/** A regional partition key: `R#<kind>#<id…>`. */
export function regionalKey(kind: string, ...id: string[]): string {
  return ['R', kind, ...id].join('#');
}

export type RecordOperation = 'get' | 'put' | 'update' | 'conditionCheck' | 'query' | 'delete';
