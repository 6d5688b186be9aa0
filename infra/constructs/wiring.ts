/** Small helpers shared by the stacks that build functions from the service declaration. */
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
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
