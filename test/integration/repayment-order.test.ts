/**
 * Monthly repayments against forged, mistyped and repeated chunks (the attack review of the fanned-out
 * job): a month not yet begun posts nothing; instalments are posted in order, a missed month before a
 * later one; the same chunk three times at once posts once; a run whose chained pages shifted between
 * two deliveries is still reported done.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { CityCode } from '../../shared/config/cities.js';
import { handleRepaymentChunk } from '../../shared/jobs/post-repayments.js';
import { recordChunkDone, runProgress } from '../../shared/jobs/work.js';
import { rateForInstalment } from '../../shared/loans/decision-rule.js';
import { getLoan } from '../../shared/loans/disburse.js';
import { repaymentSchedule } from '../../shared/loans/schedule.js';
import { activeLoanLinkKey, loanKey } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { asJob } from '../support/jobs.js';

const PRINCIPAL_FEN = 30_000_000;

/** A running 10-year loan of `city` whose first instalment fell due in `firstDueMonth`, nothing paid. */
async function runningLoan(city: CityCode, firstDueMonth: string): Promise<string> {
  const loanId = `LNT-${randomBytes(6).toString('hex').toUpperCase()}`;
  const contractDate = '2026-01-15';
  const rate = rateForInstalment({
    contractDate,
    homeOrder: 'first',
    termMonths: 120,
    dueMonth: firstDueMonth,
  });
  const schedule = repaymentSchedule({
    principalFen: PRINCIPAL_FEN,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths: 120,
    method: 'equal-installment',
    firstDueMonth,
  }).instalments;
  const repository = centreRepository(city);
  await repository.put({
    ...loanKey(city, loanId),
    GSI1PK: `TEST#${loanId}`,
    GSI1SK: `LOAN#${city}#${loanId}`,
    loanId,
    applicationId: `APP-${loanId}`,
    personKey: `test-person-${loanId}`,
    city,
    offsite: false,
    principalFen: PRINCIPAL_FEN,
    outstandingPrincipalFen: PRINCIPAL_FEN,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    rateRuleVersion: rate.ruleVersion,
    homeOrder: 'first',
    termMonths: 120,
    contractTermMonths: 120,
    method: 'equal-installment',
    contractDate,
    firstDueMonth,
    status: 'active',
    schedule,
    paidInstalments: 0,
    disbursedAt: '2026-01-20T02:00:00.000Z',
    applicationToDisbursementMs: 1,
    version: 1,
  });
  await repository.put({ ...activeLoanLinkKey(city, loanId), loanId });
  return loanId;
}

const chunk = (city: CityCode, runId: string, month: string, index = 0) =>
  ({ job: 'post-repayments', runId, city, month, index }) as const;

const repaymentMonths = async (city: CityCode, loanId: string) =>
  (
    await centreRepository(city).query(loanKey(city, loanId).PK, {
      sortKeyCondition: 'begins_with(SK, :r)',
      ExpressionAttributeValues: { ':r': 'REPAYMENT#' },
      ConsistentRead: true,
    })
  ).items.map((item) => String(item.SK).slice('REPAYMENT#'.length));

describe('monthly repayments (月还款) against forged and repeated chunks', () => {
  it('refuses a month not yet begun before reading or posting anything', async () => {
    const city: CityCode = '370400';
    const loanId = await runningLoan(city, '2026-02');
    await expect(
      asJob('post-repayments', () =>
        handleRepaymentChunk(centreRepository, chunk(city, `future-${loanId}`, '2030-01'), 1000),
      ),
    ).rejects.toThrow(/2030-01 has not begun/);
    expect(await getLoan(centreRepository(city), loanId)).toMatchObject({ paidInstalments: 0, version: 1 });
    expect(await repaymentMonths(city, loanId)).toEqual([]);
  }, 60_000);

  it('posts a missed month before a later one, in order; the earlier month asked for afterwards is already paid', async () => {
    const city: CityCode = '370400';
    const loanId = await runningLoan(city, '2026-02');
    await asJob('post-repayments', () =>
      handleRepaymentChunk(centreRepository, chunk(city, `late-${loanId}`, '2026-05'), 1000),
    );
    const loan = await getLoan(centreRepository(city), loanId);
    const firstFour = (loan?.schedule ?? []).slice(0, 4).reduce((sum, i) => sum + i.principalFen, 0);
    expect(loan).toMatchObject({ paidInstalments: 4, lastPaidMonth: '2026-05' });
    expect(loan?.outstandingPrincipalFen).toBe(PRINCIPAL_FEN - firstFour);
    expect(await repaymentMonths(city, loanId)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05']);

    await asJob('post-repayments', () =>
      handleRepaymentChunk(centreRepository, chunk(city, `early-${loanId}`, '2026-02'), 1000),
    );
    expect(await getLoan(centreRepository(city), loanId)).toMatchObject({ paidInstalments: 4, version: 5 });
  }, 60_000);

  it('posts once when the same chunk is delivered three times at once', async () => {
    const city: CityCode = '371700';
    const loanId = await runningLoan(city, '2026-03');
    const same = chunk(city, `parallel-${loanId}`, '2026-03');
    await Promise.all(
      [1, 2, 3].map(() => asJob('post-repayments', () => handleRepaymentChunk(centreRepository, same, 1000))),
    );
    const loan = await getLoan(centreRepository(city), loanId);
    expect(loan).toMatchObject({ paidInstalments: 1, version: 2 });
    expect(loan?.outstandingPrincipalFen).toBe(PRINCIPAL_FEN - (loan?.schedule[0]?.principalFen ?? 0));
  }, 60_000);

  it('reports a run done when every chunk up to the furthest last is in, though two deliveries saw different pages', async () => {
    const city: CityCode = '320700';
    const repository = centreRepository(city);
    const runId = `shifted-${randomBytes(4).toString('hex')}`;
    const now = new Date();
    await recordChunkDone(repository, chunk(city, runId, '2026-03', 0), false, {}, now);
    // the first pass read a short page 1 (its last); the second a full one, and sent page 2
    await recordChunkDone(repository, chunk(city, runId, '2026-03', 1), true, {}, now);
    expect((await runProgress(repository, 'post-repayments', runId)).done).toBe(true);
    await recordChunkDone(repository, chunk(city, runId, '2026-03', 2), true, {}, now);
    expect((await runProgress(repository, 'post-repayments', runId)).done).toBe(true);
    // a gap before the furthest last: not done
    const gapped = `gapped-${randomBytes(4).toString('hex')}`;
    await recordChunkDone(repository, chunk(city, gapped, '2026-03', 0), false, {}, now);
    await recordChunkDone(repository, chunk(city, gapped, '2026-03', 2), true, {}, now);
    expect((await runProgress(repository, 'post-repayments', gapped)).done).toBe(false);
  }, 30_000);
});
