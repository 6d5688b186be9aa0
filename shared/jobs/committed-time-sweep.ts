/**
 * The committed-time sweep fanned out: one chunk per centre, each counting its centre's open
 * applications past their committed deadline (承诺办结时限) and publishing them as the centre's
 * metrics (the city a dimension). No chunk sums the region: CloudWatch does (the alarm's metric
 * math adds the ten centres' figures), so no chunk waits for the others and a centre whose chunk
 * is retried late delays only its own figure. A chunk publishes before it records itself done: a
 * crash between the two publishes the same count again, which the alarm's Maximum per period
 * absorbs; a chunk delivered after it was recorded publishes nothing.
 */
import { countOverdue, type OverdueCount } from '../applications/overdue.js';
import { CITY_CODES, type CityCode } from '../config/cities.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import {
  chunkDone,
  type DispatchedRun,
  newRunId,
  type OverdueChunk,
  recordChunkDone,
  sendChunks,
} from './work.js';

export const COMMITTED_TIME_SWEEP_JOB = 'committed-time-sweep';

export interface OverdueReport {
  city: CityCode;
  overdue: number;
  byItem: OverdueCount[];
}

/** Publishes a centre's count (the function's Powertools metrics; tests record them). */
export type PublishOverdue = (report: OverdueReport) => void;

export async function dispatchOverdueCount(
  now = new Date(),
  cities: readonly CityCode[] = CITY_CODES,
): Promise<DispatchedRun> {
  const runId = newRunId(now);
  await sendChunks(cities.map((city) => ({ job: 'committed-time-sweep', runId, city, index: 0 })));
  logger.info('committed-time sweep dispatched', { runId, centres: cities.length });
  return { runId, centres: cities.map((city) => ({ city, chunks: 1 })) };
}

export async function handleOverdueChunk(
  repositoryOf: (city: CityCode) => CentreRepository,
  chunk: OverdueChunk,
  publish: PublishOverdue,
  now = new Date(),
): Promise<void> {
  const repository = repositoryOf(chunk.city);
  if (await chunkDone(repository, chunk)) return;
  const byItem = await countOverdue([chunk.city], now);
  const report: OverdueReport = {
    city: chunk.city,
    overdue: byItem.reduce((sum, c) => sum + c.overdue, 0),
    byItem,
  };
  publish(report);
  await recordChunkDone(repository, chunk, true, report, now);
}
