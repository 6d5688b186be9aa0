/**
 * The loan sweep fanned out (issue 17): the dispatcher writes one chunk per centre (no read), and a
 * chunk handler reads its page of the centre's applications awaiting facts (GSI1, soonest deadline
 * first), sends the next page's chunk before sweeping its own (the pages of a centre overlap in
 * time, one worker each), then sweeps it (shared/applications/sweep.ts). The first page's chunk
 * also finishes the centre's approved back-pays and base adjustments a crash interrupted and
 * announces its transfers in transit again.
 *
 * Chunks of two runs overlap (a run every 5 minutes, a chunk retried later, delivered twice), so no
 * step relies on being alone: an application goes to review by a versioned write, a request is
 * claimed (`sentAt`) before it is sent, a transfer's announcement likewise, and each back-pay or
 * base-adjustment chunk posts under its own guard.
 */

import { workQueuePage } from '../applications/records.js';
import type { SweepReport } from '../applications/sweep.js';
import { sweepListed } from '../applications/sweep.js';
import { resumeBaseAdjustments } from '../base-adjustments/adjustment.js';
import { CITY_CODES, type CityCode } from '../config/cities.js';
import { resumeBackPays } from '../deposits/back-pay.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { sweepTransfersOut, type TransferSweepReport } from '../transfers/flows.js';
import {
  chunkDone,
  type DispatchedRun,
  newRunId,
  recordChunkDone,
  type SweepChunk,
  sendChunks,
} from './work.js';

export const LOAN_SWEEP_JOB = 'loan-sweep';

/** What a chunk did; the first page's chunk adds what it resumed of the centre's other work. */
export interface SweepChunkReport extends SweepReport {
  backPaysResumed?: number;
  baseAdjustmentsResumed?: number;
  transfersOut?: TransferSweepReport;
}

export async function dispatchSweep(
  now = new Date(),
  cities: readonly CityCode[] = CITY_CODES,
): Promise<DispatchedRun> {
  const runId = newRunId(now);
  await sendChunks(cities.map((city) => ({ job: 'loan-sweep', runId, city, index: 0 })));
  // every 5 minutes (30 s locally): what a run did is in its chunks' logs and records
  logger.debug('loan sweep dispatched', { runId, centres: cities.length });
  return { runId, centres: cities.map((city) => ({ city, chunks: 1 })) };
}

export async function handleSweepChunk(
  repositoryOf: (city: CityCode) => CentreRepository,
  chunk: SweepChunk,
  options: { chunkSize: number; resendAfterMs?: number; now?: Date },
): Promise<void> {
  const repository = repositoryOf(chunk.city);
  // a chunk already done (delivered again) sends no successor: its page may read differently now
  if (await chunkDone(repository, chunk)) return;
  const now = options.now ?? new Date();
  const page = await workQueuePage(chunk.city, 'awaiting_facts', {
    ...(chunk.after === undefined ? {} : { after: chunk.after }),
    limit: options.chunkSize,
  });
  if (page.next !== undefined) {
    await sendChunks([{ ...chunk, index: chunk.index + 1, after: page.next }]);
  }
  const report: SweepChunkReport = await sweepListed(repository, page.items, {
    now,
    ...(options.resendAfterMs === undefined ? {} : { resendAfterMs: options.resendAfterMs }),
  });
  if (chunk.index === 0) {
    report.backPaysResumed = await resumeBackPays(repository, now);
    report.baseAdjustmentsResumed = await resumeBaseAdjustments(repository);
    // money in transit (转移接续) the receiving centre has not confirmed
    report.transfersOut = await sweepTransfersOut(repository, {
      now,
      ...(options.resendAfterMs === undefined ? {} : { resendAfterMs: options.resendAfterMs }),
    });
  }
  await recordChunkDone(repository, chunk, page.next === undefined, report, now);
}
