/**
 * The capability guard (shared/capabilities/guard.ts) on the real declaration: a call outside the
 * running function's capabilities is refused with the function named, before anything is sent;
 * a call inside passes on (here to an endpoint that refuses connections); outside any function
 * nothing is checked. And the vocabulary's key matching, with a worker's `{city}` pinned.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CapabilityError, guardClient, runAsFunction } from '../../../shared/capabilities/guard.js';
import { configuredKeyRing } from '../../../shared/identity/bank-account.js';
import { personKey } from '../../../shared/identity/person-key.js';
import {
  allowingCapability,
  capabilityLines,
  keyMatches,
  keyShape,
} from '../../../shared/services/capabilities.js';
import {
  CENTRE_WORKER,
  HTTP_HANDLERS,
  IDEMPOTENCY_KEYS,
  SCHEDULED_JOBS,
} from '../../../shared/services/declaration.js';

const declared = (id: string) => {
  const handler = HTTP_HANDLERS.find((h) => h.id === id);
  if (!handler) throw new Error(`no handler ${id}`);
  return { id, capabilities: handler.capabilities };
};
const worker = (city: '320300' | '371300') => ({
  id: CENTRE_WORKER.id,
  capabilities: CENTRE_WORKER.capabilities,
  city,
});

// Nothing listens on port 9: a call the guard lets through fails on the network, not on the guard.
const nowhere = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', maxAttempts: 1 };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dynamo = new DynamoDBClient({ ...nowhere, credentials });
guardClient(dynamo, 'dynamodb');
const documents = DynamoDBDocumentClient.from(dynamo);
const sqs = new SQSClient({ ...nowhere, credentials });
guardClient(sqs, 'sqs');

const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'X' } });
/** The error a call ends with: the guard's, or the network's. */
const outcome = async (call: () => Promise<unknown>) => {
  try {
    await call();
    return 'sent';
  } catch (error) {
    return error instanceof CapabilityError ? `refused: ${error.message}` : 'passed the guard';
  }
};

const log = join(mkdtempSync(join(tmpdir(), 'hpf-caps-')), 'capabilities.log');
beforeAll(() => {
  process.env.HPF_TEST_CAPABILITY_LOG = log;
  process.env.ID_HMAC_SECRET ??= 'test-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET/0001';
  process.env.BANK_ACCOUNT_LOCAL_KEY ??= 'test-only/huaihai-hpf-hub/bank-account-key/NOT-A-SECRET/0001';
});
afterAll(() => {
  delete process.env.HPF_TEST_CAPABILITY_LOG;
  dynamo.destroy();
  sqs.destroy();
});

