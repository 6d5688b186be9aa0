/**
 * Interest settlement (结息) for 1,000, 10,000 and 50,000 accounts, each in a centre of its own, and
 * the remittance (汇缴) of one employer's 1,000 employees.
 *
 * Settlement's accounts are copies of one depositor made through the store functions (an account
 * and eight months of remittances, four of them in the interest year): its items are written again
 * under each further account number with BatchWriteItem, and the centre's account counter set, so
 * the seeding does not dominate the run. Settlement itself is the job's own code, behind `settle`.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addMonths, monthOf } from '../shared/calendar/dates.js';
import { toBeijingDate } from '../shared/calendar/working-days.js';
import type { CityCode } from '../shared/config/cities.js';
import {
  accountPages,
  addReports,
  type SettlementReport,
  settleInterestChunk,
} from '../shared/deposits/interest.js';
import { remit } from '../shared/deposits/remittance.js';
import { openEmployerAccount, openPersonalAccount, personalAccountNoAt } from '../shared/deposits/store.js';
import { maskIdNumber } from '../shared/identity/mask.js';
import { personKey } from '../shared/identity/person-key.js';
import { SETTLE_INTEREST_JOB } from '../shared/jobs/settle-interest.js';
import { personalAccountPartition } from '../shared/ledger/ledger.js';
import { type CentreRepository, centreRepository } from '../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../shared/persistence/client.js';
import { centreKey } from '../shared/persistence/table.js';
import { parametersInForce } from '../shared/rules/centre-parameters.js';
import { fanOutOf } from '../shared/services/declaration.js';
import { makeDepositor, randomIdNumber, randomUscc } from '../test/support/depositors.js';
import { capacityOf, measured } from './capacity.js';
import { inPool } from './loans.js';

/** The interest year the bench settles: it ended before today, the template's deposits fall in it. */
export const SETTLEMENT_DATE = '2026-06-30';
export const SETTLEMENT = 'interest settlement (per account)';
export const REMITTANCE = 'remittance (per employee)';

/**
 * Chunks settled at once, as the job's work-queue pollers take them (the local region runs 2 per
 * queue, Lambda up to the declared maximum concurrency of 20). Five, so that 1,000, 10,000 and
 * 50,000 accounts in chunks of 200 are whole rounds of the five: no run ends on a lone chunk.
 */
export const SETTLEMENT_WORKERS = 5;

/**
 * The settlement the bench times: the fan-out job's own chunks (the declared chunk size, the
 * pages its dispatch writes), settled by SETTLEMENT_WORKERS at once through the chunk function.
 */
export async function settle(
  repository: CentreRepository,
  settlementDate: string,
  now: Date,
): Promise<SettlementReport> {
  const pages = await accountPages(repository, fanOutOf(SETTLE_INTEREST_JOB).chunkSize);
  const reports = await inPool(pages, SETTLEMENT_WORKERS, (page) =>
    settleInterestChunk(repository, settlementDate, page, now),
  );
  const [first, ...rest] = reports;
  if (!first) throw new Error(`centre ${repository.city} has no accounts to settle`);
  return rest.reduce(addReports, { ...first });
}

