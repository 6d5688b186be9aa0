/**
 * The sweep of a centre's open applications, loans and withdrawals (every 5 minutes in AWS; every
 * 30 s in the local region): a facts request that was never sent, or sent but not
 * answered for `resendAfterMs` (SWEEP_RESEND_AFTER_MS; the local region: its interval), is sent again (the same message: the receiver is idempotent);
 * an application past its facts deadline stops waiting and goes to staff review, naming the
 * centres that did not answer. So a crash between the write and the send, a lost message or a
 * silent centre never strands an application.
 */

import { CITIES, type CityCode } from '../config/cities.js';
import { sweepResendAfterMs } from '../config/runtime.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { transitionItem } from './kernel.js';
import { relayUnsent } from './outbox.js';
import { type ApplicationBase, parseRequestKey, type Reason, type RequestKey, workQueue } from './records.js';

/** The applicant's spouse never confirmed: the household cannot be judged, nothing of them is asked. */
const CONFIRMATION_MISSING: Reason = {
  code: 'SPOUSE_CONFIRMATION_MISSING',
  message: {
    'zh-CN': '配偶未在时限内登录确认（家庭情况须经配偶本人确认），已转人工审核；配偶确认后将继续办理。',
    en: 'Your spouse did not confirm with their own sign-in in time (the household is judged only once they confirm); passed to staff review, and taken up again when they confirm.',
  },
};

export const DEFAULT_RESEND_AFTER_MS = 2 * 60_000;

export interface SweepReport {
  city: CityCode;
  open: number;
  resent: number;
  toReview: number;
}

export interface SweepOptions {
  now?: Date;
  resendAfterMs?: number;
}

/** Every application of the centre awaiting facts (one page after another: see sweepListed). */
export async function sweepApplications(
  repository: CentreRepository,
  options: SweepOptions = {},
): Promise<SweepReport> {
  return sweepListed(repository, await workQueue(repository.city, 'awaiting_facts'), options);
}

/**
 * The listed applications (a page of the centre's work queue awaiting facts). Sweeps may overlap
 * (the fanned-out job's chunks of two runs, a chunk delivered twice): each step is a conditional
 * write, so an application goes to review once (its version) and a request is sent once per
 * resend interval (its `sentAt` claimed before the send: shared/applications/outbox.ts).
 */
export async function sweepListed(
  repository: CentreRepository,
  listed: readonly Pick<ApplicationBase, 'PK' | 'SK'>[],
  options: SweepOptions = {},
): Promise<SweepReport> {
  const now = options.now ?? new Date();
  const resendBefore = new Date(
    now.getTime() - (options.resendAfterMs ?? sweepResendAfterMs(DEFAULT_RESEND_AFTER_MS)),
  );
  const report: SweepReport = { city: repository.city, open: 0, resent: 0, toReview: 0 };
  // The index is eventually consistent: each application is read again before it is acted on.
  for (const entry of listed) {
    const application = await repository.get<ApplicationBase & Record<string, unknown>>(
      { PK: entry.PK, SK: entry.SK },
      { consistent: true },
    );
    if (application?.status !== 'awaiting_facts') continue;
    report.open += 1;
    if (now.toISOString() >= application.factsDeadline) {
      const missing = (Object.entries(application.requests) as [RequestKey, { answeredAt?: string }][])
        .filter(([, request]) => !request.answeredAt)
        .map(([key]) => key);
      // The applicant reads these: a silent centre asked about the spouse is not named (it would say
      // where the spouse holds an account); staff see every key in missingFactsFrom.
      const silent = [
        ...new Set(
          missing.map(parseRequestKey).flatMap(({ party, city }) => (party === 'applicant' ? [city] : [])),
        ),
      ];
      const spouseSilent = missing.some((key) =>
        ['spouse', 'coapplicant'].includes(parseRequestKey(key).party),
      );
      // The property city the applicant named, whose register did not answer on the record.
      const registerSilent = missing
        .map(parseRequestKey)
        .flatMap(({ party, city }) => (party === 'property' ? [city] : []));
      const names = silent.map((city) => `${CITIES[city].nameZh}（${CITIES[city].provinceZh}）`).join('、');
      const reasons: Reason[] = [
        ...(application.awaitsConfirmation === 'spouse-confirmation' ? [CONFIRMATION_MISSING] : []),
        ...(missing.length > 0
          ? [
              {
                code: 'FACTS_NOT_RECEIVED',
                message: {
                  'zh-CN': `${[
                    ...(silent.length > 0 ? [`${names}公积金中心`] : []),
                    ...(spouseSilent ? ['您配偶的缴存地公积金中心'] : []),
                    ...registerSilent.map((city) => `${CITIES[city].nameZh}的网签备案登记`),
                  ].join('及')}未在时限内反馈所需信息，已转人工审核。`,
                  en: `No answer in time from ${[
                    ...(silent.length > 0 ? [silent.map((c) => CITIES[c].nameEn).join(', ')] : []),
                    ...(spouseSilent ? ["the centres of your spouse's accounts"] : []),
                    ...registerSilent.map((city) => `the property register of ${CITIES[city].nameEn}`),
                  ].join(' and ')}; passed to staff review.`,
                },
              },
            ]
          : []),
      ];
      // Every answer in, nothing awaited, still undecided: the automatic decision itself kept failing.
      if (reasons.length === 0) {
        reasons.push({
          code: 'DECISION_NOT_COMPLETED',
          message: {
            'zh-CN': '自动审核未能在时限内完成，已转人工审核。',
            en: 'The automatic decision could not be completed in time; passed to staff review.',
          },
        });
      }
      try {
        await repository.update(
          transitionItem(
            application,
            'review',
            'sweep',
            now,
            { reasons, missingFactsFrom: missing },
            'facts deadline passed',
          ),
        );
        report.toReview += 1;
      } catch (error) {
        // A reply decided it meanwhile: nothing to do.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      continue;
    }
    report.resent += await relayUnsent(repository, application, now, resendBefore);
  }
  if (report.resent > 0 || report.toReview > 0) logger.info('loan applications swept', { ...report });
  return report;
}