describe('the capability guard', () => {
  it('lets certificate-verify GetItem a certificate and refuses it a PutItem there, naming it', async () => {
    await runAsFunction(declared('certificate-verify'), async () => {
      expect(
        await outcome(() => dynamo.send(new GetItemCommand({ TableName: 't', Key: key('R#CERT#abc') }))),
      ).toBe('passed the guard');
      expect(
        await outcome(() =>
          dynamo.send(new PutItemCommand({ TableName: 't', Item: { ...key('R#CERT#abc'), x: { S: '1' } } })),
        ),
      ).toBe(
        'refused: certificate-verify may not make dynamodb PutItem R#CERT#: not among its declared capabilities',
      );
    });
  });

  it('refuses what the vocabulary does not know (a Scan) and a foreign record through the document client', async () => {
    await runAsFunction(declared('platform'), async () => {
      expect(await outcome(() => dynamo.send(new ScanCommand({ TableName: 't' })))).toMatch(
        /^refused: platform may not make dynamodb Scan/,
      );
      expect(
        await outcome(() =>
          documents.send(new GetCommand({ TableName: 't', Key: { PK: 'R#HEALTH', SK: 'HEALTH' } })),
        ),
      ).toBe('passed the guard');
      expect(
        await outcome(() =>
          documents.send(new GetCommand({ TableName: 't', Key: { PK: 'C#320300#ACCOUNT#1', SK: 'X' } })),
        ),
      ).toBe(
        'refused: platform may not make dynamodb GetItem C#{city}#ACCOUNT#: not among its declared capabilities',
      );
    });
  });

  it("pins a worker's {city} to its own: another centre's record in a transaction is refused", async () => {
    const transaction = (pk: string) =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 't', Item: { PK: 'C#320300#ACCOUNT#1', SK: 'X' } } },
            {
              Update: {
                TableName: 't',
                Key: { PK: pk, SK: 'X' },
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': 1 },
              },
            },
          ],
        }),
      );
    await runAsFunction(worker('320300'), async () => {
      expect(await outcome(() => transaction('C#320300#LEDGER#1'))).toBe('passed the guard');
      expect(await outcome(() => transaction('C#371300#LEDGER#1'))).toBe(
        'refused: centre-worker (320300) may not make dynamodb UpdateItem C#{city}#LEDGER#: not among its declared capabilities',
      );
      // the loan index may be read and reserved, never updated
      expect(
        await outcome(() => dynamo.send(new GetItemCommand({ TableName: 't', Key: key('R#LOANIDX#p') }))),
      ).toBe('passed the guard');
      expect(await outcome(() => transaction('R#LOANIDX#p'))).toMatch(/^refused: centre-worker \(320300\)/);
    });
  });

  it('lets platform ask the inboxes for their attributes and refuses it a message', async () => {
    await runAsFunction(declared('platform'), async () => {
      expect(
        await outcome(() =>
          sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: 'http://127.0.0.1:9/000000000000/hpf-inbox-320300' }),
          ),
        ),
      ).toBe('passed the guard');
      expect(
        await outcome(() =>
          sqs.send(
            new SendMessageCommand({
              QueueUrl: 'http://127.0.0.1:9/000000000000/hpf-inbox-320300',
              MessageBody: '{}',
            }),
          ),
        ),
      ).toBe('refused: platform may not make sqs SendMessage: not among its declared capabilities');
    });
  });

  it("lets a fanned-out job send (or batch-send) to its own work queue only, and refuses a handler's send there", async () => {
    const settle = SCHEDULED_JOBS.find((job) => job.id === 'settle-interest');
    if (!settle) throw new Error('no settle-interest job');
    const work = 'http://127.0.0.1:9/000000000000/hpf-job-settle-interest';
    const inbox = 'http://127.0.0.1:9/000000000000/hpf-inbox-320300';
    const batch = (QueueUrl: string) =>
      sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '0', MessageBody: '{}' }] }));
    await runAsFunction({ id: settle.id, capabilities: settle.capabilities }, async () => {
      expect(await outcome(() => batch(work))).toBe('passed the guard');
      expect(
        await outcome(() => sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: '{}' }))),
      ).toBe('passed the guard');
      expect(await outcome(() => batch(inbox))).toBe(
        'refused: settle-interest may not make sqs SendMessage: not among its declared capabilities',
      );
      // another job's work queue, and a dead-letter queue: not its own
      expect(await outcome(() => batch('http://127.0.0.1:9/000000000000/hpf-job-post-repayments'))).toBe(
        'refused: settle-interest may not make sqs SendMessage work-queue post-repayments: not among its declared capabilities',
      );
      expect(await outcome(() => batch(`${work}-dlq`))).toBe(
        'refused: settle-interest may not make sqs SendMessage (not an inbox nor a work queue): not among its declared capabilities',
      );
    });
    // a prefix that happens to contain "job-" does not make an inbox a work queue
    await runAsFunction(worker('371300'), async () => {
      expect(await outcome(() => batch('http://127.0.0.1:9/000000000000/hpf-job-demo-inbox-371300'))).toBe(
        'passed the guard',
      );
    });
    await runAsFunction(declared('loan-application'), async () => {
      expect(await outcome(() => batch(work))).toBe(
        'refused: loan-application may not make sqs SendMessage work-queue settle-interest: not among its declared capabilities',
      );
      expect(await outcome(() => batch(inbox))).toBe('passed the guard');
    });
  });

  it('refuses a query of an index the table does not have', async () => {
    await runAsFunction(declared('info-query'), async () => {
      expect(
        await outcome(() =>
          documents.send(
            new QueryCommand({
              TableName: 't',
              IndexName: 'GSI2',
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': 'C#320300#PACCT#1' },
            }),
          ),
        ),
      ).toBe(
        'refused: info-query may not make dynamodb Query on index GSI2 : not among its declared capabilities',
      );
    });
  });

  it('refuses the ID-hashing secret to a function that does not declare it', async () => {
    const idNumber = '110101199003070011';
    await expect(runAsFunction(declared('info-query'), () => personKey(idNumber))).resolves.toHaveLength(43);
    await expect(runAsFunction(declared('loan-calculator'), () => personKey(idNumber))).rejects.toThrow(
      'loan-calculator may not make secrets GetSecretValue',
    );
  });

  it('lets withdrawal generate data keys, never decrypt, and a worker neither', async () => {
    const context = { purpose: 'hpf-bank-account', city: '320300' } as const;
    const sealed = await runAsFunction(declared('withdrawal'), () => configuredKeyRing().generate(context));
    await expect(
      runAsFunction(declared('withdrawal'), () =>
        configuredKeyRing().decrypt(sealed.keyId, sealed.encrypted, context),
      ),
    ).rejects.toThrow('withdrawal may not make kms Decrypt (city 320300)');
    await expect(
      runAsFunction(worker('320300'), () => configuredKeyRing().generate(context)),
    ).rejects.toThrow(CapabilityError);
  });

  it('checks nothing outside a function (a test’s own setup, Lambda in AWS)', async () => {
    expect(await outcome(() => dynamo.send(new ScanCommand({ TableName: 't' })))).toBe('passed the guard');
  });

  it('notes what each function used and what it was refused, by key shape, never a key', () => {
    const notes = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(notes).toContainEqual({
      fn: 'certificate-verify',
      capability: 'dynamodb GetItem R#CERT#',
      call: 'dynamodb GetItem R#CERT#',
    });
    expect(notes).toContainEqual({ fn: 'certificate-verify', refused: 'dynamodb PutItem R#CERT#' });
    expect(readFileSync(log, 'utf8')).not.toContain('abc');
  });
});

