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
import { getLoan } from '../../shared/loans/disburse.js';
import { loanKey } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { asJob } from '../support/jobs.js';
import { RUNNING_LOAN_PRINCIPAL_FEN, runningLoan } from '../support/loans.js';

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
    expect(loan?.outstandingPrincipalFen).toBe(RUNNING_LOAN_PRINCIPAL_FEN - firstFour);
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
    expect(loan?.outstandingPrincipalFen).toBe(
      RUNNING_LOAN_PRINCIPAL_FEN - (loan?.schedule[0]?.principalFen ?? 0),
    );
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