async function seedAccounts(city: CityCode, accounts: number): Promise<void> {
  const template = await makeDepositor([city], 8);
  const templateNo = String(template.accounts[city]);
  if (templateNo !== personalAccountNoAt(city, 1)) throw new Error(`centre ${city} is not empty`);
  const items = await centreRepository(city).queryAll(personalAccountPartition(city, templateNo));
  const text = JSON.stringify(items);
  const copies = Array.from({ length: accounts - 1 }, (_, i) => personalAccountNoAt(city, i + 2));
  const client = dynamoDocumentClient();
  const table = String(process.env.TABLE_NAME);
  const perRequest = Math.floor(25 / items.length) || 1;
  const requests: string[][] = [];
  for (let i = 0; i < copies.length; i += perRequest) requests.push(copies.slice(i, i + perRequest));
  await inPool(requests, 8, async (numbers) => {
    let pending = numbers.flatMap((no) =>
      (JSON.parse(text.replaceAll(templateNo, no)) as Record<string, unknown>[]).map((Item) => ({
        PutRequest: { Item },
      })),
    );
    while (pending.length > 0) {
      const output = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (output.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
  await client.send(
    new PutCommand({
      TableName: table,
      Item: { PK: centreKey(city, 'COUNTER'), SK: 'PERSONAL', value: accounts },
    }),
  );
}

export interface SettlementFigure {
  city: CityCode;
  accounts: number;
  seconds: number;
  msPerAccount: number;
  /** ms per account ÷ that of the smallest run; the target is within 1.2. */
  perAccountRatio: number;
  posted: number;
}

export async function settlementFigures(sizes: readonly [CityCode, number][]): Promise<SettlementFigure[]> {
  const figures: SettlementFigure[] = [];
  for (const [city, accounts] of sizes) {
    await seedAccounts(city, accounts);
    const started = performance.now();
    const report = await measured(SETTLEMENT, () =>
      settle(centreRepository(city), SETTLEMENT_DATE, new Date()),
    );
    const seconds = (performance.now() - started) / 1000;
    if (report.accountsSeen !== accounts || report.posted !== accounts)
      throw new Error(
        `settlement of ${city} saw ${report.accountsSeen} and posted ${report.posted} of ${accounts}`,
      );
    const msPerAccount = (seconds * 1000) / accounts;
    figures.push({
      city,
      accounts,
      seconds,
      msPerAccount,
      perAccountRatio: msPerAccount / (figures[0]?.msPerAccount ?? msPerAccount),
      posted: report.posted,
    });
    console.log(
      `  ${accounts} accounts in ${seconds.toFixed(1)} s (${msPerAccount.toFixed(2)} ms per account)`,
    );
  }
  return figures;
}

export interface RemittanceFigure {
  employees: number;
  seconds: number;
  msPerEmployee: number;
  totalFen: number;
}

export async function remittanceFigure(city: CityCode, employees: number): Promise<RemittanceFigure> {
  const repository = centreRepository(city);
  const now = new Date();
  const month = monthOf(toBeijingDate(now));
  const openedAt = `${addMonths(month, 0)}-01T00:00:00.000Z`;
  const employer = await openEmployerAccount(repository, {
    uscc: randomUscc(city),
    usccCheckCharacterValid: true,
    name: '基准测试单位（演示）',
    address: '测试路 1 号',
    contactName: '测试',
    contactPhone: '13800000000',
    payday: 28,
    openedAt,
    openedBy: 'bench',
  });
  if (!employer.opened) throw new Error('a random credit code collided');
  const params = parametersInForce(city, toBeijingDate(now));
  await inPool(Array.from({ length: employees }), 6, async () => {
    // A random ID number may already hold an account here: draw again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const idNumber = randomIdNumber();
      const opened = await openPersonalAccount(repository, {
        employerAccountNo: employer.record.employerAccountNo,
        personKey: await personKey(idNumber),
        name: '测试人',
        idNumberMasked: maskIdNumber(idNumber),
        monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
        employeeRateBasisPoints: 1200,
        employerRateBasisPoints: 1200,
        ruleVersion: params.ruleVersion,
        openedAt,
      });
      if (opened.opened) return;
    }
    throw new Error('five random ID numbers in a row already held accounts');
  });
  const started = performance.now();
  const { summary } = await measured(REMITTANCE, () =>
    remit(repository, {
      employerAccountNo: employer.record.employerAccountNo,
      month,
      idempotencyKey: `bench-${employer.record.employerAccountNo}-${month}`,
      now,
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (summary.employeeCount !== employees)
    throw new Error(`remitted ${summary.employeeCount} of ${employees}`);
  return { employees, seconds, msPerEmployee: (seconds * 1000) / employees, totalFen: summary.totalFen };
}

export { capacityOf };
