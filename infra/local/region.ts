/**
 * `npm start`: the whole hub on one machine (DESIGN.md §6).
 *
 *   DynamoDB Local (Java)  127.0.0.1:8000   HPF_LOCAL_DYNAMODB_PORT   data in .local/dynamodb
 *   SQS emulator (fauxqs)  127.0.0.1:9324   HPF_LOCAL_SQS_PORT        in memory
 *   HTTP gateway           127.0.0.1:3000   PORT
 *
 * then the table `hpf-local`, the inboxes `hpf-local-inbox-<city>` (+ `-dlq`), demo data, one
 * poller per centre inbox, and demo tokens. `--fresh` wipes the DynamoDB data first.
 * Ctrl-C (or SIGTERM) stops everything it started and exits 0.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CITIES, CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { JOB_QUEUE_URLS_ENV } from '../../shared/jobs/work.js';
import { CENTRE_WORKER, SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import { buildPortalSync, gzipBytes, PORTAL_DIST_DIR } from '../../web/build.js';
import { OPENAPI_DOCUMENT_FILE, writeOpenApiDocument } from '../openapi/document.js';
import { DEMO_BACK_PAY_CITY, DEMO_MOVER, demoEmployerUscc } from './demo-deposits.js';
import { demoNewEmployerUscc, demoPersonas } from './demo-personas.js';
import { createDevIdp, DEV_IDP_DIR, type HubClaims, localIssuer, recordIssuer } from './dev-idp.js';
import { type Emulator, startDynamoDbLocal, startSqsEmulator } from './emulators.js';
import { createGateway, type LocalGateway, REPO_ROOT } from './gateway.js';
import { startJobPollers } from './job-pollers.js';
import { createJwtAuthorizer } from './jwt-authorizer.js';
import {
  LOCAL_QUEUE_PREFIX,
  LOCAL_TABLE_NAME,
  localDynamoDbPort,
  localSqsPort,
  portFromEnv,
  removeRegionFile,
  useLocalRegionEnvironment,
  writeRegionFile,
} from './local-config.js';
import { type Pollers, type SqsWorker, startConcurrentPollers } from './pollers.js';
import { portalOnGateway } from './portal.js';
import {
  createInboxQueues,
  createJobQueues,
  createTable,
  inboxQueueUrlsJson,
  jobQueueUrlsJson,
} from './resources.js';
import { type LocalSchedule, startLocalSchedule } from './schedule.js';
import { seedDemoData } from './seed.js';

const TABLE_NAME = LOCAL_TABLE_NAME;
const QUEUE_PREFIX = LOCAL_QUEUE_PREFIX;
const DYNAMODB_DIR = join(REPO_ROOT, '.local', 'dynamodb');
const SPOUSE_ID_FILE_NAME = '.local/demo-spouse-id-number';
const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/** Adds which variable picks another port to an "already in use" error. */
function portHint(variable: string) {
  return (error: unknown): never => {
    const message = (error as Error).message;
    if (/already in use/.test(message)) throw new Error(`${message} (set ${variable})`);
    throw error;
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  process.stdout.write(`${label}… `);
  const started = performance.now();
  try {
    const result = await run();
    process.stdout.write(`ok (${seconds(performance.now() - started)})\n`);
    return result;
  } catch (error) {
    process.stdout.write('failed\n');
    throw error;
  }
}

/** A demo ID number with a valid check character (徐州市鼓楼区, born 1990-01-01). */
function demoIdNumber(): string {
  const first17 = '32030219900101123';
  return first17 + idNumberCheckCharacter(first17);
}

async function main(): Promise<void> {
  let fresh = false;
  try {
    ({
      values: { fresh = false },
    } = parseArgs({ options: { fresh: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm start [-- --fresh]`);
    process.exit(2);
  }
  const dynamoPort = localDynamoDbPort();
  const sqsPort = localSqsPort();
  const apiPort = portFromEnv('PORT', 3000);
  const allowedOrigins = process.env.HPF_LOCAL_ALLOWED_ORIGINS
    ? process.env.HPF_LOCAL_ALLOWED_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    : DEFAULT_ALLOWED_ORIGINS;

  let dynamo: Emulator | undefined;
  let sqs: Emulator | undefined;
  let pollers: Pollers | undefined;
  let jobPollers: Pollers | undefined;
  let gateway: LocalGateway | undefined;
  let sqsClient: SQSClient | undefined;
  let shutdownStartedAt: number | undefined;
  let schedule: LocalSchedule | undefined;

  const shutdown = async (reason: string, exitCode: number) => {
    if (shutdownStartedAt !== undefined) {
      // Ctrl-C reaches us twice at once (from the terminal, and relayed by tsx): only a second
      // Ctrl-C a moment later means "stop waiting" (the emulators' exit hook still kills Java).
      if (Date.now() - shutdownStartedAt < 1000) return;
      console.error('\nforced exit');
      process.exit(1);
    }
    shutdownStartedAt = Date.now();
    console.log(`\n${reason}: stopping the local region…`);
    const stopStep = async (label: string, stop: (() => Promise<void>) | undefined) => {
      if (!stop) return;
      try {
        await step(`  stopping ${label}`, stop);
      } catch (error) {
        console.error(`  ${label}: ${(error as Error).message}`);
      }
    };
    const [g, p, j, q, d] = [gateway, pollers, jobPollers, sqs, dynamo];
    schedule?.stop();
    removeRegionFile();
    await stopStep('the gateway', g && (() => g.close()));
    await stopStep('the centre pollers', p && (() => p.stop()));
    await stopStep('the job pollers', j && (() => j.stop()));
    sqsClient?.destroy();
    await stopStep('the SQS emulator', q && (() => q.stop()));
    await stopStep('DynamoDB Local', d && (() => d.stop()));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  const started = performance.now();
  console.log('Huaihai HPF Hub: local region\n');
  try {
    if (fresh) {
      await step('wiping .local/dynamodb (--fresh)', async () =>
        rmSync(DYNAMODB_DIR, { recursive: true, force: true }),
      );
    }
    dynamo = await step(`starting DynamoDB Local on :${dynamoPort}`, () =>
      startDynamoDbLocal({ port: dynamoPort, dataDir: DYNAMODB_DIR }).catch(
        portHint('HPF_LOCAL_DYNAMODB_PORT'),
      ),
    );
    sqs = await step(`starting the SQS emulator on :${sqsPort}`, () =>
      startSqsEmulator({ port: sqsPort }).catch(portHint('HPF_LOCAL_SQS_PORT')),
    );

    useLocalRegionEnvironment({ dynamo: dynamo.endpoint, sqs: sqs.endpoint });
    const openApiBytes = await step(`writing the OpenAPI document (${OPENAPI_DOCUMENT_FILE})`, () =>
      writeOpenApiDocument(),
    );

    const dynamoClient = new DynamoDBClient({});
    await step(`creating table ${TABLE_NAME}`, () => createTable(dynamoClient, TABLE_NAME));
    sqsClient = new SQSClient({});
    const client = sqsClient;
    const queues = await step(`creating ${CITY_CODES.length} centre inboxes and dead-letter queues`, () =>
      createInboxQueues(client, QUEUE_PREFIX),
    );
    process.env.INBOX_QUEUE_URLS = inboxQueueUrlsJson(queues);
    const jobQueues = await step('creating the job work queues and dead-letter queues', () =>
      createJobQueues(client, QUEUE_PREFIX),
    );
    process.env[JOB_QUEUE_URLS_ENV] = jobQueueUrlsJson(jobQueues);
    const seeded = await step('seeding demo data (employers, depositors, 6 months of remittances)', () =>
      seedDemoData({ tableName: TABLE_NAME, now: new Date(), client: dynamoClient }),
    );
    const { backPay } = seeded.deposits;
    const twoCentres = seeded.deposits.people.find((p) => p.centres.join() === '371300,320300');
    // A 临沂 depositor with no other account: ready to borrow in 徐州 (OFFSITE_LOAN walk-through).
    const borrower = seeded.deposits.people.find((p) => p.centres.join() === '371300' && p !== twoCentres);
    // The borrower's spouse (the demo couple, DESIGN.md §2b household): a 徐州 depositor who may
    // co-apply and confirms with their own token.
    const spouse = seeded.deposits.people.find((p) => p.centres.join() === '320300');
    if (!twoCentres || !borrower || !spouse)
      throw new Error('the demo depositors of 临沂 (one also in 徐州) and 徐州 are missing from the seed');
    dynamoClient.destroy();

    pollers = await step(
      `starting the centre inbox pollers (${CENTRE_WORKER.maxConcurrency} per inbox, as deployed)`,
      async () => {
        const workerModule = (await import(
          pathToFileURL(join(REPO_ROOT, CENTRE_WORKER.entry)).href
        )) as Record<string, unknown>;
        const factory = workerModule.createCentreWorker;
        if (typeof factory !== 'function')
          throw new Error(`${CENTRE_WORKER.entry} does not export createCentreWorker(city)`);
        return startConcurrentPollers(
          {
            sqsClient: client,
            queues,
            createWorker: (city) => (factory as (city: CityCode) => SqsWorker)(city),
            onBatch: ({ city, received, deleted, failed, error }) => {
              const failure = error === undefined ? '' : ` — ${(error as Error).message ?? error}`;
              console.log(
                `[inbox ${city}] ${received} received, ${deleted} deleted, ${failed} failed${failure}`,
              );
            },
          },
          CENTRE_WORKER.maxConcurrency,
        );
      },
    );

    jobPollers = await step(`starting the job pollers (${Object.keys(jobQueues).join(', ')})`, () =>
      startJobPollers({
        sqsClient: client,
        queues: jobQueues,
        onBatch: ({ city: jobId, received, deleted, failed, error }) => {
          // the sweeps run every few seconds to minutes: their batches are printed when one fails
          const repeated = SCHEDULED_JOBS.find((job) => job.id === jobId)?.localIntervalSeconds !== undefined;
          if (repeated && failed === 0 && error === undefined) return;
          const failure = error === undefined ? '' : ` — ${(error as Error).message ?? error}`;
          console.log(`[job ${jobId}] ${received} chunk(s), ${deleted} done, ${failed} failed${failure}`);
        },
      }),
    );

    // Jobs AWS runs on a schedule that the local region repeats on a short interval (the loan sweep).
    schedule = await startLocalSchedule(SCHEDULED_JOBS, (id, error) =>
      console.error(`[job ${id}] ${error.message}`),
    );

    // The issuer names the port the gateway really listens on; `npm run token` reads it back.
    const idpDir = join(REPO_ROOT, DEV_IDP_DIR);
    const idp = await createDevIdp({ persistDir: idpDir, issuer: localIssuer(apiPort) });
    recordIssuer(idpDir, idp.issuer);
    const portalBuild = await step('building the portal (web/)', async () =>
      buildPortalSync(PORTAL_DIST_DIR),
    );
    const authorizer = createJwtAuthorizer({
      issuer: idp.issuer,
      audience: [idp.audience],
      jwks: () => idp.jwks(),
    });
    const local: LocalGateway = createGateway({
      authorizer,
      cors: { allowedOrigins },
      port: apiPort,
      preload: true,
      ...portalOnGateway({
        idp,
        dir: PORTAL_DIST_DIR,
        personas: demoPersonas(),
        gatewayUrl: () => local.url,
        extraRedirectUris: allowedOrigins.map((origin) => `${origin}/`),
      }),
      onAccess: ({ method, path, status, durationMs }) =>
        console.log(`[api] ${method} ${path} → ${status} (${durationMs} ms)`),
    });
    gateway = local;
    const url = await step(`starting the gateway on :${apiPort}`, async () => {
      try {
        return await local.listen();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new Error(`port ${apiPort} is already in use (another local region?) (set PORT)`);
        throw error;
      }
    });
    // Printed certificates' QR codes carry the platform's public address (set it to a LAN address for a phone).
    process.env.PUBLIC_BASE_URL ??= url;
    // Where this region listens, for `npm run settle-interest` and the other commands (no port variables).
    writeRegionFile({
      pid: process.pid,
      gatewayUrl: url,
      dynamoDbPort: dynamoPort,
      sqsPort,
      tableName: TABLE_NAME,
      queuePrefix: QUEUE_PREFIX,
      startedAt: new Date().toISOString(),
    });

    const demo: { label: string; variable: string; claims: HubClaims }[] = [
      {
        label: `citizen ${twoCentres.name} (${maskIdNumber(twoCentres.idNumber)}), accounts in 临沂 and 徐州`,
        variable: 'CITIZEN',
        claims: { sub: 'demo-citizen-1', role: 'citizen', idNumber: twoCentres.idNumber },
      },
      {
        label: `citizen ${borrower.name} (${maskIdNumber(borrower.idNumber)}), a 临沂 depositor ready to borrow in 徐州`,
        variable: 'BORROWER',
        claims: { sub: 'demo-borrower-1', role: 'citizen', idNumber: borrower.idNumber },
      },
      {
        label: `citizen ${spouse.name} (${maskIdNumber(spouse.idNumber)}), a 徐州 depositor married to ${borrower.name}: co-applies and confirms`,
        variable: 'SPOUSE',
        claims: { sub: 'demo-spouse-1', role: 'citizen', idNumber: spouse.idNumber },
      },
      {
        label: `citizen ${DEMO_MOVER.name} (${maskIdNumber(DEMO_MOVER.idNumber)}), moved from 临沂 (account sealed) to 徐州: transfers it`,
        variable: 'MOVER',
        claims: { sub: 'demo-mover-1', role: 'citizen', idNumber: DEMO_MOVER.idNumber },
      },
      {
        label: `citizen ${maskIdNumber(demoIdNumber())} (not yet a depositor)`,
        variable: 'CITIZEN_NEW',
        claims: { sub: 'demo-citizen-2', role: 'citizen', idNumber: demoIdNumber() },
      },
      {
        label: `employer ${demoNewEmployerUscc()} in 370800 ${CITIES['370800'].nameEn}`,
        variable: 'EMPLOYER_370800',
        claims: {
          sub: 'demo-employer-370800-new',
          role: 'employer',
          uscc: demoNewEmployerUscc(),
          city: '370800',
        },
      },
      {
        label: `demo employer ${demoEmployerUscc(DEMO_BACK_PAY_CITY)} in ${DEMO_BACK_PAY_CITY} ${CITIES[DEMO_BACK_PAY_CITY].nameEn}: missed ${backPay.missedMonth}, back-pay it`,
        variable: `EMPLOYER_${DEMO_BACK_PAY_CITY}`,
        claims: {
          sub: `demo-employer-${DEMO_BACK_PAY_CITY}`,
          role: 'employer',
          uscc: demoEmployerUscc(DEMO_BACK_PAY_CITY),
          city: DEMO_BACK_PAY_CITY,
        },
      },
      ...(['A', 'B'] as const).map((clerk) => ({
        label: `staff member ${clerk} of ${DEMO_BACK_PAY_CITY} ${CITIES[DEMO_BACK_PAY_CITY].nameEn} (a decision and its confirmation need two)`,
        variable: `STAFF_${DEMO_BACK_PAY_CITY}_${clerk}`,
        claims: {
          sub: `demo-staff-${DEMO_BACK_PAY_CITY}-${clerk}`,
          role: 'staff' as const,
          city: DEMO_BACK_PAY_CITY,
        },
      })),
      {
        label: `staff of 320300 ${CITIES['320300'].nameEn}`,
        variable: 'STAFF_320300',
        claims: { sub: 'demo-staff-320300', role: 'staff', city: '320300' },
      },
      {
        label: `staff of 371300 ${CITIES['371300'].nameEn}`,
        variable: 'STAFF_371300',
        claims: { sub: 'demo-staff-371300', role: 'staff', city: '371300' },
      },
      {
        label: 'agent XZ-BANK-0001 in 320300',
        variable: 'AGENT_320300',
        claims: { sub: 'demo-agent-320300', role: 'agent', city: '320300', agentOrgId: 'XZ-BANK-0001' },
      },
    ];
    const tokens = await Promise.all(demo.map((d) => idp.signToken(d.claims, { expiresIn: '12h' })));
    // The one clear ID number the walk-through needs goes to a file only its owner reads.
    const spouseIdFile = join(REPO_ROOT, SPOUSE_ID_FILE_NAME);
    writeFileSync(spouseIdFile, spouse.idNumber, { mode: 0o600 });

    const lines = [
      '',
      `Local region ready in ${seconds(performance.now() - started)}`,
      `  Portal     ${url}/  (sign in: pick a demo person, employer, agent or staff member of any city;`,
      `             ${portalBuild.bytes} bytes, ${gzipBytes(PORTAL_DIST_DIR, portalBuild.files)} gzip)`,
      `  API        ${url}`,
      `  DynamoDB   ${dynamo.endpoint}  table ${TABLE_NAME}, data in .local/dynamodb (npm start -- --fresh wipes it)`,
      `  SQS        ${sqs.endpoint}  queues ${QUEUE_PREFIX}inbox-<city>, ${QUEUE_PREFIX}job-<job> and their …-dlq`,
      `  Recorded   .local/region.json (the job commands read it: npm run settle-interest -- --date YYYY-06-30)`,
      `  Dev IdP    issuer ${idp.issuer}, audience ${idp.audience}, JWKS ${url}/dev-idp/.well-known/jwks.json, sign-in ${url}/dev-idp/authorize`,
      `  CORS       ${allowedOrigins.join(', ')} (HPF_LOCAL_ALLOWED_ORIGINS)`,
      `  OpenAPI    ${url}/v1/openapi.json (${Math.round(openApiBytes / 1024)} KiB, every declared route)`,
      '',
      'Demo tokens (12 h; paste these lines into a shell; more: npm run -s token -- --role …):',
      ...demo.flatMap((d, i) => [`  # ${d.label}`, `  export ${d.variable}=${tokens[i]}`]),
      `  # ${spouse.name}'s ID number ${maskIdNumber(spouse.idNumber)} (demo data), the "spouseIdNumber" of ${borrower.name}'s`,
      `  # loan application: read from ${SPOUSE_ID_FILE_NAME}, never printed in clear`,
      `  export SPOUSE_ID_NUMBER="$(cat '${spouseIdFile}')"`,
      `  # 菏泽's demo employer, its employees' accounts and the month it missed (补缴 in the README)`,
      `  export BACKPAY_EMPLOYER=${backPay.employerAccountNo} BACKPAY_MONTH=${backPay.missedMonth}`,
      `  export BACKPAY_ACCOUNTS='${JSON.stringify(backPay.personalAccountNos)}'`,
      `  # ${DEMO_MOVER.name}'s sealed 临沂 account (转移接续 in the README)`,
      `  export MOVER_ACCOUNT=${seeded.deposits.moverAccountNo}`,
      '',
      'Try:',
      `  curl -s ${url}/health`,
      `  curl -s ${url}/v1/cities`,
      `  curl -s -X POST ${url}/v1/staff/ping/371300 -H "authorization: Bearer $STAFF_320300"`,
      `  curl -s -i -X POST ${url}/v1/staff/ping/371300            # no token: 401 from the gateway`,
      '',
      'Ctrl-C stops everything.',
      '',
    ];
    console.log(lines.join('\n'));
  } catch (error) {
    console.error(`\n${(error as Error).message}`);
    await shutdown('start-up failed', 1);
  }
}

await main();
