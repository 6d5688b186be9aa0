/**
 * The loan sweep, fanned out (shared/jobs/loan-sweep.ts). EventBridge invokes it every 5 minutes: it
 * dispatches one chunk per centre to its work queue; each chunk (a page of the centre's applications
 * awaiting facts) sends the next page's and sweeps its own: facts requests unanswered re-sent,
 * applications past their facts deadline to staff; the first page's chunk also finishes the
 * centre's back-pays and base adjustments a crash interrupted and its transfers in transit. An
 * operator sweeps some centres at once with `{ "cities": ["320300"] }`.
 */
import type { CityCode } from '../../shared/config/cities.js';
import { dispatchSweep, handleSweepChunk } from '../../shared/jobs/loan-sweep.js';
import { citiesOf, fanOutJob, type JobFunction } from '../../shared/jobs/work.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { fanOutOf } from '../../shared/services/declaration.js';

/** The job function; tests build one with a small chunk, a short resend interval or a faulty repository. */
export function createLoanSweepJob(
  options: {
    chunkSize?: number;
    resendAfterMs?: number;
    repositoryOf?: (city: CityCode) => CentreRepository;
  } = {},
): JobFunction {
  const chunkSize = options.chunkSize ?? fanOutOf('loan-sweep').chunkSize;
  const repositoryOf = options.repositoryOf ?? centreRepository;
  return fanOutJob({
    jobId: 'loan-sweep',
    dispatch: async (event) =>
      dispatchSweep(new Date(), citiesOf((event as { cities?: unknown } | null)?.cities)),
    handleChunk: async (chunk) => {
      if (chunk.job === 'loan-sweep')
        await handleSweepChunk(repositoryOf, chunk, {
          chunkSize,
          ...(options.resendAfterMs === undefined ? {} : { resendAfterMs: options.resendAfterMs }),
        });
    },
  });
}

export const handler = createLoanSweepJob();
