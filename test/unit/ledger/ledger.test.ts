import { describe, expect, it } from '@jest/globals';
import {
  type AccountState,
  type LedgerPosting,
  postingItems,
  postingsItems,
} from '../../../shared/ledger/ledger.js';

const city = '320300';
const account: AccountState = { personalAccountNo: 'P0001', balanceFen: 100_000, version: 7 };
const PK = 'C#320300#PACCT#P0001';
const options = { allowedStatuses: ['normal', 'sealed'] };

const interest: LedgerPosting = {
  reference: 'INTEREST-TO-DATE#W1',
  kind: 'interest',
  amountFen: 1_234,
  valueDate: '2026-03-10',
  postedAt: '2026-03-10T02:00:00.000Z',
  details: { withdrawalId: 'W1' },
};
const closingDebit: LedgerPosting = {
  reference: 'WITHDRAWAL#W1',
  kind: 'withdrawal',
  amountFen: -101_234,
  valueDate: '2026-03-10',
  postedAt: '2026-03-10T02:00:00.000Z',
};

describe('postingsItems', () => {
  it('moves the account once and writes an entry and a guard per posting, balances running', () => {
    const items = postingsItems(city, account, [interest, closingDebit], {
      ...options,
      accountSet: { status: 'closed' },
    });
    expect(items).toEqual([
      {
        Update: {
          Key: { PK, SK: 'ACCOUNT' },
          UpdateExpression: 'SET #balance = :balance, #version = :version, #x0 = :x0',
          ConditionExpression: '#version = :expected AND #status IN (:s0, :s1)',
          ExpressionAttributeNames: {
            '#balance': 'balanceFen',
            '#version': 'version',
            '#status': 'status',
            '#x0': 'status',
          },
          ExpressionAttributeValues: {
            ':balance': 0,
            ':version': 9,
            ':expected': 7,
            ':x0': 'closed',
            ':s0': 'normal',
            ':s1': 'sealed',
          },
        },
      },
      {
        Put: {
          Item: {
            PK,
            SK: 'LEDGER#000000000008',
            personalAccountNo: 'P0001',
            version: 8,
            kind: 'interest',
            amountFen: 1_234,
            balanceAfterFen: 101_234,
            valueDate: '2026-03-10',
            postedAt: '2026-03-10T02:00:00.000Z',
            reference: 'INTEREST-TO-DATE#W1',
            details: { withdrawalId: 'W1' },
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          Item: { PK, SK: 'POSTED#INTEREST-TO-DATE#W1', ledgerSortKey: 'LEDGER#000000000008' },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          Item: {
            PK,
            SK: 'LEDGER#000000000009',
            personalAccountNo: 'P0001',
            version: 9,
            kind: 'withdrawal',
            amountFen: -101_234,
            balanceAfterFen: 0,
            valueDate: '2026-03-10',
            postedAt: '2026-03-10T02:00:00.000Z',
            reference: 'WITHDRAWAL#W1',
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          Item: { PK, SK: 'POSTED#WITHDRAWAL#W1', ledgerSortKey: 'LEDGER#000000000009' },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
  });

  it('refuses a balance below zero at an intermediate step, even if the last one is not', () => {
    // 100,000 − 101,234 < 0 before the interest that would cover it.
    expect(() => postingsItems(city, account, [closingDebit, interest], options)).toThrow(/below zero/);
  });

  it('refuses the same reference twice, a zero or fractional amount, and no posting', () => {
    expect(() => postingsItems(city, account, [interest, { ...interest, amountFen: 1 }], options)).toThrow(
      /share a reference/,
    );
    expect(() => postingsItems(city, account, [{ ...interest, amountFen: 0 }], options)).toThrow(RangeError);
    expect(() => postingsItems(city, account, [{ ...interest, amountFen: 1.5 }], options)).toThrow(
      RangeError,
    );
    expect(() => postingsItems(city, account, [], options)).toThrow(RangeError);
  });
});

describe('postingItems (one posting)', () => {
  it('writes the account update, the entry and the guard as before', () => {
    const items = postingItems(city, account, {
      ...closingDebit,
      amountFen: -40_000,
      details: { withdrawalId: 'W1' },
      accountSet: { status: 'closed', closedAt: '2026-03-10T02:00:00.000Z' },
      allowedStatuses: ['normal', 'sealed'],
    });
    expect(items).toEqual([
      {
        Update: {
          Key: { PK, SK: 'ACCOUNT' },
          UpdateExpression: 'SET #balance = :balance, #version = :version, #x0 = :x0, #x1 = :x1',
          ConditionExpression: '#version = :expected AND #status IN (:s0, :s1)',
          ExpressionAttributeNames: {
            '#balance': 'balanceFen',
            '#version': 'version',
            '#status': 'status',
            '#x0': 'status',
            '#x1': 'closedAt',
          },
          ExpressionAttributeValues: {
            ':balance': 60_000,
            ':version': 8,
            ':expected': 7,
            ':x0': 'closed',
            ':x1': '2026-03-10T02:00:00.000Z',
            ':s0': 'normal',
            ':s1': 'sealed',
          },
        },
      },
      {
        Put: {
          Item: {
            PK,
            SK: 'LEDGER#000000000008',
            personalAccountNo: 'P0001',
            version: 8,
            kind: 'withdrawal',
            amountFen: -40_000,
            balanceAfterFen: 60_000,
            valueDate: '2026-03-10',
            postedAt: '2026-03-10T02:00:00.000Z',
            reference: 'WITHDRAWAL#W1',
            details: { withdrawalId: 'W1' },
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          Item: { PK, SK: 'POSTED#WITHDRAWAL#W1', ledgerSortKey: 'LEDGER#000000000008' },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
  });

  it('still refuses a debit below zero', () => {
    expect(() =>
      postingItems(city, account, { ...closingDebit, amountFen: -100_001, allowedStatuses: ['normal'] }),
    ).toThrow(/below zero/);
  });
});
