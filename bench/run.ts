/**
 * `npm run bench`: what the issues ask to be measured, on this machine.
 *  1. Handler bundle sizes: every declared function bundled as CDK bundles it (esbuild, ESM,
 *     minified, node24, the AWS SDK left to the runtime).
 *  2. The working-day calendar: building the committed notices, a provisional year's lunar
 *     computation, and committed deadlines as the accepting functions compute them.
 *  3. Loan decision latency in a local region of its own (DynamoDB Local, SQS emulator, pollers
 *     with Lambda's batching window): 100 applications of 临沂 depositors to 徐州, each naming a
 *     home in 徐州's property register, time from acceptance to decision, median and p99.
 * It starts and stops everything it needs; it uses its own ports and names.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { createCentreWorker } from '../functions/centre-worker/handler.js';
import { startDynamoDbLocal, startSqsEmulator } from '../infra/local/emulators.js';
import { REPO_ROOT } from '../infra/local/gateway.js';
import { startPollers } from '../infra/local/pollers.js';
import { createInboxQueues, createTable, inboxQueueUrlsJson } from '../infra/local/resources.js';
import { WorkingCalendar } from '../shared/calendar/working-days.js';
import { acceptLoanApplication } from '../shared/loans/apply.js';
import { getApplication } from '../shared/loans/decide.js';
import { logger } from '../shared/observability/logger.js';
import { centreRepository } from '../shared/persistence/centre-repository.js';
import { CENTRE_WORKER, HTTP_HANDLERS, SCHEDULED_JOBS } from '../shared/services/declaration.js';
import { makeDepositor } from '../test/support/depositors.js';
import { homeBoughtBy } from '../test/support/properties.js';

const APPLICATIONS = 100;

async function bundleSizes(): Promise<void> {
  const entries = [
    ...HTTP_HANDLERS.map((h) => [h.id, h.entry] as const),
    [CENTRE_WORKER.id, CENTRE_WORKER.entry] as const,
    ...SCHEDULED_JOBS.map((j) => [j.id, j.entry] as const),
  ];
  console.log('handler bundle sizes (minified ESM, without source map):');
  for (const [id, entry] of entries) {
    const result = await build({
      entryPoints: [join(REPO_ROOT, entry)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    const bytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
    console.log(`  ${id.padEnd(18)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB`);
  }
}

function calendarCosts(): void {
  const ms = (since: number) => (performance.now() - since).toFixed(2);
  let started = performance.now();
  const calendar = new WorkingCalendar();
  console.log(`calendar: the ${calendar.officialYears.length} committed notices built in ${ms(started)} ms`);
  started = performance.now();
  calendar.year(2035);
  console.log(`  a provisional year (2035, lunar dates computed) in ${ms(started)} ms`);
  const deadlines = 10_000;
  started = performance.now();
  for (let i = 0; i < deadlines; i++)
    calendar.committedDeadline(new Date(Date.UTC(2026, 11, 1) + i * 3_600_000), 10);
  console.log(`  ${deadlines} committed deadlines of 10 working days in ${ms(started)} ms`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function loanLatency(): Promise<void> {
  logger.setLogLevel('SILENT');
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const run = randomBytes(3).toString('hex');
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    TABLE_NAME: `hpf-bench-${run}`,
    ID_HMAC_SECRET: 'bench-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET',
  });
  const sqsClient = new SQSClient({});
  try {
    await createTable(new DynamoDBClient({}), `hpf-bench-${run}`);
    const queues = await createInboxQueues(sqsClient, `hpf-bench-${run}-`);
    process.env.INBOX_QUEUE_URLS = inboxQueueUrlsJson(queues);
    const pollers = startPollers({
      sqsClient,
      queues,
      createWorker: (city) => createCentreWorker(city),
      onPollError: () => undefined,
    });
    const people = [];
    for (let i = 0; i < APPLICATIONS; i++) {
      const person = await makeDepositor(['371300'], 8);
      people.push({ ...person, home: await homeBoughtBy(person.idNumber, '320300') });
    }
    const xuzhou = centreRepository('320300');
    const started = Date.now();
    const ids = await Promise.all(
      people.map(async (person, i) => {
        // Spread the arrivals over about ten seconds, as a busy morning would.
        await new Promise((resolve) => setTimeout(resolve, i * 100));
        const application = await acceptLoanApplication(xuzhou, {
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
          correlationId: `bench-${i}`,
        });
        return application.applicationId;
      }),
    );
    const latencies: number[] = [];
    for (const id of ids) {
      for (;;) {
        const application = await getApplication(xuzhou, id);
        const decided = application?.timeline.find((t) => t.status !== 'awaiting_facts');
        if (application && decided) {
          latencies.push(Date.parse(decided.at) - Date.parse(application.acceptedAt));
          break;
        }
        if (Date.now() - started > 120_000) throw new Error(`application ${id} was not decided in 2 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await pollers.stop();
    latencies.sort((a, b) => a - b);
    console.log(
      `loan decision, ${APPLICATIONS} applications 临沂 → 徐州 (batching window ${CENTRE_WORKER.maxBatchingWindowSeconds} s per hop): ` +
        `median ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
    );
  } finally {
    sqsClient.destroy();
    await Promise.all([dynamo.stop(), sqs.stop()]);
  }
}

await bundleSizes();
calendarCosts();
await loanLatency();
