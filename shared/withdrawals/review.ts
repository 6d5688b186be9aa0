/**
 * Staff decisions on a withdrawal waiting for review (own centre): reject it with a reason the
 * applicant reads, or send it back to be decided — after recording the employment fact that was
 * missing (which women's retirement age applies), or to ask a silent centre again with a new
 * deadline. Money only ever moves in the account centre worker's decision, never here: a sent-back
 * withdrawal reaches it as a new message in its inbox.
 */

import type { Reason } from '../applications/records.js';
import { replyDeadlineMs } from '../config/runtime.js';
import { DomainError } from '../errors/domain-error.js';
import { ACCOUNT_SK, personalAccountPartition } from '../ledger/ledger.js';
import { DEFAULT_FACTS_DEADLINE_MS, relayUnsent } from '../loans/apply.js';
import { transitionItem } from '../loans/decide.js';
import { newMessage } from '../messaging/envelope.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { getWithdrawal, type WithdrawalRecord } from './withdrawals.js';

export interface WithdrawalReview {
  outcome: 'approve' | 'reject';
  reason?: Reason;
  womanRetirementCategory?: 'age55' | 'age50';
  by: string;
  correlationId: string;
}

export async function reviewWithdrawal(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  review: WithdrawalReview,
  now = new Date(),
): Promise<WithdrawalRecord | undefined> {
  if (review.outcome === 'reject') {
    if (!review.reason) {
      throw new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: 'reasonZh',
            code: 'REQUIRED',
            message: { 'zh-CN': '驳回须说明理由。', en: 'A rejection needs a reason.' },
          },
        ],
      });
    }
    await repository.update(
      transitionItem(withdrawal, 'rejected', review.by, now, { reasons: [review.reason] }),
    );
    return getWithdrawal(repository, withdrawal.applicationId);
  }
  if (review.womanRetirementCategory) {
    await repository.update({
      Key: { PK: personalAccountPartition(repository.city, withdrawal.personalAccountNo), SK: ACCOUNT_SK },
      UpdateExpression: 'SET womanRetirementCategory = :category',
      ExpressionAttributeValues: { ':category': review.womanRetirementCategory },
    });
  }
  const deadline = new Date(now.getTime() + replyDeadlineMs(DEFAULT_FACTS_DEADLINE_MS));
  // Every answer in (the review was about a missing fact): a fresh message to the centre's own
  // inbox hands the decision back to its worker. Otherwise the silent centre is asked again.
  const allAnswered = Object.values(withdrawal.requests).every((r) => r?.answeredAt);
  const requests = { ...withdrawal.requests };
  if (allAnswered) {
    const message = newMessage(
      'withdrawal-submitted',
      { from: repository.city, to: repository.city, correlationId: review.correlationId, deadline, now },
      { payload: { applicationId: withdrawal.applicationId } },
    );
    requests[repository.city] = { requestId: message.requestId, message: JSON.stringify(message) };
  }
  await repository.update(
    transitionItem(
      withdrawal,
      'awaiting_facts',
      review.by,
      now,
      { factsDeadline: deadline.toISOString(), reasons: [], requests },
      'sent back to be decided',
    ),
  );
  const reopened = await getWithdrawal(repository, withdrawal.applicationId);
  // resendBefore = now: every unanswered request goes, the new one and any a silent centre missed.
  if (reopened) await relayUnsent(repository, reopened, now, now);
  return getWithdrawal(repository, withdrawal.applicationId);
}
