/** Small helpers shared by the stacks that build functions from the service declaration. */
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { GSI1 } from '../../shared/persistence/table.js';
import type { CentreQueues } from '../stacks/stateful-stack.js';

/** `INBOX_QUEUE_URLS`: a JSON object city → inbox URL (a token resolved by CloudFormation). */
export function inboxQueueUrlsJson(
  scope: Construct,
  queues: Readonly<Record<CityCode, CentreQueues>>,
): string {
  return Stack.of(scope).toJsonString(
    Object.fromEntries(CITY_CODES.map((city) => [city, queues[city].inbox.queueUrl])),
  );
}

/**
 * The item-level reads the code makes (no Scan: nothing enumerates the table; no DescribeTable),
 * on the table and GSI1 by name — `grantReadData` would name `<table>/index/*` and add Scan.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
] as const;
/** The item-level writes the code makes (transactions are authorised item by item). */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

/** KMS actions DynamoDB performs with the table key on a reader's behalf. */
export const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
/**
 * KMS actions DynamoDB performs with the table key on a writer's behalf: CDK's write grant
 * (`kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`) spelled out without wildcards.
 */
export const TABLE_KEY_WRITE_ACTIONS = [
  ...TABLE_KEY_READ_ACTIONS,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/**
 * Generating data keys under the bank-account key, only for bank account numbers (the encryption
 * context's purpose) and only with a city named: what a function that takes bank accounts may do.
 */
export function bankAccountDataKeyStatement(key: IKey): PolicyStatement {
  return new PolicyStatement({
    sid: 'BankAccountDataKeys',
    actions: ['kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:EncryptionContext:hpf:purpose': 'hpf-bank-account' },
      StringLike: { 'kms:EncryptionContext:hpf:city': '??????' },
    },
  });
}

/** The table's ARN and its GSI1's ARN (no index wildcard). */
export function tableResourceArns(table: ITable): string[] {
  return [table.tableArn, `${table.tableArn}/index/${GSI1.indexName}`];
}

/** The table key, usable only through DynamoDB in this region (`kms:ViaService`). */
export function tableKeyStatement(scope: Construct, key: IKey, actions: readonly string[]): PolicyStatement {
  const stack = Stack.of(scope);
  return new PolicyStatement({
    sid: 'TableKeyViaDynamoDB',
    actions: [...actions],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
  });
}

const SCOPED_ACTIONS = { get: 'dynamodb:GetItem', update: 'dynamodb:UpdateItem' } as const;

/**
 * Table access confined to the records a public function's routes touch: per declared prefix, its
 * item actions under `dynamodb:LeadingKeys` (no Query, no Scan, no index), and the table key for them.
 */
export function grantScopedTableAccess(
  role: IRole,
  table: ITable,
  key: IKey,
  scopes: readonly { prefix: string; operations: readonly ('get' | 'update')[] }[],
): void {
  scopes.forEach((scope, i) => {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: `TableScope${i}`,
        actions: scope.operations.map((operation) => SCOPED_ACTIONS[operation]),
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${scope.prefix}*`] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
  });
  const writes = scopes.some((scope) => scope.operations.includes('update'));
  role.addToPrincipalPolicy(
    tableKeyStatement(role, key, writes ? TABLE_KEY_WRITE_ACTIONS : TABLE_KEY_READ_ACTIONS),
  );
}

/**
 * Table access of an API function or a scheduled job, from its declaration. These act for the
 * authenticated caller across centres (DESIGN.md §4), so they are not confined by LeadingKeys;
 * the handlers confine them to the caller's own records.
 */
export function grantTableAccess(
  role: IRole,
  table: ITable,
  key: IKey,
  mode: 'none' | 'read' | 'readWrite',
): void {
  if (mode === 'none') return;
  const actions =
    mode === 'read' ? [...TABLE_READ_ACTIONS] : [...new Set([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS])];
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: mode === 'read' ? 'TableRead' : 'TableReadWrite',
      actions: actions.sort(),
      resources: tableResourceArns(table),
    }),
  );
  role.addToPrincipalPolicy(
    tableKeyStatement(role, key, mode === 'read' ? TABLE_KEY_READ_ACTIONS : TABLE_KEY_WRITE_ACTIONS),
  );
}
