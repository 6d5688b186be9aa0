/**
 * The one declaration of every HTTP handler, centre worker and scheduled job.
 * CDK (infra/) builds functions, routes, permissions and schedules from it; the local gateway
 * (infra/local/) mounts the same handler modules from it. Nothing is listed twice.
 */
import type { CityCode } from '../config/cities.js';
import {
  type Capabilities,
  centreRecords,
  GET,
  GET_PUT,
  GET_UPDATE,
  regionalRecords,
  type TableAction,
  type TableGrant,
} from './capabilities.js';

/** Caller roles carried in the JWT `role` claim (DESIGN.md §5). */
export const ROLES = ['citizen', 'employer', 'staff', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Service item codes of the regional catalogue (DESIGN.md §3). */
export const SERVICE_ITEM_CODES = [
  'EMPLOYER_OPEN',
  'DEPOSIT_CHANGE',
  'INFO_QUERY',
  'DEPOSIT_CERT',
  'RETIRE_WITHDRAW',
  'PURCHASE_WITHDRAW',
  'PAYOFF_CERT',
  'EARLY_PAYOFF',
  'OFFSITE_LOAN',
  'OFFSITE_REPAY_WITHDRAW',
  'EMIGRATE_WITHDRAW',
  'ACCOUNT_TRANSFER',
  'CERT_VERIFY',
  'RENT_WITHDRAW',
  'RENOVATION_WITHDRAW',
  'PROPERTY_FEE_WITHDRAW',
] as const;
export type ServiceItemCode = (typeof SERVICE_ITEM_CODES)[number];

export interface RouteDeclaration {
  method: HttpMethod;
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  /** `public` routes have no authorizer; all others require a JWT with one of these roles. */
  access: 'public' | readonly Role[];
  /** It creates an application or moves money: an Idempotency-Key is required (shared/http/idempotency.ts). */
  idempotent?: true;
  /** A route with its own (lower) throttle, e.g. the unauthenticated certificate check. */
  throttle?: { rateLimit: number; burstLimit: number };
}

export interface HandlerDeclaration {
  /** Stable id: names the Lambda function and its log group. Lowercase kebab-case. */
  id: string;
  /** The catalogue item this handler serves, when it serves one. */
  itemCode?: ServiceItemCode;
  /** Module path from the repository root; it must export `handler`. */
  entry: string;
  routes: readonly RouteDeclaration[];
  /** What it may do (shared/services/capabilities.ts): its IAM policy and the local guard. */
  capabilities: Capabilities;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** The build writes the OpenAPI document into this function's bundle (infra/openapi/). */
  bundlesOpenApiDocument?: true;
}

/**
 * The centre records of the function's city, with these actions. The API functions and jobs act
 * across centres (for the caller, or for every centre in turn), so `{city}` is any centre's code
 * for them and IAM cannot pin it; every action listed here is one the code makes (the suite's
 * record of calls proves each is used).
 */
const centre = (...actions: TableAction[]): TableGrant => ({ keys: centreRecords(), actions });
/** The Idempotency-Key records (shared/http/idempotency.ts): claimed, read on a replay, completed, given back. */
export const IDEMPOTENCY_KEYS: TableGrant = {
  keys: regionalRecords('IDEMKEY'),
  actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
};
/** A person's accounts, loans and applications in every centre (GSI1 `PERSON#<personKey>`). */
const PERSON_INDEX: TableGrant = { index: 'GSI1', keys: 'PERSON#', actions: ['Query'] };
/** A centre's work queue of applications by status (GSI1 `C#<city>#APPS#<status>`). */
const WORK_QUEUE: TableGrant = { index: 'GSI1', keys: centreRecords('APPS'), actions: ['Query'] };

export const HTTP_HANDLERS: readonly HandlerDeclaration[] = [
  {
    id: 'platform',
    entry: 'functions/platform/handler.ts',
    routes: [
      // Every public route has a throttle of its own, so one anonymous client cannot use up the stage's.
      { method: 'GET', path: '/health', access: 'public', throttle: { rateLimit: 20, burstLimit: 40 } },
      { method: 'GET', path: '/v1/cities', access: 'public', throttle: { rateLimit: 50, burstLimit: 100 } },
      { method: 'GET', path: '/v1/services', access: 'public', throttle: { rateLimit: 50, burstLimit: 100 } },
      {
        method: 'GET',
        path: '/v1/services/{code}',
        access: 'public',
        throttle: { rateLimit: 50, burstLimit: 100 },
      },
      // Working days in force for a year, official or provisional: computed, so throttled on its own.
      {
        method: 'GET',
        path: '/v1/calendar/{year}',
        access: 'public',
        throttle: { rateLimit: 20, burstLimit: 40 },
      },
      // The contract for clients (issue 14): every route here is in it, from its handler's contract.ts.
      {
        method: 'GET',
        path: '/v1/openapi.json',
        access: 'public',
        throttle: { rateLimit: 10, burstLimit: 20 },
      },
    ],
    // /health reads one record and asks every inbox for its attributes: nothing else
    capabilities: { table: [{ keys: 'R#HEALTH', actions: GET }], inboxes: ['GetQueueAttributes'] },
    bundlesOpenApiDocument: true,
  },
  {
    // 贷款试算: the loan decision's own limit and schedule for stated facts; nothing stored, no token.
    id: 'loan-calculator',
    itemCode: 'OFFSITE_LOAN',
    entry: 'functions/loan-calculator/handler.ts',
    routes: [
      {
        method: 'POST',
        path: '/v1/calculators/loan',
        access: 'public',
        throttle: { rateLimit: 10, burstLimit: 20 },
      },
    ],
    capabilities: {},
  },
  {
    id: 'employer-open',
    itemCode: 'EMPLOYER_OPEN',
    entry: 'functions/employer-open/handler.ts',
    routes: [{ method: 'POST', path: '/v1/employers', access: ['employer'] }],
    capabilities: { table: [centre('GetItem', 'PutItem', 'UpdateItem')] },
  },
  {
    // Employee accounts, their deposit terms and the monthly remittance: the employer's deposit desk.
    id: 'deposit-change',
    itemCode: 'DEPOSIT_CHANGE',
    entry: 'functions/deposit-change/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/employers/{employerAccountNo}/employees', access: ['employer'] },
      { method: 'GET', path: '/v1/employers/{employerAccountNo}/employees', access: ['employer'] },
      {
        method: 'PATCH',
        path: '/v1/employers/{employerAccountNo}/employees/{personalAccountNo}',
        access: ['employer'],
      },
      {
        method: 'POST',
        path: '/v1/employers/{employerAccountNo}/remittances',
        access: ['employer'],
        idempotent: true,
      },
      // 补缴: months past their remittance window, decided by the centre's staff
      {
        method: 'POST',
        path: '/v1/employers/{employerAccountNo}/back-pay',
        access: ['employer'],
        idempotent: true,
      },
      { method: 'GET', path: '/v1/employers/{employerAccountNo}/back-pay/{id}', access: ['employer'] },
    ],
    capabilities: {
      table: [
        centre('BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('EMPFLAG'), actions: GET },
        { keys: regionalRecords('PERSON'), actions: ['PutItem', 'UpdateItem'] },
        { keys: regionalRecords('DEPOSITMONTH'), actions: ['UpdateItem'] },
      ],
      idHashSecret: true,
    },
    // a remittance of several hundred employees posts in chunks
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  {
    // 缴存基数年度调整: many employees' bases and rates at once, JSON or CSV, all rows or none.
    id: 'base-adjustment',
    itemCode: 'DEPOSIT_CHANGE',
    entry: 'functions/base-adjustment/handler.ts',
    routes: [
      {
        method: 'POST',
        path: '/v1/employers/{employerAccountNo}/base-adjustments',
        access: ['employer'],
        idempotent: true,
      },
      {
        method: 'GET',
        path: '/v1/employers/{employerAccountNo}/base-adjustments/{id}',
        access: ['employer'],
      },
    ],
    capabilities: {
      table: [centre('BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'), IDEMPOTENCY_KEYS],
    },
    // 500 rows post in 11 transactions
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  {
    // 灵活就业人员自愿缴存: the person's own account with no employer, months paid by payment orders the
    // centre's bank confirms. Individual deposits are DEPOSIT_CHANGE's item (单位及个人缴存信息).
    id: 'voluntary-deposit',
    itemCode: 'DEPOSIT_CHANGE',
    entry: 'functions/voluntary-deposit/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/me/voluntary-accounts', access: ['citizen'], idempotent: true },
      {
        method: 'POST',
        path: '/v1/me/voluntary-accounts/{personalAccountNo}/remittances',
        access: ['citizen'],
        idempotent: true,
      },
      {
        method: 'GET',
        path: '/v1/me/voluntary-accounts/{personalAccountNo}/remittances',
        access: ['citizen'],
      },
      {
        method: 'GET',
        path: '/v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}',
        access: ['citizen'],
      },
      {
        method: 'POST',
        path: '/v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}/cancellation',
        access: ['citizen'],
      },
      // the centre's bank (an agent of the centre) confirms a payment received: the only way money is credited
      { method: 'POST', path: '/v1/agent/payment-confirmations', access: ['agent'], idempotent: true },
    ],
    capabilities: {
      table: [
        centre('ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('PERSON'), actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'] },
      ],
      idHashSecret: true,
    },
  },
  {
    id: 'info-query',
    itemCode: 'INFO_QUERY',
    entry: 'functions/info-query/handler.ts',
    routes: [
      { method: 'GET', path: '/v1/me/accounts', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/accounts/{personalAccountNo}/ledger', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/loans', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/loans/{loanId}', access: ['citizen'] },
    ],
    capabilities: { table: [centre('GetItem', 'Query'), PERSON_INDEX], idHashSecret: true },
  },
  {
    id: 'loan-application',
    itemCode: 'OFFSITE_LOAN',
    entry: 'functions/loan-application/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/me/loan-applications', access: ['citizen'], idempotent: true },
      { method: 'POST', path: '/v1/agent/loan-applications', access: ['agent'], idempotent: true },
      // 我的办件: the citizen's own, newest first (shared/applications/person-applications.ts)
      { method: 'GET', path: '/v1/me/loan-applications', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/loan-applications/{id}', access: ['citizen'] },
      { method: 'POST', path: '/v1/me/loan-applications/{id}/withdrawal', access: ['citizen'] },
      // the spouse reads what they are asked to confirm, then confirms with their own sign-in
      { method: 'GET', path: '/v1/me/loan-applications/{id}/co-applicant-consent', access: ['citizen'] },
      { method: 'POST', path: '/v1/me/loan-applications/{id}/co-applicant-consent', access: ['citizen'] },
    ],
    capabilities: {
      table: [
        centre('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('PERSON'), actions: ['Query'] },
        { keys: regionalRecords('LOANIDX'), actions: ['UpdateItem'] },
        PERSON_INDEX,
      ],
      inboxes: ['SendMessage'],
      idHashSecret: true,
    },
  },
  {
    // RETIRE_, EMIGRATE_, PURCHASE_, OFFSITE_REPAY_, RENT_, RENOVATION_ and PROPERTY_FEE_WITHDRAW: one
    // desk, a discriminated body.
    id: 'withdrawal',
    itemCode: 'PURCHASE_WITHDRAW',
    entry: 'functions/withdrawal/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/me/withdrawals', access: ['citizen'], idempotent: true },
      { method: 'POST', path: '/v1/agent/withdrawals', access: ['agent'], idempotent: true },
      { method: 'GET', path: '/v1/me/withdrawals', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/withdrawals/{id}', access: ['citizen'] },
      { method: 'GET', path: '/v1/agent/applications', access: ['agent'] },
    ],
    capabilities: {
      table: [
        centre('BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        PERSON_INDEX,
      ],
      inboxes: ['SendMessage'],
      idHashSecret: true,
      bankAccountKey: ['GenerateDataKey'],
    },
  },
  {
    // DEPOSIT_CERT and PAYOFF_CERT: issued at once from the citizen's own records.
    id: 'certificate-issue',
    itemCode: 'DEPOSIT_CERT',
    entry: 'functions/certificate-issue/handler.ts',
    routes: [{ method: 'POST', path: '/v1/me/certificates', access: ['citizen'], idempotent: true }],
    capabilities: {
      table: [
        centre('GetItem', 'PutItem', 'Query'),
        IDEMPOTENCY_KEYS,
        { keys: [regionalRecords('EMPFLAG'), regionalRecords('VIOLATION')], actions: GET },
        { keys: regionalRecords('CERT'), actions: ['PutItem'] },
        PERSON_INDEX,
      ],
      idHashSecret: true,
    },
  },
  {
    // CERT_VERIFY: public, so it has its own low throttle; failed look-ups raise an alarm.
    id: 'certificate-verify',
    itemCode: 'CERT_VERIFY',
    entry: 'functions/certificate-verify/handler.ts',
    routes: [
      {
        method: 'GET',
        path: '/v1/certificates/{verificationCode}',
        access: 'public',
        throttle: { rateLimit: 5, burstLimit: 10 },
      },
    ],
    // reads certificates; reads and counts the per-address budget of failed look-ups (HMAC of the address)
    capabilities: {
      table: [
        { keys: regionalRecords('CERT'), actions: GET },
        { keys: regionalRecords('CERTBUDGET'), actions: GET_UPDATE },
      ],
      idHashSecret: true,
    },
  },
  {
    id: 'early-payoff',
    itemCode: 'EARLY_PAYOFF',
    entry: 'functions/early-payoff/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/me/loans/{loanId}/prepayments', access: ['citizen'], idempotent: true },
    ],
    capabilities: {
      table: [
        centre('DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('LOANIDX'), actions: ['UpdateItem'] },
      ],
      idHashSecret: true,
    },
  },
  {
    // ACCOUNT_TRANSFER 转移接续: the receiving centre accepts and sends the transfer letter; the two
    // centres' workers settle it over their inboxes (shared/transfers/).
    id: 'account-transfer',
    itemCode: 'ACCOUNT_TRANSFER',
    entry: 'functions/account-transfer/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/me/transfers', access: ['citizen'], idempotent: true },
      { method: 'GET', path: '/v1/me/transfers', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/transfers/{id}', access: ['citizen'] },
      { method: 'POST', path: '/v1/me/transfers/{id}/cancellation', access: ['citizen'] },
      { method: 'POST', path: '/v1/agent/transfers', access: ['agent'], idempotent: true },
    ],
    capabilities: {
      table: [centre('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'), IDEMPOTENCY_KEYS, PERSON_INDEX],
      inboxes: ['SendMessage'],
      idHashSecret: true,
    },
  },
  {
    // A centre's staff desk: the work queue with committed deadlines, reviews, disbursements, statistics.
    id: 'staff-desk',
    entry: 'functions/staff-desk/handler.ts',
    routes: [
      { method: 'GET', path: '/v1/staff/applications', access: ['staff'] },
      { method: 'POST', path: '/v1/staff/applications/{id}/decision', access: ['staff'] },
      // a confirmed decision is carried out: a loan reserved, a withdrawal paid
      {
        method: 'POST',
        path: '/v1/staff/applications/{id}/confirmation',
        access: ['staff'],
        idempotent: true,
      },
      { method: 'GET', path: '/v1/staff/audit', access: ['staff'] },
      { method: 'POST', path: '/v1/staff/loans/{loanId}/disbursement', access: ['staff'], idempotent: true },
      // a returned payout (退票) is credited back and releases the caps it counted against
      { method: 'GET', path: '/v1/staff/payouts/{withdrawalId}', access: ['staff'] },
      {
        method: 'POST',
        path: '/v1/staff/payouts/{withdrawalId}/return',
        access: ['staff'],
        idempotent: true,
      },
      {
        method: 'POST',
        path: '/v1/staff/payouts/{withdrawalId}/return/confirmation',
        access: ['staff'],
        idempotent: true,
      },
      { method: 'GET', path: '/v1/stats/regional-loans', access: ['staff'] },
    ],
    capabilities: {
      table: [
        centre('BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: [regionalRecords('EMPFLAG'), regionalRecords('VIOLATION')], actions: GET },
        { keys: regionalRecords('LOANIDX'), actions: ['GetItem', 'PutItem', 'UpdateItem'] },
        { keys: regionalRecords('RENOVATION'), actions: GET_UPDATE },
        { keys: regionalRecords('STATS'), actions: ['Query', 'UpdateItem'] },
        // a returned payout (退票) releases the caps it counted against
        {
          keys: [regionalRecords('PROPERTY'), regionalRecords('PROPFEE'), regionalRecords('REPAYCOVER')],
          actions: ['UpdateItem'],
        },
        WORK_QUEUE,
      ],
      // a withdrawal sent back after review goes to the account centre's worker as a message
      inboxes: ['SendMessage'],
    },
    // a withdrawal sent back after review goes to the account centre's worker as a message
  },
  {
    // The property register (网签备案): paper records entered by the property city's staff, four eyes.
    id: 'property-register',
    entry: 'functions/property-register/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/staff/property-records', access: ['staff'], idempotent: true },
      { method: 'GET', path: '/v1/staff/property-records/{onlineSigningNo}', access: ['staff'] },
      {
        method: 'POST',
        path: '/v1/staff/property-records/{onlineSigningNo}/confirmation',
        access: ['staff'],
        idempotent: true,
      },
      {
        method: 'POST',
        path: '/v1/staff/property-records/{onlineSigningNo}/cancellation',
        access: ['staff'],
      },
    ],
    capabilities: {
      table: [
        centre('GetItem', 'PutItem', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('PROPERTY'), actions: GET },
      ],
      // buyers are stored as person keys
      idHashSecret: true,
    },
    // buyers are stored as person keys
  },
  {
    // Joint enforcement (issue 12): records and lifts by two staff, the region-wide look-up for a case
    // in hand, and what the citizen can see of what the region knows and did about them.
    id: 'enforcement',
    entry: 'functions/enforcement/handler.ts',
    routes: [
      { method: 'POST', path: '/v1/staff/enforcement-records', access: ['staff'], idempotent: true },
      { method: 'GET', path: '/v1/staff/enforcement-records', access: ['staff'] },
      { method: 'GET', path: '/v1/staff/enforcement-records/{id}', access: ['staff'] },
      {
        method: 'POST',
        path: '/v1/staff/enforcement-records/{id}/confirmation',
        access: ['staff'],
        idempotent: true,
      },
      {
        method: 'POST',
        path: '/v1/staff/enforcement-records/{id}/lift',
        access: ['staff'],
        idempotent: true,
      },
      {
        method: 'POST',
        path: '/v1/staff/enforcement-records/{id}/lift/confirmation',
        access: ['staff'],
        idempotent: true,
      },
      { method: 'POST', path: '/v1/staff/enforcement-lookups', access: ['staff'] },
      { method: 'GET', path: '/v1/staff/risk-cases', access: ['staff'] },
      { method: 'GET', path: '/v1/me/restrictions', access: ['citizen'] },
      { method: 'GET', path: '/v1/me/disclosures', access: ['citizen'] },
    ],
    capabilities: {
      table: [
        centre('GetItem', 'PutItem', 'Query', 'UpdateItem'),
        IDEMPOTENCY_KEYS,
        { keys: regionalRecords('VIOLATION'), actions: GET_UPDATE },
        { keys: regionalRecords('EMPFLAG'), actions: ['UpdateItem'] },
        { index: 'GSI1', keys: 'DISCLOSED#', actions: ['Query'] },
      ],
      // subjects are stored as person keys; the citizen's routes key the caller
      idHashSecret: true,
    },
    // subjects are stored as person keys; the citizen's routes key the caller
  },
  {
    id: 'staff-ping',
    entry: 'functions/staff-ping/handler.ts',
    routes: [{ method: 'POST', path: '/v1/staff/ping/{city}', access: ['staff'] }],
    capabilities: { table: [centre('GetItem')], inboxes: ['SendMessage'] },
    // waits for the pong (DEFAULT_PING_DEADLINE_MS) plus sending time
    timeoutSeconds: 15,
  },
];

