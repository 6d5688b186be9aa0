/**
 * The yearly interest settlement (结息) fanned out: the dispatcher reads each centre's account-number
 * counter (one GetItem a centre, no Scan) and writes one chunk per `chunkSize` accounts, all at
 * once, so the run takes as long as the slowest chunk times the chunks per worker: more workers
 * (the event source's maximum concurrency), not more time.
 */
import { CITY_CODES, type CityCode } from '../config/cities.js';
import { accountPages, assertYearEnded, settleInterestChunk } from '../deposits/interest.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { type DispatchedRun, type InterestChunk, newRunId, recordChunkDone, sendChunks } from './work.js';

export const SETTLE_INTEREST_JOB = 'settle-interest';

export async function dispatchSettlement(
  repositoryOf: (city: CityCode) => CentreRepository,
  settlementDate: string,
  chunkSize: number,
  now = new Date(),
  cities: readonly CityCode[] = CITY_CODES,
): Promise<DispatchedRun> {
  assertYearEnded(settlementDate, now);
  const runId = newRunId(now);
  const centres: DispatchedRun['centres'] = [];
  for (const city of cities) {
    const pages = await accountPages(repositoryOf(city), chunkSize);
    // a centre with no account still gets its one (empty, last) chunk: every run ends with a record
    const sent = pages.length > 0 ? pages : [{ first: 1, count: 0 }];
    const chunks: InterestChunk[] = sent.map((page, index) => ({
      job: 'settle-interest',
      runId,
      city,
      settlementDate,
      index,
      first: page.first,
      count: page.count,
      last: index === sent.length - 1,
    }));
    await sendChunks(chunks);
    centres.push({ city, chunks: chunks.length });
  }
  logger.info('interest settlement dispatched', { runId, settlementDate, centres });
  return { runId, centres };
}

export async function handleInterestChunk(
  repositoryOf: (city: CityCode) => CentreRepository,
  chunk: InterestChunk,
  now = new Date(),
): Promise<void> {
  const repository = repositoryOf(chunk.city);
  const report = await settleInterestChunk(
    repository,
    chunk.settlementDate,
    { first: chunk.first, count: chunk.count },
    now,
  );
  await recordChunkDone(repository, chunk, chunk.last, report, now);
}
