/**
 * How long the sweep takes to recover a lost message after a restart: a loan application's facts
 * request to 临沂 is sent to an inbox nobody reads (lost), the region is restarted (the centre
 * workers, the job pollers and the local schedule started again, as `npm start` starts them; the
 * sweep dispatches onto its work queue and a chunk per centre re-sends), and the time is taken
 * from the restart until the application is decided on the re-sent request's answer.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { startJobPollers } from '../infra/local/job-pollers.js';
import {
  createJobQueues,
  inboxQueueUrlsJson,
  jobQueueUrlsJson,
  localQueueUrl,
} from '../infra/local/resources.js';
import { startLocalSchedule } from '../infra/local/schedule.js';
import { ENV } from '../shared/config/runtime.js';
import { JOB_QUEUE_URLS_ENV } from '../shared/jobs/work.js';
import { acceptLoanApplication } from '../shared/loans/apply.js';
import { getApplication } from '../shared/loans/decide.js';
import { centreRepository } from '../shared/persistence/centre-repository.js';
import { SCHEDULED_JOBS } from '../shared/services/declaration.js';
import { makeDepositor } from '../test/support/depositors.js';
import { homeBoughtBy } from '../test/support/properties.js';
import type { BenchRegion } from './region.js';

export interface SweepFigure {
  localIntervalSeconds: number | undefined;
  resendAfterSeconds: number;
  /** From the restart to the decision on the re-sent request's answer. */
  recoverySeconds: number;
}

export async function sweepFigure(region: BenchRegion): Promise<SweepFigure> {
  const person = await makeDepositor(['371300'], 8);
  const home = await homeBoughtBy(person.idNumber, '320300');
  const lost = await region.sqsClient.send(new CreateQueueCommand({ QueueName: `${region.tableName}-lost` }));
  const inboxes = String(process.env.INBOX_QUEUE_URLS);
  process.env.INBOX_QUEUE_URLS = inboxQueueUrlsJson({
    ...region.queues,
    '371300': { ...region.queues['371300'], url: localQueueUrl(String(lost.QueueUrl)) },
  });
  const xuzhou = centreRepository('320300');
  let applicationId: string;
  try {
    ({ applicationId } = await acceptLoanApplication(xuzhou, {
      lendingCity: '320300',
      idNumber: person.idNumber,
      personKey: person.personKey,
      request: {
        ...home,
        requestedFen: 5_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
      },
      channel: 'online',
      household: { maritalStatus: 'single' },
      acceptedBy: 'bench',
      correlationId: 'bench-sweep',
    }));
  } finally {
    process.env.INBOX_QUEUE_URLS = inboxes;
  }
  // The sweeps' work queues, as `npm start` creates them (their chunks run on the job pollers).
  const jobQueues = await createJobQueues(region.sqsClient, `${region.tableName}-`);
  process.env[JOB_QUEUE_URLS_ENV] = jobQueueUrlsJson(jobQueues);
  // The restart: workers, job pollers and the schedule start afresh, with the settings `npm start` uses.
  const restartedAt = Date.now();
  const pollers = region.startWorkers();
  const jobPollers = await startJobPollers({ sqsClient: region.sqsClient, queues: jobQueues });
  const schedule = await startLocalSchedule(SCHEDULED_JOBS, () => undefined);
  try {
    for (;;) {
      const application = await getApplication(xuzhou, applicationId);
      const decided = application?.timeline.find((t) => t.status !== 'awaiting_facts');
      if (decided) {
        return {
          localIntervalSeconds: SCHEDULED_JOBS.find((j) => j.id === 'loan-sweep')?.localIntervalSeconds,
          resendAfterSeconds: Number(process.env[ENV.sweepResendAfterMs]) / 1000,
          recoverySeconds: (Date.parse(decided.at) - restartedAt) / 1000,
        };
      }
      if (Date.now() - restartedAt > 300_000)
        throw new Error('the lost request was not recovered in 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    schedule.stop();
    await jobPollers.stop();
    await pollers.stop();
  }
}