/**
 * One queue consumer per centre, fed by that centre's inbox (SQS event source).
 *
 * Concurrency budget: each inbox's event source runs at most `maxConcurrency` workers at once, so a
 * burst in one centre (a remittance day, a bulk re-send) holds at most 10 × 5 = 50 of the account's
 * Lambda concurrency and cannot starve the other nine centres or the API; SQS keeps the rest queued.
 * API functions get no reserved concurrency: reserving would carve a fixed share out of the same
 * pool for each of them, idle most of the time, and cap each one at its share under a real peak;
 * the stage throttles (and the route throttles) bound them instead.
 *
 * No batching window: a loan decision crosses two inboxes (request, then reply), so a window of
 * w seconds adds up to 2w to every decision; SQS long polling already hands over whatever batch
 * (up to `batchSize`) is waiting.
 */
export const CENTRE_WORKER = {
  id: 'centre-worker',
  entry: 'functions/centre-worker/handler.ts',
  timeoutSeconds: 30,
  memoryMb: 512,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  /** Lambda's SQS event source accepts 2–1000. */
  maxConcurrency: 5,
  /**
   * Its own centre's records (`{city}` is the worker's city: IAM pins it) and, of the regional
   * records, exactly what its decisions need; replies and requests to any inbox. It receives from
   * its own inbox through the event source (which grants that), never in code.
   */
  capabilities: {
    table: [
      { keys: centreRecords(), actions: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'] },
      // the regional loan index: read for a decision, reserved (conditional put) by an approval
      { keys: regionalRecords('LOANIDX'), actions: GET_PUT },
      // joint-enforcement records about a person (`R#VIOLATION#<personKey>`): read when deciding or
      // answering for deposit facts; written only by the recording centre's staff (API)
      { keys: regionalRecords('VIOLATION'), actions: GET },
      // employers flagged by joint-enforcement records (欠缴): read when answering for deposit facts
      { keys: regionalRecords('EMPFLAG'), actions: GET },
      // a property's purchase withdrawals by all its buyers: read, then added to (conditional update)
      { keys: regionalRecords('PROPERTY'), actions: GET_UPDATE },
      // what repay-a-loan withdrawals from every centre covered of each repayment: read, then added to
      { keys: regionalRecords('REPAYCOVER'), actions: GET_UPDATE },
      // the last renovation payout per home (装修提取) and property fees per home and fee year
      // (物业费提取): read, then written once per period (conditional put)
      { keys: regionalRecords('RENOVATION'), actions: GET_PUT },
      { keys: regionalRecords('PROPFEE'), actions: GET_PUT },
    ],
    inboxes: ['SendMessage'],
  } satisfies Capabilities as Capabilities,
} as const;

export interface ScheduledJobDeclaration {
  id: string;
  entry: string;
  /** EventBridge cron in UTC (Beijing time is UTC+8). */
  scheduleUtc: { minute: string; hour: string; day?: string; month?: string; weekDay?: string };
  capabilities: Capabilities;
  timeoutSeconds: number;
  /** The local region runs the job on this interval too (jobs without it run only by their npm command). */
  localIntervalSeconds?: number;
  /** The job fans out: its schedule runs the dispatcher, its work queue feeds chunks to the function. */
  fanOut?: JobFanOutDeclaration;
}

/**
 * Jobs that fan out (issue 17): the scheduled rule invokes the job's function with the schedule's
 * event, and the function dispatches (one message per centre and chunk to the job's work queue);
 * the work queue's event source invokes the same function with chunks (one bundle, one role). A
 * chunk is idempotent (each account or loan posts under its own guard), so SQS's at-least-once
 * delivery and retries post nothing twice; a chunk that keeps failing lands in the job's DLQ.
 */
export interface JobFanOutDeclaration {
  /** Accounts (or loans) per chunk: one chunk stays well inside `chunkTimeoutSeconds`. */
  chunkSize: number;
  /** Chunks per invocation (processed in parallel, failures reported per chunk). */
  batchSize: number;
  /** Workers at once on the work queue (item 2's budget; Lambda's SQS event source accepts 2–1000). */
  maxConcurrency: number;
  /** Receives before a chunk moves to the job's dead-letter queue. */
  maxReceiveCount: number;
}

/** The work queue of a job that fans out, and its dead-letter queue. */
export function jobQueueName(prefix: string, jobId: string): string {
  return `${prefix}job-${jobId}`;
}
export function jobDeadLetterQueueName(prefix: string, jobId: string): string {
  return `${prefix}job-${jobId}-dlq`;
}
export function fanOutOf(jobId: string): JobFanOutDeclaration {
  const fanOut = SCHEDULED_JOBS.find((job) => job.id === jobId)?.fanOut;
  if (!fanOut) throw new Error(`job ${jobId} is not declared to fan out`);
  return fanOut;
}
/** At least six times the function timeout, as for the inboxes (AWS's guidance for SQS event sources). */
export function jobVisibilityTimeoutSeconds(job: ScheduledJobDeclaration): number {
  return 6 * job.timeoutSeconds;
}

export const SCHEDULED_JOBS: readonly ScheduledJobDeclaration[] = [
  {
    // 结息: interest for the year to 30 June, posted at 00:30 Beijing time on 1 July (16:30 UTC on 30 June).
    id: 'settle-interest',
    entry: 'functions/settle-interest/handler.ts',
    scheduleUtc: { minute: '30', hour: '16', day: '30', month: '6' },
    capabilities: {
      table: [centre('GetItem', 'PutItem', 'Query', 'UpdateItem')],
      // the dispatch, onto the job's own work queue
      workQueue: ['SendMessage'],
    },
    // one chunk of 200 accounts (about 5 reads and a transaction each), or the dispatch
    timeoutSeconds: 300,
    // 10 centres × ceil(accounts / 200) chunks, 20 at a time: 1,000,000 accounts ≈ 5,000 chunks
    fanOut: { chunkSize: 200, batchSize: 5, maxConcurrency: 20, maxReceiveCount: 5 },
  },
  {
    // Re-sends facts requests not answered, moves applications past their facts deadline to staff, and
    // finishes the postings of approved back-pays and of base adjustments a crash interrupted; fanned
    // out per centre and page of its applications awaiting facts (chunks of two runs may overlap: every
    // step is a conditional write, shared/jobs/loan-sweep.ts).
    id: 'loan-sweep',
    entry: 'functions/loan-sweep/handler.ts',
    scheduleUtc: { minute: '0/5', hour: '*' },
    capabilities: {
      // DeleteItem: a finished base adjustment's marker (it holds the employer's remittances back)
      table: [centre('BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'), WORK_QUEUE],
      inboxes: ['SendMessage'],
      // the dispatch, and each page's message for the next page
      workQueue: ['SendMessage'],
    },
    // one page of 50 applications (a read, a send and a write each), or the dispatch
    timeoutSeconds: 240,
    localIntervalSeconds: 30,
    fanOut: { chunkSize: 50, batchSize: 5, maxConcurrency: 10, maxReceiveCount: 5 },
  },
  {
    // Open applications past their committed deadline: per centre, a metric by city (and item code), alarmed on.
    id: 'committed-time-sweep',
    entry: 'functions/committed-time-sweep/handler.ts',
    scheduleUtc: { minute: '15', hour: '*' },
    capabilities: {
      // its work queues' overdue part, and each centre's chunk record (done once)
      table: [WORK_QUEUE, { keys: centreRecords('JOBRUN'), actions: GET_PUT }],
      workQueue: ['SendMessage'],
    },
    timeoutSeconds: 120,
    localIntervalSeconds: 300,
    // one chunk a centre (its overdue part read whole: the work queues sort by deadline)
    fanOut: { chunkSize: 1, batchSize: 5, maxConcurrency: 5, maxReceiveCount: 5 },
  },
  {
    // Provisional committed deadlines recomputed on the holiday notices in force, 01:10 Beijing time daily.
    id: 'deadline-recompute',
    entry: 'functions/deadline-recompute/handler.ts',
    scheduleUtc: { minute: '10', hour: '17' },
    capabilities: { table: [centre('GetItem', 'UpdateItem'), WORK_QUEUE] },
    timeoutSeconds: 300,
    localIntervalSeconds: 3600,
  },
  {
    // Monthly loan repayments (月还款), 02:00 Beijing time on the 1st (18:00 UTC on the last day before).
    id: 'post-repayments',
    entry: 'functions/post-repayments/handler.ts',
    scheduleUtc: { minute: '0', hour: '18', day: 'L' },
    capabilities: {
      table: [centre('GetItem', 'PutItem', 'Query', 'UpdateItem')],
      // the dispatch, and each page's message for the next page
      workQueue: ['SendMessage'],
    },
    // one page of 100 loans, or the dispatch
    timeoutSeconds: 300,
    fanOut: { chunkSize: 100, batchSize: 5, maxConcurrency: 20, maxReceiveCount: 5 },
  },
];

/** A job run by hand, once (a migration): a function of its own with its own role, never scheduled. */
export interface OneOffJobDeclaration {
  id: string;
  entry: string;
  capabilities: Capabilities;
  timeoutSeconds: number;
}

export const ONE_OFF_JOBS: readonly OneOffJobDeclaration[] = [
  {
    // Bank account numbers stored in clear before encryption: encrypted in place, once (README).
    id: 'bank-account-migration',
    entry: 'functions/bank-account-migration/handler.ts',
    capabilities: {
      table: [centre('GetItem', 'UpdateItem'), WORK_QUEUE],
      idHashSecret: true,
      bankAccountKey: ['GenerateDataKey'],
    },
    timeoutSeconds: 900,
  },
];

/** The queue names of a centre's inbox and its dead-letter queue (a prefix keeps test runs apart). */
export function inboxQueueName(prefix: string, city: CityCode): string {
  return `${prefix}inbox-${city}`;
}
export function deadLetterQueueName(prefix: string, city: CityCode): string {
  return `${prefix}inbox-${city}-dlq`;
}
/** Messages move to the DLQ after this many receives. */
export const INBOX_MAX_RECEIVE_COUNT = 5;

/** `METHOD /path` as API Gateway writes `routeKey`. */
export function routeKey(route: Pick<RouteDeclaration, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The route a handler is serving, by the event's routeKey. */
export function findRoute(key: string): { handler: HandlerDeclaration; route: RouteDeclaration } | undefined {
  for (const handler of HTTP_HANDLERS) {
    for (const route of handler.routes) {
      if (routeKey(route) === key) return { handler, route };
    }
  }
  return undefined;
}
