/**
 * The local guard of declared capabilities (issue 16 item 2). The local region runs every function
 * in one process, where no IAM applies: the gateway, the pollers and the job runner run each
 * invocation as its declared function (`runAsFunction`), and every DynamoDB, SQS, secret and
 * bank-account-key call made meanwhile is checked here, in one place, against that function's
 * capabilities (the same declaration IAM is built from). A call outside them throws a
 * CapabilityError naming the function. Outside any function (Lambda in AWS, a test's own setup)
 * nothing is checked: IAM is the guard there. Importing this module installs it in the shared
 * clients' seam (./seam.ts); deployed bundles never import it.
 *
 * With HPF_TEST_CAPABILITY_LOG set (the integration suite), every allowed call is noted per
 * function (its capability and the key's shape, never a key) and every refusal too; the suite's
 * teardown fails on a refusal, and on a declared capability no test used.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { CITY_CODES, type CityCode } from '../config/cities.js';
import {
  allowingCapability,
  type Call,
  type Capabilities,
  keyShape,
  type TableAction,
} from '../services/capabilities.js';
import { inboxQueueName, jobQueueName, SCHEDULED_JOBS } from '../services/declaration.js';
import { installCallGuard } from './seam.js';

export { guardClient } from './seam.js';

export interface FunctionIdentity {
  /** The declared id (`centre-worker` for every centre's worker). */
  id: string;
  capabilities: Capabilities;
  /** The city of a per-city function (a centre worker). */
  city?: CityCode;
}

export class CapabilityError extends Error {
  override name = 'CapabilityError';
}

const running = new AsyncLocalStorage<FunctionIdentity>();

/** Runs `body` as the declared function: every call it makes, awaited or not, is checked. */
export function runAsFunction<T>(identity: FunctionIdentity, body: () => T): T {
  return running.run(identity, body);
}

/** The function being run, if any. */
export function currentFunction(): FunctionIdentity | undefined {
  return running.getStore();
}

/** A call as one line, with the key reduced to its shape. */
export function describeCall(call: Call): string {
  switch (call.service) {
    case 'dynamodb':
      return `dynamodb ${call.action} ${call.index ? `${call.index}:` : ''}${keyShape(call.partitionKey)}`;
    case 'kms':
      return `kms ${call.action} (city ${call.city})`;
    case 'sqs':
      return `sqs ${call.action}${call.queue === 'inbox' ? '' : call.queue === 'work' ? ` work-queue ${call.jobId}` : ' (not an inbox nor a work queue)'}`;
    default:
      return `${call.service} ${call.action}`;
  }
}

const noted = new Set<string>();

function note(entry: Record<string, string>): void {
  const file = process.env.HPF_TEST_CAPABILITY_LOG;
  if (!file) return;
  const line = JSON.stringify(entry);
  if (noted.has(line)) return;
  noted.add(line);
  appendFileSync(file, `${line}\n`);
}

/** Throws unless the function being run may make `call`; notes what it used. */
function checkCall(call: Call): void {
  const identity = running.getStore();
  if (!identity) return;
  const capability = allowingCapability(identity.capabilities, call, identity.city, identity.id);
  const described = describeCall(call);
  if (capability === undefined) {
    const who = identity.city ? `${identity.id} (${identity.city})` : identity.id;
    note({ fn: identity.id, refused: described });
    throw new CapabilityError(`${who} may not make ${described}: not among its declared capabilities`);
  }
  note({ fn: identity.id, capability, call: described });
}

type AttributeValue = { S?: string };
type Input = Record<string, unknown>;

const DYNAMODB_COMMANDS: Record<string, (input: Input) => Call[]> = {
  GetItemCommand: (input) => [item('GetItem', input.Key)],
  PutItemCommand: (input) => [item('PutItem', input.Item)],
  UpdateItemCommand: (input) => [item('UpdateItem', input.Key)],
  DeleteItemCommand: (input) => [item('DeleteItem', input.Key)],
  BatchGetItemCommand: (input) =>
    Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).flatMap((request) =>
      (request.Keys ?? []).map((key) => item('BatchGetItem', key)),
    ),
  TransactWriteItemsCommand: (input) =>
    ((input.TransactItems ?? []) as Record<string, { Key?: unknown; Item?: unknown }>[]).flatMap((entry) => {
      if (entry.Put) return [item('PutItem', entry.Put.Item)];
      if (entry.Update) return [item('UpdateItem', entry.Update.Key)];
      if (entry.Delete) return [item('DeleteItem', entry.Delete.Key)];
      if (entry.ConditionCheck) return [item('ConditionCheckItem', entry.ConditionCheck.Key)];
      return [];
    }),
  QueryCommand: (input) => [query(input)],
};

function item(action: TableAction, key: unknown): Call {
  const partitionKey = (key as Record<string, AttributeValue> | undefined)?.PK?.S ?? '';
  return { service: 'dynamodb', action, partitionKey };
}

/** The partition key value a Query names: the `name = :value` of its key condition on PK or GSI1PK. */
function query(input: Input): Call {
  // The table has one index: a query of any other is described by its name, so refused with it.
  if (input.IndexName !== undefined && input.IndexName !== 'GSI1')
    return {
      service: 'dynamodb',
      action: `Query on index ${String(input.IndexName)}`,
      partitionKey: '',
    } as unknown as Call;
  const index = input.IndexName === 'GSI1' ? 'GSI1' : undefined;
  const keyName = index ? 'GSI1PK' : 'PK';
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  let partitionKey = '';
  for (const [, name, value] of String(input.KeyConditionExpression ?? '').matchAll(
    /([#\w]+)\s*=\s*(:\w+)/g,
  )) {
    if ((names[name as string] ?? name) === keyName) partitionKey = values[value as string]?.S ?? '';
  }
  return {
    service: 'dynamodb',
    action: 'Query',
    partitionKey,
    ...(index ? { index } : {}),
  } as Call;
}

/**
 * Which queue a URL names, by the declared names' endings (any prefix before them): a centre's inbox
 * (`inbox-<city>`), a fanned-out job's work queue (`job-<job>`, with the job), anything else (a
 * dead-letter queue…) none that a capability grants.
 */
function queueOf(input: Input): { queue: 'inbox' | 'work' | 'other'; jobId?: string } {
  const name = (typeof input.QueueUrl === 'string' ? input.QueueUrl : '').split('/').at(-1) ?? '';
  if (CITY_CODES.some((city) => name.endsWith(inboxQueueName('', city)))) return { queue: 'inbox' };
  const job = SCHEDULED_JOBS.find((j) => j.fanOut && name.endsWith(jobQueueName('', j.id)));
  return job ? { queue: 'work', jobId: job.id } : { queue: 'other' };
}

function callsOf(service: 'dynamodb' | 'sqs', command: string, input: Input): Call[] {
  const action = command.replace(/Command$/, '');
  // IAM authorises a batch send as sqs:SendMessage
  if (service === 'sqs')
    return [
      {
        service: 'sqs',
        action: action === 'SendMessageBatch' ? 'SendMessage' : action,
        ...queueOf(input),
      } as Call,
    ];
  const calls = DYNAMODB_COMMANDS[command]?.(input);
  // Unknown to the vocabulary: described by its own name, so refused with it.
  return calls ?? [{ service: 'dynamodb', action, partitionKey: '' } as Call];
}

installCallGuard({
  command(service, command, input) {
    if (running.getStore()) for (const call of callsOf(service, command, input)) checkCall(call);
  },
  call: checkCall,
});
