/**
 * A function's IAM statements, built from its declared capabilities (shared/services/capabilities.ts)
 * and nothing else; the local guard checks the same declaration in the local region.
 *
 * What IAM can express and what only the guard checks:
 *  - a table grant on key prefix P is `dynamodb:LeadingKeys` StringLike `P*` (the whole partition key
 *    value must match). `{city}` becomes the worker's own city for a per-city function, and `??????`
 *    (any six characters) for a function acting across centres: IAM cannot know the caller's centre.
 *  - a grant on GSI1 names the index ARN and carries no LeadingKeys condition (that key is the
 *    table's partition key); its prefix is checked by the local guard only.
 *  - inbox, secret and key grants name their resources; the bank-account key's grants are bound to
 *    the encryption context (purpose, and the city: the function's own when per city).
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { GSI1 } from '../../shared/persistence/table.js';
import { type Capabilities, grantKeys, type TableAction } from '../../shared/services/capabilities.js';
import type { CentreQueues } from '../stacks/stateful-stack.js';
import { TABLE_KEY_READ_ACTIONS, TABLE_KEY_WRITE_ACTIONS, tableKeyStatement } from './wiring.js';

export interface CapabilityResources {
  table: ITable;
  tableKey: IKey;
  queues: Readonly<Record<CityCode, CentreQueues>>;
  idHmacSecret: ISecret;
  bankAccountKey: IKey;
  /** The job's own work queue (a job that fans out). */
  workQueue?: IQueue;
}

const WRITES: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem'];

/** The `dynamodb:LeadingKeys` pattern of a key prefix, for a function of `city` (or of every city). */
export function leadingKeysPattern(keys: string, city?: CityCode): string {
  return `${keys.replaceAll('{city}', city ?? '??????')}*`;
}

/** `ForAllValues:StringLike` on `dynamodb:LeadingKeys` (any of the patterns), and the key must be present (no vacuous match). */
export function leadingKeysCondition(patterns: readonly string[]) {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
    Null: { 'dynamodb:LeadingKeys': 'false' },
  };
}

/** The condition of every grant on the bank-account key: its purpose, and a city. */
export function bankAccountContextCondition(city?: CityCode) {
  return city
    ? {
        StringEquals: {
          'kms:EncryptionContext:hpf:purpose': 'hpf-bank-account',
          'kms:EncryptionContext:hpf:city': city,
        },
      }
    : {
        StringEquals: { 'kms:EncryptionContext:hpf:purpose': 'hpf-bank-account' },
        StringLike: { 'kms:EncryptionContext:hpf:city': '??????' },
      };
}

/** Every statement the capabilities make, in declaration order; `city` for a per-city function. */
export function capabilityStatements(
  role: IRole,
  capabilities: Capabilities,
  resources: CapabilityResources,
  city?: CityCode,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const tableGrants = capabilities.table ?? [];
  tableGrants.forEach((grant, i) => {
    statements.push(
      new PolicyStatement({
        sid: `Table${i}`,
        actions: grant.actions.map((action) => `dynamodb:${action}`).sort(),
        resources: [
          grant.index ? `${resources.table.tableArn}/index/${GSI1.indexName}` : resources.table.tableArn,
        ],
        ...(grant.index || grantKeys(grant).includes('')
          ? {}
          : {
              conditions: leadingKeysCondition(
                grantKeys(grant).map((keys) => leadingKeysPattern(keys, city)),
              ),
            }),
      }),
    );
  });
  if (tableGrants.length > 0) {
    const writes = tableGrants.some((grant) => grant.actions.some((action) => WRITES.includes(action)));
    statements.push(
      tableKeyStatement(role, resources.tableKey, writes ? TABLE_KEY_WRITE_ACTIONS : TABLE_KEY_READ_ACTIONS),
    );
  }
  if ((capabilities.inboxes ?? []).length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'Inboxes',
        actions: (capabilities.inboxes ?? []).map((action) => `sqs:${action}`).sort(),
        resources: CITY_CODES.map((c) => resources.queues[c].inbox.queueArn),
      }),
    );
  }
  if ((capabilities.workQueue ?? []).length > 0) {
    if (resources.workQueue === undefined)
      throw new Error('a work-queue capability needs the job’s work queue');
    statements.push(
      new PolicyStatement({
        sid: 'WorkQueue',
        actions: (capabilities.workQueue ?? []).map((action) => `sqs:${action}`).sort(),
        resources: [resources.workQueue.queueArn],
      }),
    );
  }
  if (capabilities.idHashSecret) {
    const secret = resources.idHmacSecret;
    statements.push(
      new PolicyStatement({
        sid: 'IdHashSecret',
        actions: ['secretsmanager:GetSecretValue'],
        // A secret imported by name has a partial ARN: the six random characters follow it.
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
  }
  if ((capabilities.bankAccountKey ?? []).length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'BankAccountKey',
        actions: (capabilities.bankAccountKey ?? []).map((action) => `kms:${action}`).sort(),
        resources: [resources.bankAccountKey.keyArn],
        conditions: bankAccountContextCondition(city),
      }),
    );
  }
  return statements;
}

/** Adds a function's statements to its role. */
export function grantCapabilities(
  role: IRole,
  capabilities: Capabilities,
  resources: CapabilityResources,
  city?: CityCode,
): void {
  for (const statement of capabilityStatements(role, capabilities, resources, city))
    role.addToPrincipalPolicy(statement);
}
