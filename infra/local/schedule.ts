/**
 * The scheduled jobs the local region repeats on a short interval (the loan sweep every 30 s): each
 * runs once at start, so a region restarted after a lost message does not first wait a whole
 * interval, and then every `localIntervalSeconds`. The sweep re-sends a facts request unanswered for
 * one local interval (SWEEP_RESEND_AFTER_MS, unless set): a centre of the local region answers in
 * well under a second, and AWS's 2 minutes would make recovery wait four intervals. Each run is
 * as the declared job (infra/local/jobs.ts), so the capability guard checks its calls; a job that
 * fans out (both sweeps) only dispatches, and the region's job pollers run its chunks.
 */
import { ENV } from '../../shared/config/runtime.js';
import type { ScheduledJobDeclaration } from '../../shared/services/declaration.js';
import { runJob } from './jobs.js';

export interface LocalSchedule {
  stop(): void;
}

export async function startLocalSchedule(
  jobs: readonly ScheduledJobDeclaration[],
  onError: (jobId: string, error: Error) => void,
): Promise<LocalSchedule> {
  const timers: NodeJS.Timeout[] = [];
  const sweep = jobs.find((job) => job.id === 'loan-sweep')?.localIntervalSeconds;
  if (sweep !== undefined) process.env[ENV.sweepResendAfterMs] ??= String(sweep * 1000);
  for (const job of jobs) {
    const every = job.localIntervalSeconds;
    if (every === undefined) continue;
    const runOnce = () => {
      runJob(job, { source: 'local-schedule', time: new Date().toISOString() }).catch((error: unknown) =>
        onError(job.id, error as Error),
      );
    };
    runOnce();
    timers.push(setInterval(runOnce, every * 1000));
  }
  return { stop: () => timers.forEach(clearInterval) };
}
