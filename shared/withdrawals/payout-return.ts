/**
 * A payout the bank returned (退票: a closed or wrong account), recorded by the account centre's
 * staff from the bank's notice, four eyes: one staff member records the return (the payout is then
 * `return_pending`), a second confirms it, and in that one transaction, once:
 * - the payout record is `returned`;
 * - the amount is credited back to the account (an `adjustment` entry `PAYOUT-RETURNED#<id>`, value
 *   date the day it is confirmed: the money was at the bank until then);
 * - what the withdrawal counted against is released: a purchase's property tally
 *   (`R#PROPERTY#…`), a repay-a-loan withdrawal's repayment covers (`R#REPAYCOVER#…`), a rent
 *   withdrawal's period tally (`C#A#RENT#…`), a renovation's last payout for the home (`R#RENOVATION#…`,
 *   back to the one before) or a property-fee payout for the home's year (`R#PROPFEE#…`);
 * - the withdrawal records the return (it stays `paid`: it was decided and paid out; the money came back).
 * A closing withdrawal's account is closed (and so is one closed since): its return is not handled
 * here (refused).
 */

import { auditItem } from '../applications/audit.js';
import { type Staff, staffActor } from '../applications/kernel.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import { getPersonalAccount } from '../deposits/store.js';
import { DomainError } from '../errors/domain-error.js';
import type { StoredBankAccount } from '../identity/bank-account.js';
import { postingsItems } from '../ledger/ledger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import {
  coverAllocation,
  getWithdrawal,
  payoutKey,
  propertyFeeKey,
  propertyKey,
  renovationKey,
  rentTallyKey,
  repaymentCoverKey,
  type WithdrawalRecord,
  withdrawalKey,
} from './withdrawals.js';

export interface PayoutRecord {
  PK: string;
  SK: 'PAYOUT';
  withdrawalId: string;
  amountFen: number;
  status: 'instructed' | 'return_pending' | 'returned';
  instructedAt: string;
  /** The payee's account as the withdrawal stored it (encrypted, masked, hashed). */
  bankAccount: StoredBankAccount;
  /** The bank's notice of the return, as the first staff member recorded it. */
  returnNotice?: { bankReference: string; reason: string; recordedBy: string; recordedAt: string };
  returnedAt?: string;
  returnConfirmedBy?: string;
}

export async function getPayout(
  repository: CentreRepository,
  withdrawalId: string,
): Promise<PayoutRecord | undefined> {
  return repository.get<PayoutRecord & Record<string, unknown>>(payoutKey(repository.city, withdrawalId), {
    consistent: true,
  });
}

async function load(repository: CentreRepository, withdrawalId: string) {
  const [withdrawal, payout] = await Promise.all([
    getWithdrawal(repository, withdrawalId),
    getPayout(repository, withdrawalId),
  ]);
  if (!withdrawal || !payout || withdrawal.status !== 'paid') throw new DomainError('NOT_FOUND');
  return { withdrawal, payout };
}

/** The first staff member records the bank's notice that the payout came back. */
export async function recordPayoutReturn(
  repository: CentreRepository,
  withdrawalId: string,
  notice: { bankReference: string; reason: string },
  staff: Staff,
  now: Date,
): Promise<PayoutRecord> {
  const { withdrawal, payout } = await load(repository, withdrawalId);
  if (withdrawal.type === 'retirement' || withdrawal.type === 'emigration') {
    throw new DomainError('PAYOUT_RETURN_NOT_SUPPORTED');
  }
  if (payout.status !== 'instructed')
    throw new DomainError('PAYOUT_NOT_RETURNABLE', { payoutStatus: payout.status });
  const returnNotice = { ...notice, recordedBy: staffActor(staff), recordedAt: now.toISOString() };
  try {
    await repository.transactWrite([
      {
        Update: {
          Key: payoutKey(repository.city, withdrawalId),
          UpdateExpression: 'SET #status = :pending, returnNotice = :notice',
          ConditionExpression: '#status = :instructed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'return_pending',
            ':instructed': 'instructed',
            ':notice': returnNotice,
          },
        },
      },
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        application: withdrawal,
        action: 'record-payout-return',
        amountFen: payout.amountFen,
        reason: notice.reason,
      }),
    ]);
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new DomainError('PAYOUT_NOT_RETURNABLE');
    throw error;
  }
  return { ...payout, status: 'return_pending', returnNotice };
}

