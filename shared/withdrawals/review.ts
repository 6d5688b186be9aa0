/**
 * Staff decisions on a withdrawal waiting for review (own centre): reject it with a reason the
 * applicant reads, or send it back to be decided — after recording the employment fact that was
 * missing (which women's retirement age applies), or to ask a silent centre again with a new
 * deadline. Money only ever moves in the worker's decision (decideWithdrawal), never here.
 */
import { replyDeadlineMs } from '../config/runtime.js';
import { HttpProblem } from '../http/problem.js';
import { DEFAULT_FACTS_DEADLINE_MS, relayUnsent } from '../loans/apply.js';
import { transitionItem } from '../loans/decide.js';
import type { Reason } from '../persistence/applications.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { ACCOUNT_SK, personalAccountPartition } from '../persistence/ledger.js';
import { decideWithdrawal, getWithdrawal, type WithdrawalRecord } from './withdrawals.js';

export interface WithdrawalReview {
  outcome: 'approve' | 'reject';
  reason?: Reason;
  womanRetirementCategory?: 'age55' | 'age50';
  by: string;
}

export async function reviewWithdrawal(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  review: WithdrawalReview,
  now = new Date(),
): Promise<WithdrawalRecord | undefined> {
  if (review.outcome === 'reject') {
    if (!review.reason) {
      throw HttpProblem.of('VALIDATION_FAILED', {
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
  const factsDeadline = new Date(now.getTime() + replyDeadlineMs(DEFAULT_FACTS_DEADLINE_MS)).toISOString();
  await repository.update(
    transitionItem(
      withdrawal,
      'awaiting_facts',
      review.by,
      now,
      { factsDeadline, reasons: [] },
      'sent back to be decided',
    ),
  );
  const reopened = await getWithdrawal(repository, withdrawal.applicationId);
  if (!reopened) return undefined;
  if (Object.values(reopened.requests).every((r) => r?.answeredAt)) {
    await decideWithdrawal(repository, reopened.applicationId, now);
  } else {
    // Ask the silent centre again now (resendBefore = now: every unanswered request goes).
    await relayUnsent(repository, reopened, now, now);
  }
  return getWithdrawal(repository, withdrawal.applicationId);
}
