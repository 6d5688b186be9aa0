/**
 * recordApplicationOnce under faults DynamoDB Local does not produce: a transaction cancelled by a
 * conflict while the first write is still in flight (the replay finds nothing yet). The repository
 * is a stand-in that injects the fault; everything else is the real function.
 */
import { describe, expect, it } from '@jest/globals';
import { recordApplicationOnce } from '../../../shared/applications/outbox.js';
import type { ApplicationBase } from '../../../shared/applications/records.js';
import type { CentreRepository, TransactItem } from '../../../shared/persistence/centre-repository.js';

const application = {
  PK: 'C#320300#WITHDRAWAL#320300-W-0000000000000001',
  SK: 'APPLICATION',
  applicationId: '320300-W-0000000000000001',
  city: '320300',
  personKey: 'p-1',
  acceptedAt: '2026-12-01T08:00:00.000Z',
  agentOrgId: '320300-BANK-0001',
} as unknown as ApplicationBase;

function cancelled(code: string): Error {
  return Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: code }, { Code: 'None' }, { Code: 'None' }],
  });
}

function faultyRepository(faults: Error[]) {
  const written: TransactItem[][] = [];
  const repository = {
    city: '320300',
    async transactWrite(items: readonly TransactItem[]) {
      const fault = faults.shift();
      if (fault) throw fault;
      written.push([...items]);
    },
  } as unknown as CentreRepository;
  return { repository, written };
}

describe('recordApplicationOnce', () => {
  it('writes the application, its line in the person’s list and the agent’s in one transaction', async () => {
    const { repository, written } = faultyRepository([]);
    const recorded = await recordApplicationOnce(
      repository,
      application,
      async () => undefined,
      'WITHDRAWAL',
    );
    expect(recorded.replayed).toBe(false);
    expect(written).toHaveLength(1);
    expect(written[0]?.map((item) => item.Put?.Item?.PK)).toEqual([
      application.PK,
      'C#320300#PERSONAPP#320300-W-0000000000000001',
      'C#320300#AGENT#320300-BANK-0001',
    ]);
    expect(written[0]?.[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('a conflict while the first write is in flight is tried again, not answered as a failure', async () => {
    const { repository, written } = faultyRepository([cancelled('TransactionConflict')]);
    const recorded = await recordApplicationOnce(
      repository,
      application,
      async () => undefined,
      'WITHDRAWAL',
    );
    expect(recorded.replayed).toBe(false);
    expect(written).toHaveLength(1);
  });

  it('the application already written is answered as a replay', async () => {
    const first = { ...application, status: 'review' } as ApplicationBase;
    const { repository, written } = faultyRepository([cancelled('ConditionalCheckFailed')]);
    const recorded = await recordApplicationOnce(repository, application, async () => first, 'WITHDRAWAL');
    expect(recorded).toEqual({ replayed: true, application: first });
    expect(written).toHaveLength(0);
  });
});