describe('the capability vocabulary', () => {
  it('matches {city} to any centre for a function across centres, to its own for a worker', () => {
    expect(keyMatches('C#{city}#ACCOUNT#', 'C#371300#ACCOUNT#9')).toBe(true);
    expect(keyMatches('C#{city}#ACCOUNT#', 'C#999999#ACCOUNT#9')).toBe(false);
    expect(keyMatches('C#{city}#', 'C#371300#ACCOUNT#9', '320300')).toBe(false);
    expect(keyMatches('C#{city}#', 'C#320300#ACCOUNT#9', '320300')).toBe(true);
    expect(keyMatches('R#CERT#', 'R#CERTBUDGET#x')).toBe(false);
  });

  it('gives keys a shape without their ids', () => {
    expect(keyShape('C#320300#ACCOUNT#123#4')).toBe('C#{city}#ACCOUNT#');
    expect(keyShape('C#320300#IDEMP')).toBe('C#{city}#IDEMP');
    expect(keyShape('R#LOANIDX#personkey')).toBe('R#LOANIDX#');
    expect(keyShape('R#HEALTH')).toBe('R#HEALTH');
    expect(keyShape('PERSON#personkey')).toBe('PERSON#');
  });

  it('allows a kms call only for a city: the worker’s own when per city', () => {
    const caps = { bankAccountKey: ['Decrypt'] } as const;
    expect(allowingCapability(caps, { service: 'kms', action: 'Decrypt', city: '320300' }, '320300')).toBe(
      'kms Decrypt',
    );
    expect(
      allowingCapability(caps, { service: 'kms', action: 'Decrypt', city: '371300' }, '320300'),
    ).toBeUndefined();
  });

  it('lists every capability once as a line (what the suite expects some test to use)', () => {
    expect(
      capabilityLines({
        table: [{ keys: 'R#CERTBUDGET#', actions: ['GetItem', 'UpdateItem'] }],
        inboxes: ['GetQueueAttributes'],
        idHashSecret: true,
      }),
    ).toEqual([
      'dynamodb GetItem R#CERTBUDGET#',
      'dynamodb UpdateItem R#CERTBUDGET#',
      'sqs GetQueueAttributes',
      'secrets GetSecretValue',
    ]);
  });

  it('gives the Idempotency-Key records to exactly the handlers with an idempotent route', () => {
    for (const handler of HTTP_HANDLERS) {
      expect({
        id: handler.id,
        keys: handler.capabilities.table?.includes(IDEMPOTENCY_KEYS) ?? false,
      }).toEqual({
        id: handler.id,
        keys: handler.routes.some((r) => r.idempotent === true),
      });
    }
  });
});
