/**
 * Loan decision latency in the bench region, with the centre workers polling their inboxes with the
 * declared batch settings: applications of 临沂 depositors to 徐州, each naming a home in 徐州's
 * property register, arriving at a steady rate; time from acceptance to decision. Each inbox batch
 * is observed: the time its messages waited in the queue (SentTimestamp to the poller's hand-over)
 * and the time the worker took, both added up per application (by correlation id) over the
 * messages handled before its decision. Messages of one application in one batch each count the
 * batch's time, and messages in flight at once overlap: the parts can add up to more than the whole.
 */
import type { SQSEvent } from 'aws-lambda';
import { acceptLoanApplication } from '../shared/loans/apply.js';
import { getApplication } from '../shared/loans/decide.js';
import { centreRepository } from '../shared/persistence/centre-repository.js';
import { CENTRE_WORKER } from '../shared/services/declaration.js';
import { makeDepositor } from '../test/support/depositors.js';
import { homeBoughtBy } from '../test/support/properties.js';
import { measured } from './capacity.js';
import type { BenchRegion } from './region.js';
import { percentile } from './stats.js';

export const LOAN_ACCEPTANCE = 'OFFSITE_LOAN: acceptance';
export const LOAN_WORKERS = 'OFFSITE_LOAN: centre workers (facts, register, decision)';

export interface Distribution {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoanFigures {
  applications: number;
  arrivalsPerSecond: number;
  batchSize: number;
  batchingWindowSeconds: number;
  maxConcurrency: number | undefined;
  decisionMs: Distribution;
  queueWaitMs: Distribution;
  processingMs: Distribution;
  /** Decision latency less queue wait and processing: the acceptance's own sends, the hops between. */
  /** Inbox messages handled before the decision, per application. */
  messagesPerApplication: number;
  /** All batches' worker time ÷ applications: the Lambda duration one application costs. */
  workerMsPerApplication: number;
}

const distribution = (samples: number[]): Distribution => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
  max: percentile(samples, 100),
});

async function inPool<T, R>(items: readonly T[], width: number, work: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T, i);
      }
    }),
  );
  return results;
}

export { inPool };

export async function loanFigures(
  region: BenchRegion,
  { applications, arrivalsPerSecond }: { applications: number; arrivalsPerSecond: number },
): Promise<LoanFigures> {
  const people = await inPool(Array.from({ length: applications }), 6, async () => {
    const person = await makeDepositor(['371300'], 8);
    return { ...person, home: await homeBoughtBy(person.idNumber, '320300') };
  });
  /** Per application, each of its messages: when the worker finished it, its queue wait, the batch's time. */
  const handled = new Map<string, { doneAt: number; waitMs: number; workMs: number }[]>();
  let busyMs = 0;
  const pollers = region.startWorkers((_city, worker) => async (event: SQSEvent, context) => {
    const handedOver = Date.now();
    const result = await measured(LOAN_WORKERS, () => worker(event, context));
    const took = Date.now() - handedOver;
    busyMs += took;
    for (const record of event.Records) {
      const correlationId = String((JSON.parse(record.body) as { correlationId?: string }).correlationId);
      const list = handled.get(correlationId) ?? [];
      list.push({
        doneAt: handedOver + took,
        waitMs: handedOver - Number(record.attributes.SentTimestamp),
        workMs: took,
      });
      handled.set(correlationId, list);
    }
    return result;
  });
  const xuzhou = centreRepository('320300');
  try {
    const started = Date.now();
    const ids = await Promise.all(
      people.map(async (person, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / arrivalsPerSecond));
        const application = await measured(LOAN_ACCEPTANCE, () =>
          acceptLoanApplication(xuzhou, {
            lendingCity: '320300',
            idNumber: person.idNumber,
            personKey: person.personKey,
            request: {
              ...person.home,
              requestedFen: 5_000_000,
              termMonths: 240,
              method: 'equal-installment',
              declaredHomeOrder: 'first',
              otherMonthlyDebtFen: 0,
            },
            channel: 'online',
            household: { maritalStatus: 'single' },
            acceptedBy: 'bench',
            correlationId: `bench-loan-${i}`,
          }),
        );
        return application.applicationId;
      }),
    );
    const bound = started + (applications * 1000) / arrivalsPerSecond + 180_000;
    const decision: number[] = [];
    const waits: number[] = [];
    const work: number[] = [];
    let messageCount = 0;
    for (const [i, id] of ids.entries()) {
      for (;;) {
        const application = await getApplication(xuzhou, id);
        const decided = application?.timeline.find((t) => t.status !== 'awaiting_facts');
        if (application && decided) {
          const ms = Date.parse(decided.at) - Date.parse(application.acceptedAt);
          // Only the messages on the way to the decision (notices after it are not part of it).
          const decidedAt = Date.parse(decided.at);
          const before = (handled.get(`bench-loan-${i}`) ?? []).filter((m) => m.doneAt <= decidedAt + 5);
          const waited = before.reduce((n, m) => n + m.waitMs, 0);
          const worked = before.reduce((n, m) => n + m.workMs, 0);
          decision.push(ms);
          waits.push(waited);
          work.push(worked);
          messageCount += before.length;
          break;
        }
        if (Date.now() > bound) throw new Error(`loan application ${id} was not decided in time`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return {
      applications,
      arrivalsPerSecond,
      batchSize: CENTRE_WORKER.batchSize,
      batchingWindowSeconds: CENTRE_WORKER.maxBatchingWindowSeconds,
      maxConcurrency: (CENTRE_WORKER as { maxConcurrency?: number }).maxConcurrency,
      decisionMs: distribution(decision),
      queueWaitMs: distribution(waits),
      processingMs: distribution(work),
      messagesPerApplication: messageCount / applications,
      workerMsPerApplication: busyMs / applications,
    };
  } finally {
    await pollers.stop();
  }
}