/** What the withdrawal counted against, released by the returned amount. */
function releaseItems(
  withdrawal: WithdrawalRecord,
  amountFen: number,
  /** Whether the home's renovation guard still names this payout as its last one. */
  renovationStillLast: boolean,
): TransactItem[] {
  const details = (withdrawal.decision as { details?: Record<string, unknown> } | undefined)?.details ?? {};
  if (withdrawal.request.type === 'purchase') {
    const property = details.property as { city: CityCode; onlineSigningNo: string };
    return [
      {
        Update: {
          Key: propertyKey(property.city, property.onlineSigningNo),
          UpdateExpression: 'ADD withdrawnFen :minus DELETE paidBy :paid',
          ConditionExpression: 'withdrawnFen >= :amount',
          ExpressionAttributeValues: {
            ':minus': -amountFen,
            ':amount': amountFen,
            ':paid': new Set([`${withdrawal.city}#${withdrawal.applicationId}`]),
          },
        },
      },
    ];
  }
  if (withdrawal.request.type === 'offsite-repay') {
    const { loanCity } = withdrawal.request;
    const { loanId, counted } = details as {
      loanId: string;
      counted: { id: string; uncoveredFen: number }[];
    };
    return coverAllocation(counted, amountFen).map(({ repaymentId, coverFen }) => ({
      Update: {
        Key: repaymentCoverKey(loanCity, loanId, repaymentId),
        UpdateExpression: 'ADD coveredFen :minus DELETE withdrawals :withdrawal',
        ConditionExpression: 'coveredFen >= :cover',
        ExpressionAttributeValues: {
          ':minus': -coverFen,
          ':cover': coverFen,
          ':withdrawal': new Set([`${withdrawal.city}/${withdrawal.applicationId}`]),
        },
      },
    }));
  }
  const paidBy = `${withdrawal.city}/${withdrawal.applicationId}`;
  if (withdrawal.request.type === 'rent') {
    const { period } = details.rent as { period: string };
    return [
      {
        Update: {
          Key: rentTallyKey(withdrawal.city, withdrawal.personKey, period),
          UpdateExpression: 'ADD withdrawnFen :minus DELETE withdrawals :withdrawal',
          ConditionExpression: 'withdrawnFen >= :amount',
          ExpressionAttributeValues: {
            ':minus': -amountFen,
            ':amount': amountFen,
            ':withdrawal': new Set([paidBy]),
          },
        },
      },
    ];
  }
  if (withdrawal.request.type === 'renovation') {
    // A later payout for the home (after its period) is the home's last now: its period stands.
    if (!renovationStillLast) return [];
    const { property } = withdrawal.request;
    const { lastPaidOnSeen } = details.renovation as { lastPaidOnSeen?: string };
    return [
      {
        Update: {
          Key: renovationKey(property.city, property.onlineSigningNo),
          // The home's period runs again from the payout before this one, if any.
          UpdateExpression: lastPaidOnSeen
            ? 'SET lastPaidOn = :previous REMOVE withdrawal, previousLastPaidOn'
            : 'REMOVE lastPaidOn, withdrawal',
          // Only while this payout is still the home's last one.
          ConditionExpression: 'withdrawal = :withdrawal',
          ExpressionAttributeValues: {
            ':withdrawal': paidBy,
            ...(lastPaidOnSeen ? { ':previous': lastPaidOnSeen } : {}),
          },
        },
      },
    ];
  }
  if (withdrawal.request.type === 'property-fee') {
    const { property, feeNotice } = withdrawal.request;
    return [
      {
        Update: {
          Key: propertyFeeKey(property.city, property.onlineSigningNo, feeNotice.feeYear),
          UpdateExpression: 'REMOVE paidOn, withdrawal',
          ConditionExpression: 'withdrawal = :withdrawal',
          ExpressionAttributeValues: { ':withdrawal': paidBy },
        },
      },
    ];
  }
  return [];
}

/** Whether a renovation withdrawal's payout is still the last one its home's guard records. */
async function renovationStillLast(repository: CentreRepository, withdrawal: WithdrawalRecord) {
  if (withdrawal.request.type !== 'renovation') return false;
  const { property } = withdrawal.request;
  const guard = await repository.get(renovationKey(property.city, property.onlineSigningNo), {
    consistent: true,
  });
  return guard?.withdrawal === `${withdrawal.city}/${withdrawal.applicationId}`;
}

/** A second staff member confirms the return: credited back and released, in one transaction, once. */
export async function confirmPayoutReturn(
  repository: CentreRepository,
  withdrawalId: string,
  staff: Staff,
  now: Date,
): Promise<PayoutRecord> {
  return withOptimisticRetry(async () => {
    const { withdrawal, payout } = await load(repository, withdrawalId);
    if (payout.status !== 'return_pending' || !payout.returnNotice) {
      throw new DomainError('NOT_PENDING_CONFIRMATION', { payoutStatus: payout.status });
    }
    if (payout.returnNotice.recordedBy === staffActor(staff)) throw new DomainError('OWN_DECISION');
    const account = await getPersonalAccount(repository, withdrawal.personalAccountNo);
    if (!account) throw new Error(`withdrawal ${withdrawalId}: account not found`);
    // Closed since (a later closing withdrawal): nothing to credit it back to here.
    if (account.status === 'closed') throw new DomainError('PAYOUT_RETURN_NOT_SUPPORTED');
    const at = now.toISOString();
    const returned = { returnedAt: at, returnConfirmedBy: staffActor(staff) };
    await repository.transactWrite([
      {
        Update: {
          Key: payoutKey(repository.city, withdrawalId),
          UpdateExpression: 'SET #status = :returned, returnedAt = :at, returnConfirmedBy = :by',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':returned': 'returned',
            ':pending': 'return_pending',
            ':at': at,
            ':by': returned.returnConfirmedBy,
          },
        },
      },
      ...postingsItems(
        repository.city,
        account,
        [
          {
            reference: `PAYOUT-RETURNED#${withdrawalId}`,
            kind: 'adjustment',
            amountFen: payout.amountFen,
            valueDate: toBeijingDate(now),
            postedAt: at,
            details: { withdrawalId, bankReference: payout.returnNotice.bankReference },
          },
        ],
        { allowedStatuses: ['normal', 'sealed'] },
      ),
      ...releaseItems(withdrawal, payout.amountFen, await renovationStillLast(repository, withdrawal)),
      {
        Update: {
          Key: withdrawalKey(repository.city, withdrawalId),
          UpdateExpression: 'SET payoutReturned = :returned',
          ConditionExpression: 'attribute_not_exists(payoutReturned)',
          ExpressionAttributeValues: {
            ':returned': {
              amountFen: payout.amountFen,
              returnedAt: at,
              bankReference: payout.returnNotice.bankReference,
            },
          },
        },
      },
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        application: withdrawal,
        action: 'confirm-payout-return',
        amountFen: payout.amountFen,
        decidedBy: payout.returnNotice.recordedBy,
      }),
    ]);
    return { ...payout, status: 'returned' as const, ...returned };
  });
}
