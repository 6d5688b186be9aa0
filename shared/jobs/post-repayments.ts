/**
 * Monthly repayments (月还款) fanned out: the dispatcher writes one chunk per centre (no read: a
 * centre's running loans have no counter to cut them by), and a chunk handler reads its page of the
 * centre's running loans, sends the next page's chunk before posting its own (the pages of a centre
 * overlap in time, one worker each), then posts. A chunk delivered twice sends its successor twice:
 * the successor posts nothing twice (each loan and month once) and records its chunk once.
 */
import { CITY_CODES, type CityCode } from '../config/cities.js';
import { activeLoansPage, assertMonthBegun, postLoans } from '../loans/repayments.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import {
  chunkDone,
  type DispatchedRun,
  newRunId,
  type RepaymentChunk,
  recordChunkDone,
  sendChunks,
} from './work.js';

export const POST_REPAYMENTS_JOB = 'post-repayments';

export async function dispatchRepayments(
  month: string,
  now = new Date(),
  cities: readonly CityCode[] = CITY_CODES,
): Promise<DispatchedRun> {
  const runId = newRunId(now);
  await sendChunks(cities.map((city) => ({ job: 'post-repayments', runId, city, month, index: 0 })));
  logger.info('repayments dispatched', { runId, month, centres: cities.length });
  return { runId, centres: cities.map((city) => ({ city, chunks: 1 })) };
}

export async function handleRepaymentChunk(
  repositoryOf: (city: CityCode) => CentreRepository,
  chunk: RepaymentChunk,
  chunkSize: number,
  now = new Date(),
): Promise<void> {
  const repository = repositoryOf(chunk.city);
  // before any read or send: a forged or mistyped month posts nothing and chains nothing
  assertMonthBegun(chunk.month, now);
  // a chunk already done (delivered again) sends no successor: its page may read differently now
  if (await chunkDone(repository, chunk)) return;
  const { loanIds, next } = await activeLoansPage(repository, {
    ...(chunk.after === undefined ? {} : { after: chunk.after }),
    limit: chunkSize,
  });
  if (next !== undefined) {
    await sendChunks([{ ...chunk, index: chunk.index + 1, after: next }]);
  }
  const report = await postLoans(repository, chunk.month, loanIds, now);
  await recordChunkDone(repository, chunk, next === undefined, report, now);
}
