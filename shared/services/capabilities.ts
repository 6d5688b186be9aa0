/**
 * What each declared function may do (issue 16 item 2): table actions per partition-key prefix,
 * inbox actions, the ID-hashing secret, the bank-account key. One statement of it per function in
 * the declaration; the IAM policies (infra/constructs/capability-policy.ts) and the local guard
 * (shared/capabilities/guard.ts) are both built from it. Pure: imports nothing from AWS.
 */
import { CITY_CODES, type CityCode } from '../config/cities.js';

/** The item-level DynamoDB actions the code uses (a transaction is authorised item by item). */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

/**
 * Actions on the records whose partition key (GSI1PK, for `index: 'GSI1'`) starts with one of
 * `keys`. `{city}` in a prefix is the function's own city when it runs per city (a centre worker);
 * for a function that acts across centres it is any centre's code.
 */
export interface TableGrant {
  keys: string | readonly string[];
  actions: readonly TableAction[];
  index?: 'GSI1';
}

/** A grant's key prefixes as a list. */
export const grantKeys = (grant: Pick<TableGrant, 'keys'>): readonly string[] =>
  typeof grant.keys === 'string' ? [grant.keys] : grant.keys;

export type InboxAction = 'SendMessage' | 'GetQueueAttributes';
export type BankKeyAction = 'GenerateDataKey' | 'Decrypt';

export interface Capabilities {
  table?: readonly TableGrant[];
  /** On every centre's inbox. (A centre worker receives from its own inbox through its event source.) */
  inboxes?: readonly InboxAction[];
  /** On the job's own work queue (a job that fans out; it receives through its event source). */
  workQueue?: readonly 'SendMessage'[];
  /** Reads the regional ID-hashing secret (people keyed, bank account numbers hashed). */
  idHashSecret?: true;
  /** On the bank-account key, under the context naming the purpose and a city (its own, when per city). */
  bankAccountKey?: readonly BankKeyAction[];
}

/** Common sets, so a declaration reads as intent. */
export const ALL_ITEM_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
] as const satisfies readonly TableAction[];
export const GET = ['GetItem'] as const satisfies readonly TableAction[];
export const GET_PUT = ['GetItem', 'PutItem'] as const satisfies readonly TableAction[];
export const GET_UPDATE = ['GetItem', 'UpdateItem'] as const satisfies readonly TableAction[];

/** The key prefix of a centre's records of one kind, or of all its records (`kind` omitted). */
export const centreRecords = (kind?: string) => (kind ? `C#{city}#${kind}#` : 'C#{city}#');
/** The key prefix of one kind of regional record. */
export const regionalRecords = (kind: string) => `R#${kind}#`;

/** One call a function made, as the guard sees it. */
export type Call =
  | { service: 'dynamodb'; action: TableAction; partitionKey: string; index?: 'GSI1' }
  | { service: 'sqs'; action: InboxAction; queue: 'inbox' | 'work' | 'other'; jobId?: string }
  | { service: 'secrets'; action: 'GetSecretValue' }
  | { service: 'kms'; action: BankKeyAction; city: string };

/** A capability as one line: `dynamodb GetItem C#{city}#ACCOUNT#`, `sqs SendMessage`, `kms Decrypt`… */
export type CapabilityLine = string;

const cityPattern = (city: CityCode | undefined) => (city ? city : `(?:${CITY_CODES.join('|')})`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a partition key falls under a grant's prefix, for a function of `city` (or of every city). */
export function keyMatches(keys: string, partitionKey: string, city?: CityCode): boolean {
  const pattern = keys.split('{city}').map(escapeRegExp).join(cityPattern(city));
  return new RegExp(`^${pattern}`).test(partitionKey);
}

/** Every capability of a declaration, one line each (what the teardown expects some test to use). */
export function capabilityLines(capabilities: Capabilities): CapabilityLine[] {
  const lines: CapabilityLine[] = [];
  for (const grant of capabilities.table ?? []) {
    for (const keys of grantKeys(grant))
      for (const action of grant.actions) lines.push(tableLine(action, keys, grant.index));
  }
  for (const action of capabilities.inboxes ?? []) lines.push(`sqs ${action}`);
  for (const action of capabilities.workQueue ?? []) lines.push(`sqs ${action} work-queue`);
  if (capabilities.idHashSecret) lines.push('secrets GetSecretValue');
  for (const action of capabilities.bankAccountKey ?? []) lines.push(`kms ${action}`);
  return lines;
}

function tableLine(action: TableAction, keys: string, index?: 'GSI1'): CapabilityLine {
  return `dynamodb ${action} ${index ? `${index}:` : ''}${keys}`;
}

/**
 * The capability line that allows `call`, or undefined (outside the declaration). A KMS call must
 * name the function's own city when it runs per city.
 */
export function allowingCapability(
  capabilities: Capabilities,
  call: Call,
  city?: CityCode,
  /** The running function's id: a job's work queue is its own only. */
  functionId?: string,
): CapabilityLine | undefined {
  switch (call.service) {
    case 'dynamodb': {
      for (const grant of capabilities.table ?? []) {
        if (grant.index !== call.index || !grant.actions.includes(call.action)) continue;
        const keys = grantKeys(grant).find((k) => keyMatches(k, call.partitionKey, city));
        if (keys !== undefined) return tableLine(call.action, keys, grant.index);
      }
      return undefined;
    }
    case 'sqs':
      if (call.queue === 'work')
        return call.action === 'SendMessage' &&
          call.jobId === functionId &&
          capabilities.workQueue?.includes(call.action)
          ? `sqs ${call.action} work-queue`
          : undefined;
      if (call.queue === 'other') return undefined;
      return capabilities.inboxes?.includes(call.action) ? `sqs ${call.action}` : undefined;
    case 'secrets':
      return capabilities.idHashSecret ? 'secrets GetSecretValue' : undefined;
    case 'kms': {
      const cityAllowed = city ? call.city === city : (CITY_CODES as readonly string[]).includes(call.city);
      return capabilities.bankAccountKey?.includes(call.action) && cityAllowed
        ? `kms ${call.action}`
        : undefined;
    }
  }
}

/**
 * The shape of a partition key with its ids left out, for the record of calls: `C#{city}#ACCOUNT#`,
 * `R#LOANIDX#`, `R#HEALTH`, `PERSON#` (never a person key or an account number).
 */
export function keyShape(partitionKey: string): string {
  const parts = partitionKey.split('#');
  const [first = '', second = '', third] = parts;
  if (first === 'C' && (CITY_CODES as readonly string[]).includes(second)) {
    if (third === undefined) return 'C#{city}#';
    return parts.length > 3 ? `C#{city}#${third}#` : `C#{city}#${third}`;
  }
  if (first === 'R') return parts.length > 2 ? `R#${second}#` : `R#${second}`;
  return parts.length > 1 ? `${first}#` : first;
}

/** What the deployed function needs in its environment, from what it may do. */
export const usesTable = (c: Capabilities) => (c.table ?? []).length > 0;
export const usesInboxes = (c: Capabilities) => (c.inboxes ?? []).length > 0;
export const usesBankAccountKey = (c: Capabilities) => (c.bankAccountKey ?? []).length > 0;
