/**
 * Remittance (汇缴), deposit changes and interest (结息) at the store level, on DynamoDB Local:
 * idempotency, concurrent remittances, a chunked remittance interrupted and resumed, injected
 * transaction conflicts, interest settled twice, and a property: whatever happens to a small
 * employer's accounts, each balance is the sum of its ledger.
 *
 * Each scenario runs in a centre of its own so that a centre-wide interest settlement only meets
 * accounts made for it (all integration files share one table).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addMonths, monthOf, nextMonth, previousMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { interestReference, settleCentreInterest } from '../../shared/deposits/interest.js';
import {
  ACCOUNTS_PER_TRANSACTION,
  type RemitInput,
  type RemittanceSummary,
  remit,
} from '../../shared/deposits/remittance.js';
import { type DepositTerms, monthlyDeposit, yearlyInterestFen } from '../../shared/deposits/rules.js';
import {
  changeDepositTerms,
  employerPartition,
  getPersonalAccount,
  openEmployerAccount,
  openPersonalAccount,
} from '../../shared/deposits/store.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { usccCheckCharacter } from '../../shared/identity/uscc.js';
import {
  type LedgerKind,
  personalAccountPartition,
  postingGuardKey,
  postingItems,
} from '../../shared/ledger/ledger.js';
import {
  CentreRepository,
  centreRepository,
  type TransactItem,
} from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { asJob } from '../support/jobs.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';

const TODAY = toBeijingDate(new Date());
const THIS_MONTH = monthOf(TODAY);
const LAST_MONTH = previousMonth(THIS_MONTH);

/** One centre per scenario (see the header). */
const CENTRES = {
  idempotency: '321300', // 宿迁, fen
  chunks: '320700', // 连云港, fen
  conflicts: '370400', // 枣庄, fen
  interest: '340600', // 淮北, yuan
  property: '341300', // 宿州 (Anhui), yuan
  changes: '371700', // 菏泽, fen
} as const satisfies Record<string, CityCode>;

// ------------------------------------------------------------------------------------------------
// Fixtures through the store functions

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function randomUscc(city: string): string {
  let first17 = `91${city}`;
  while (first17.length < 17) first17 += USCC_CHARSET[randomInt(USCC_CHARSET.length)];
  return first17 + usccCheckCharacter(first17);
}

function randomIdNumber(): string {
  const first17 = `341302${1970 + randomInt(30)}${String(1 + randomInt(12)).padStart(2, '0')}${String(
    1 + randomInt(28),
  ).padStart(2, '0')}${String(randomInt(1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

const newKey = () => `key-${randomBytes(12).toString('hex')}`;

/** Employers and accounts here opened half a year ago: the months remitted below are owed. */
const OPENED_AT = `${addMonths(THIS_MONTH, -6)}-01T00:00:00.000Z`;

/**
 * Remits as an employer does, within the month's window: on the 5th of the month itself (before the
 * payday, the 10th), or now if that is earlier. The window itself is tested on its own below.
 */
function remitDuly(repository: CentreRepository, input: RemitInput) {
  const onTime = new Date(Math.min(Date.now(), Date.parse(`${input.month}-05T02:00:00Z`)));
  return remit(repository, { now: onTime, ...input });
}

const TYPICAL: DepositTerms = {
  baseFen: 555_555,
  employeeRateBasisPoints: 1200,
  employerRateBasisPoints: 1200,
};

/** Terms within a centre's limits today. */
function randomTerms(city: CityCode): DepositTerms {
  const params = parametersInForce(city, TODAY);
  return {
    baseFen:
      params.depositBaseFloorFen + randomInt(params.depositBaseCeilingFen - params.depositBaseFloorFen + 1),
    employeeRateBasisPoints: 500 + randomInt(701),
    employerRateBasisPoints: 500 + randomInt(701),
  };
}

function deposit(city: CityCode, terms: DepositTerms) {
  return monthlyDeposit({ ...terms, rounding: parametersInForce(city, TODAY).depositRounding });
}

/** Every account a test opened: its ledger is checked after the test. */
const touched: [CityCode, string][] = [];

afterEach(async () => {
  const accounts = touched.splice(0);
  for (let i = 0; i < accounts.length; i += 10) {
    await Promise.all(accounts.slice(i, i + 10).map(([city, no]) => assertBalanceEqualsLedger(city, no)));
  }
});

async function newEmployer(city: CityCode): Promise<string> {
  const result = await openEmployerAccount(centreRepository(city), {
    uscc: randomUscc(city),
    usccCheckCharacterValid: true,
    name: '测试单位',
    address: '测试路1号',
    contactName: '张三',
    contactPhone: '13800138000',
    payday: 10,
    openedAt: OPENED_AT,
    openedBy: 'remittance.test',
  });
  if (!result.opened) throw new Error('a fresh credit code was already registered');
  return result.record.employerAccountNo;
}

async function newEmployee(city: CityCode, employerAccountNo: string, terms: DepositTerms = TYPICAL) {
  const idNumber = randomIdNumber();
  const result = await openPersonalAccount(centreRepository(city), {
    employerAccountNo,
    personKey: await personKey(idNumber),
    name: '职工',
    idNumberMasked: maskIdNumber(idNumber),
    monthlyDepositBaseFen: terms.baseFen,
    employeeRateBasisPoints: terms.employeeRateBasisPoints,
    employerRateBasisPoints: terms.employerRateBasisPoints,
    ruleVersion: parametersInForce(city, TODAY).ruleVersion,
    openedAt: OPENED_AT,
  });
  if (!result.opened) throw new Error('a fresh ID number already had an account');
  touched.push([city, result.record.personalAccountNo]);
  return result.record.personalAccountNo;
}

/** `count` employees with random terms, opened ten at a time; in the order the employer lists them. */
async function newEmployees(city: CityCode, employerAccountNo: string, count: number) {
  const employees: { personalAccountNo: string; terms: DepositTerms }[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async () => {
        const terms = randomTerms(city);
        return { personalAccountNo: await newEmployee(city, employerAccountNo, terms), terms };
      }),
    );
    employees.push(...batch);
  }
  // The employer lists its employees by account number: the order chunks are posted in.
  return employees.sort((a, b) => a.personalAccountNo.localeCompare(b.personalAccountNo));
}

function expectedTotals(city: CityCode, terms: readonly DepositTerms[]) {
  const deposits = terms.map((t) => deposit(city, t));
  const employeeShareFen = deposits.reduce((sum, d) => sum + d.employeeShareFen, 0);
  const employerShareFen = deposits.reduce((sum, d) => sum + d.employerShareFen, 0);
  return {
    employeeCount: terms.length,
    employeeShareFen,
    employerShareFen,
    totalFen: employeeShareFen + employerShareFen,
  };
}

async function remittanceRecord(city: CityCode, employerAccountNo: string, month: string) {
  return centreRepository(city).get(
    { PK: employerPartition(city, employerAccountNo), SK: `REMITTANCE#${month}` },
    { consistent: true },
  );
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/** Posts a ledger entry directly (e.g. a past deposit, to give interest something to work on). */
async function post(
  city: CityCode,
  personalAccountNo: string,
  posting: { reference: string; amountFen: number; valueDate: string; kind?: LedgerKind },
) {
  const repository = centreRepository(city);
  const account = await getPersonalAccount(repository, personalAccountNo);
  if (!account) throw new Error('no such account');
  await repository.transactWrite(
    postingItems(city, account, {
      reference: posting.reference,
      kind: posting.kind ?? 'adjustment',
      amountFen: posting.amountFen,
      valueDate: posting.valueDate,
      postedAt: new Date().toISOString(),
      allowedStatuses: ['normal', 'sealed'],
    }),
  );
}

function changeMeta(effectiveMonth = THIS_MONTH) {
  return {
    changedBy: 'remittance.test',
    changedAt: new Date().toISOString(),
    effectiveMonth,
    changeId: crypto.randomUUID(),
  };
}

async function change(
  city: CityCode,
  personalAccountNo: string,
  terms: {
    monthlyDepositBaseFen?: number;
    employeeRateBasisPoints?: number;
    employerRateBasisPoints?: number;
    status?: 'normal' | 'sealed';
  },
) {
  const repository = centreRepository(city);
  const account = await getPersonalAccount(repository, personalAccountNo);
  if (!account) throw new Error('no such account');
  return changeDepositTerms(
    repository,
    account,
    { ...terms, ruleVersion: parametersInForce(city, TODAY).ruleVersion },
    changeMeta(),
  );
}

// ------------------------------------------------------------------------------------------------
// A repository with faults injected into its transactions

type Fault =
  | 'conflict' // DynamoDB cancels the transaction: another one held an item (nothing written)
  | 'crash-after-commit'; // written, but the caller never hears so (a lost response)

function transactionConflict(): Error {
  return Object.assign(
    new Error('Transaction cancelled, please refer cancellation reasons for specific reasons'),
    {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
    },
  );
}

class FaultyRepository extends CentreRepository {
  transactCalls = 0;

  constructor(
    city: CityCode,
    /** By call number (1-based). */
    private readonly faults: ReadonlyMap<number, Fault>,
    /** Runs before the call of that number reaches the table. */
    private readonly before: ReadonlyMap<number, () => Promise<void>> = new Map(),
  ) {
    super(city, dynamoDocumentClient(), tableName());
  }

  override async transactWrite(items: readonly TransactItem[]): Promise<void> {
    const call = ++this.transactCalls;
    await this.before.get(call)?.();
    const fault = this.faults.get(call);
    if (fault === 'conflict') throw transactionConflict();
    await super.transactWrite(items);
    if (fault === 'crash-after-commit') throw new Error('socket hang up');
  }
}

// ------------------------------------------------------------------------------------------------

describe('idempotency', () => {
  const city = CENTRES.idempotency;

  it('the same key replays the first answer; another key for the month is a 409; the key for another month a 422', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, 3);
    const repository = centreRepository(city);
    const key = newKey();

    const first = await remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: key });
    expect(first.replayed).toBe(false);
    expect(first.summary).toMatchObject({
      employerAccountNo,
      month: LAST_MONTH,
      status: 'completed',
      ...expectedTotals(
        city,
        employees.map((e) => e.terms),
      ),
    });

    const replay = await remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: key });
    expect(replay).toEqual({ replayed: true, summary: first.summary });

    const other = await rejection(
      remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() }),
    );
    expect(other).toMatchObject({ kind: 'conflict', code: 'REMITTANCE_MONTH_EXISTS' });
    expect(other.details.remittance).toEqual(first.summary);

    const reused = await rejection(
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key }),
    );
    expect(reused).toMatchObject({ kind: 'refused', code: 'IDEMPOTENCY_KEY_REUSED' });

    const future = await rejection(
      remitDuly(repository, { employerAccountNo, month: nextMonth(THIS_MONTH), idempotencyKey: newKey() }),
    );
    expect(future).toMatchObject({ kind: 'refused', code: 'REMITTANCE_MONTH_IN_FUTURE' });
    await expect(
      remitDuly(repository, { employerAccountNo, month: '2026-7', idempotencyKey: newKey() }),
    ).rejects.toThrow(RangeError);

    for (const { personalAccountNo, terms } of employees) {
      const { entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
      expect(entries.map((e) => [e.reference, e.amountFen])).toEqual([
        [`REMIT#${LAST_MONTH}`, deposit(city, terms).totalFen],
      ]);
    }
  });

  it('the same key sent twice at once credits once', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, 4);
    const repository = centreRepository(city);
    const key = newKey();
    const both = await Promise.all([
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key }),
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key }),
    ]);
    const expected = expectedTotals(
      city,
      employees.map((e) => e.terms),
    );
    const settled = await remitDuly(repository, {
      employerAccountNo,
      month: THIS_MONTH,
      idempotencyKey: key,
    });
    expect(settled.replayed).toBe(true);
    expect(settled.summary).toMatchObject({ status: 'completed', ...expected });
    for (const answer of both) expect(answer.summary.remittanceId).toBe(settled.summary.remittanceId);
    for (const { personalAccountNo } of employees) {
      expect(await ledgerEntries(city, personalAccountNo)).toHaveLength(1);
    }
  });
});

describe('concurrent remittances of one employer', () => {
  const city = CENTRES.idempotency;

  it('the same month with two keys at once: exactly one succeeds, the other is a 409, credited once', async () => {
    for (let round = 0; round < 3; round++) {
      const employerAccountNo = await newEmployer(city);
      const employees = await newEmployees(city, employerAccountNo, 3);
      const repository = centreRepository(city);
      const outcomes = await Promise.allSettled([
        remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() }),
        remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ kind: 'conflict', code: 'REMITTANCE_MONTH_EXISTS' });
      for (const { personalAccountNo, terms } of employees) {
        const { account, entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
        expect(entries).toHaveLength(1);
        expect(account.balanceFen).toBe(deposit(city, terms).totalFen);
      }
    }
  });

  it('two different months at once (two chunks each): both succeed, every account credited twice', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, ACCOUNTS_PER_TRANSACTION + 5);
    const repository = centreRepository(city);
    const [last, current] = await Promise.all([
      remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() }),
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: newKey() }),
    ]);
    const expected = expectedTotals(
      city,
      employees.map((e) => e.terms),
    );
    expect(last.summary).toMatchObject({ status: 'completed', month: LAST_MONTH, ...expected });
    expect(current.summary).toMatchObject({ status: 'completed', month: THIS_MONTH, ...expected });
    for (const { personalAccountNo, terms } of employees) {
      const { account, entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
      expect(entries.map((e) => e.reference).sort()).toEqual([`REMIT#${LAST_MONTH}`, `REMIT#${THIS_MONTH}`]);
      expect(account.balanceFen).toBe(2 * deposit(city, terms).totalFen);
      expect(account.lastDepositMonth).toBe(THIS_MONTH);
    }
  });
});

describe('a chunked remittance interrupted and resumed', () => {
  const city = CENTRES.chunks;

  it('70 employees (3 transactions), a crash after the first: resumed with the same key, each credited once', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, 70);
    const repository = centreRepository(city);
    const key = newKey();
    const expected = expectedTotals(
      city,
      employees.map((e) => e.terms),
    );

    const seen: number[] = [];
    await expect(
      remitDuly(repository, {
        employerAccountNo,
        month: LAST_MONTH,
        idempotencyKey: key,
        afterChunk: async (postedSoFar) => {
          seen.push(postedSoFar);
          throw new Error('injected crash after the first chunk');
        },
      }),
    ).rejects.toThrow('injected crash');
    expect(seen).toEqual([ACCOUNTS_PER_TRANSACTION]);

    // Halfway: the first 30 are credited, the remittance says so, the rest are not.
    const halfway = await remittanceRecord(city, employerAccountNo, LAST_MONTH);
    const firstChunk = employees.slice(0, ACCOUNTS_PER_TRANSACTION);
    expect(halfway).toMatchObject({
      status: 'in_progress',
      ...expectedTotals(
        city,
        firstChunk.map((e) => e.terms),
      ),
    });
    const credited = await Promise.all(employees.map((e) => ledgerEntries(city, e.personalAccountNo)));
    expect(credited.map((entries) => entries.length)).toEqual(
      employees.map((_, i) => (i < ACCOUNTS_PER_TRANSACTION ? 1 : 0)),
    );

    // Another key meanwhile is still a second remittance of the month.
    const other = await rejection(
      remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() }),
    );
    expect(other).toMatchObject({ kind: 'conflict', code: 'REMITTANCE_MONTH_EXISTS' });
    expect(other.details.remittance).toMatchObject({ status: 'in_progress' });

    const chunksOnResume: number[] = [];
    const resumed = await remitDuly(repository, {
      employerAccountNo,
      month: LAST_MONTH,
      idempotencyKey: key,
      afterChunk: async (postedSoFar) => {
        chunksOnResume.push(postedSoFar);
      },
    });
    expect(resumed.replayed).toBe(false);
    expect(resumed.summary).toMatchObject({
      status: 'completed',
      completedAt: expect.any(String),
      ...expected,
    });
    // The first chunk had nothing left to post; the other two posted the remaining 40.
    expect(chunksOnResume).toEqual([0, ACCOUNTS_PER_TRANSACTION, 70 - ACCOUNTS_PER_TRANSACTION]);

    const replay = await remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: key });
    expect(replay).toEqual({ replayed: true, summary: resumed.summary });

    for (const { personalAccountNo, terms } of employees) {
      const { account, entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
      expect(entries).toHaveLength(1);
      expect(account.balanceFen).toBe(deposit(city, terms).totalFen);
      expect(entries[0]?.details).toMatchObject({ month: LAST_MONTH, employerAccountNo });
    }
  });

  it('a crash after the second chunk, resumed twice at once with the same key: still once', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, 65);
    const repository = centreRepository(city);
    const key = newKey();
    await expect(
      remitDuly(repository, {
        employerAccountNo,
        month: THIS_MONTH,
        idempotencyKey: key,
        afterChunk: async (postedSoFar) => {
          if (postedSoFar >= 2 * ACCOUNTS_PER_TRANSACTION) throw new Error('injected crash after two chunks');
        },
      }),
    ).rejects.toThrow('injected crash');
    await Promise.all([
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key }),
      remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key }),
    ]);
    const final = await remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: key });
    expect(final.summary).toMatchObject({
      status: 'completed',
      ...expectedTotals(
        city,
        employees.map((e) => e.terms),
      ),
    });
    for (const { personalAccountNo } of employees) {
      expect(await ledgerEntries(city, personalAccountNo)).toHaveLength(1);
    }
  });
});

describe('injected transaction faults', () => {
  const city = CENTRES.conflicts;

  it('TransactionConflict on starting and on a chunk is retried without double effects', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, ACCOUNTS_PER_TRANSACTION + 3);
    // Calls: 1 start (refused), 2 start; 3 first chunk (refused), 4 first chunk; 5, 6 second chunk
    // (refused twice), 7 second chunk.
    const repository = new FaultyRepository(
      city,
      new Map<number, Fault>([
        [1, 'conflict'],
        [3, 'conflict'],
        [5, 'conflict'],
        [6, 'conflict'],
      ]),
    );
    const result = await remitDuly(repository, {
      employerAccountNo,
      month: LAST_MONTH,
      idempotencyKey: newKey(),
    });
    expect(result.summary).toMatchObject({
      status: 'completed',
      ...expectedTotals(
        city,
        employees.map((e) => e.terms),
      ),
    });
    // start ×2, first chunk ×2, second chunk ×3
    expect(repository.transactCalls).toBe(7);
    for (const { personalAccountNo, terms } of employees) {
      const { account, entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
      expect(entries).toHaveLength(1);
      expect(account.balanceFen).toBe(deposit(city, terms).totalFen);
    }
  });

  it('a response lost after a chunk committed: the retry with the same key posts nothing twice', async () => {
    const employerAccountNo = await newEmployer(city);
    const employees = await newEmployees(city, employerAccountNo, ACCOUNTS_PER_TRANSACTION + 3);
    const key = newKey();
    const repository = new FaultyRepository(city, new Map<number, Fault>([[2, 'crash-after-commit']]));
    await expect(
      remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: key }),
    ).rejects.toThrow('socket hang up');
    const retried = await remitDuly(centreRepository(city), {
      employerAccountNo,
      month: LAST_MONTH,
      idempotencyKey: key,
    });
    expect(retried.summary).toMatchObject({
      status: 'completed',
      ...expectedTotals(
        city,
        employees.map((e) => e.terms),
      ),
    });
    for (const { personalAccountNo } of employees) {
      expect(await ledgerEntries(city, personalAccountNo)).toHaveLength(1);
    }
  });

  it('a conflict while settling interest is retried and posts once', async () => {
    // Its own centre's counter is shared with the other tests here: settle only this centre, then look
    // at this account.
    const employerAccountNo = await newEmployer(city);
    const personalAccountNo = await newEmployee(city, employerAccountNo);
    await post(city, personalAccountNo, {
      reference: 'SEED#1',
      amountFen: 1_000_000,
      valueDate: '2025-07-01',
    });
    // Only this account's transactions meet the fault (the centre holds other tests' accounts too).
    const partition = personalAccountPartition(city, personalAccountNo);
    let calls = 0;
    const repository = new (class extends CentreRepository {
      override async transactWrite(items: readonly TransactItem[]): Promise<void> {
        const keys = items.map((item) => item.Update?.Key?.PK ?? item.Put?.Item?.PK);
        if (keys.includes(partition) && ++calls === 1) throw transactionConflict();
        return super.transactWrite(items);
      }
    })(city, dynamoDocumentClient(), tableName());
    await asJob('settle-interest', () => settleCentreInterest(repository, '2026-06-30'));
    // Refused once, then posted.
    expect(calls).toBe(2);
    const entries = (await ledgerEntries(city, personalAccountNo)).filter((e) => e.kind === 'interest');
    expect(entries).toEqual([
      expect.objectContaining({
        reference: interestReference('2026-06-30'),
        amountFen: yearlyInterestFen({
          openingBalanceFen: 0,
          movements: [{ date: '2025-07-01', amountFen: 1_000_000 }],
          settlementDate: '2026-06-30',
        }).interestFen,
      }),
    ]);
  });
});

describe('deposit terms changes racing with postings and with each other', () => {
  const city = CENTRES.changes;

  it('a change made from a stale read is refused, so the change log never hides a change', async () => {
    const employerAccountNo = await newEmployer(city);
    const personalAccountNo = await newEmployee(city, employerAccountNo);
    const repository = centreRepository(city);
    const ruleVersion = parametersInForce(city, TODAY).ruleVersion;
    const stale = await getPersonalAccount(repository, personalAccountNo);
    if (!stale) throw new Error('no account');
    await changeDepositTerms(
      repository,
      stale,
      { monthlyDepositBaseFen: 600_000, ruleVersion },
      changeMeta(),
    );
    // A second change from the same read: its `previous` (555,555) would be a lie; it must fail.
    await expect(
      changeDepositTerms(repository, stale, { monthlyDepositBaseFen: 700_000, ruleVersion }, changeMeta()),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    const account = await getPersonalAccount(repository, personalAccountNo);
    expect(account?.monthlyDepositBaseFen).toBe(600_000);
  });

  it('a change committed between a remittance’s read and its posting is not overwritten by stale terms', async () => {
    const employerAccountNo = await newEmployer(city);
    const personalAccountNo = await newEmployee(city, employerAccountNo);
    const newTerms = { baseFen: 800_000, employeeRateBasisPoints: 1000, employerRateBasisPoints: 1000 };
    // Call 1 starts the remittance; before call 2 (the chunk, whose accounts were just read) the base changes.
    const repository = new FaultyRepository(
      city,
      new Map(),
      new Map([
        [
          2,
          async () => {
            await change(city, personalAccountNo, {
              monthlyDepositBaseFen: newTerms.baseFen,
              employeeRateBasisPoints: newTerms.employeeRateBasisPoints,
              employerRateBasisPoints: newTerms.employerRateBasisPoints,
            });
          },
        ],
      ]),
    );
    await remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: newKey() });
    const { entries } = await assertBalanceEqualsLedger(city, personalAccountNo);
    expect(entries).toHaveLength(1);
    // The change was committed before the posting: the posting uses it (or is retried until it does).
    expect(entries[0]?.amountFen).toBe(deposit(city, newTerms).totalFen);
    expect(entries[0]?.details).toMatchObject({ monthlyDepositBaseFen: newTerms.baseFen });
  });

  it('sealing between a remittance’s read and its posting: the sealed account is not credited', async () => {
    const employerAccountNo = await newEmployer(city);
    const sealed = await newEmployee(city, employerAccountNo);
    const other = await newEmployee(city, employerAccountNo);
    const repository = new FaultyRepository(
      city,
      new Map(),
      new Map([[2, async () => void (await change(city, sealed, { status: 'sealed' }))]]),
    );
    const result = await remitDuly(repository, {
      employerAccountNo,
      month: THIS_MONTH,
      idempotencyKey: newKey(),
    });
    expect(result.summary).toMatchObject({ employeeCount: 1, totalFen: deposit(city, TYPICAL).totalFen });
    expect(await ledgerEntries(city, sealed)).toHaveLength(0);
    expect(await ledgerEntries(city, other)).toHaveLength(1);
  });

  // Regression (fixed): depositRunAfter (shared/deposits/remittance.ts) ignored a deposit for a
  // month before the last deposited month (补缴, or two months remitted out of order), so the run it
  // completed was never extended and continuousDepositMonths undercounted (loan eligibility reads
  // it). A gap-filling month recounts the run.
  it('a month remitted late fills the gap in the continuous deposit run', async () => {
    const employerAccountNo = await newEmployer(city);
    const personalAccountNo = await newEmployee(city, employerAccountNo);
    const repository = centreRepository(city);
    await remitDuly(repository, { employerAccountNo, month: THIS_MONTH, idempotencyKey: newKey() });
    await remitDuly(repository, { employerAccountNo, month: LAST_MONTH, idempotencyKey: newKey() });
    const account = await getPersonalAccount(repository, personalAccountNo);
    expect(account).toMatchObject({ lastDepositMonth: THIS_MONTH, continuousDepositMonths: 2 });
  });
});

describe('yearly interest (结息)', () => {
  const city = CENTRES.interest;

  it('settled twice for the same year: posted once, the amount from the ledger’s movements', async () => {
    const employerAccountNo = await newEmployer(city);
    const normal = await newEmployee(city, employerAccountNo);
    const sealed = await newEmployee(city, employerAccountNo);
    const movements = [
      { reference: 'SEED#before', amountFen: 30_000, valueDate: '2025-03-01' },
      { reference: 'SEED#1', amountFen: 100_000, valueDate: '2025-07-01' },
      { reference: 'SEED#2', amountFen: 55_555, valueDate: '2025-12-15' },
      { reference: 'SEED#3', amountFen: 20_000, valueDate: '2026-06-30' },
    ];
    for (const no of [normal, sealed]) for (const movement of movements) await post(city, no, movement);
    await change(city, sealed, { status: 'sealed' });
    // A remittance today is after the interest year: it does not count.
    await remitDuly(centreRepository(city), {
      employerAccountNo,
      month: THIS_MONTH,
      idempotencyKey: newKey(),
    });

    // The seed before 1 July 2025 was never settled: its year (2024-07-01 … 2025-06-30) is settled
    // with this one, credited on its own 30 June, and earns in the next year.
    const missed = yearlyInterestFen({
      openingBalanceFen: 0,
      movements: [{ date: '2025-03-01', amountFen: 30_000 }],
      settlementDate: '2025-06-30',
    });
    expect(missed.interestFen).toBe(Math.round((30_000 * 122 * 0.015) / 360));
    const expected = yearlyInterestFen({
      openingBalanceFen: 30_000 + missed.interestFen,
      movements: movements.slice(1).map((m) => ({ date: m.valueDate, amountFen: m.amountFen })),
      settlementDate: '2026-06-30',
    });
    // By hand: 积数 = 130,153 × 167 + 185,708 × 197 + 205,708 × 1 fen-days; × 1.5% / 360.
    const opening = 30_000 + missed.interestFen;
    const fenDays = (opening + 100_000) * 167 + (opening + 155_555) * 197 + (opening + 175_555);
    expect(expected.fenDays).toBe(BigInt(fenDays));
    expect(expected.interestFen).toBe(Math.round((fenDays * 0.015) / 360));

    const now = new Date('2026-06-30T16:30:00Z');
    const [first, second] = await Promise.all([
      asJob('settle-interest', () => settleCentreInterest(centreRepository(city), '2026-06-30', now)),
      asJob('settle-interest', () => settleCentreInterest(centreRepository(city), '2026-06-30', now)),
    ]);
    expect(first.posted + second.posted).toBeGreaterThanOrEqual(2);
    const third = await asJob('settle-interest', () =>
      settleCentreInterest(centreRepository(city), '2026-06-30', now),
    );
    expect(third.posted).toBe(0);
    expect(third.alreadySettled).toBeGreaterThanOrEqual(2);

    for (const no of [normal, sealed]) {
      const { entries } = await assertBalanceEqualsLedger(city, no);
      const interest = entries.filter((e) => e.kind === 'interest');
      expect(interest).toEqual([
        expect.objectContaining({
          reference: interestReference('2025-06-30'),
          amountFen: missed.interestFen,
          valueDate: '2025-06-30',
        }),
        expect.objectContaining({
          reference: interestReference('2026-06-30'),
          amountFen: expected.interestFen,
          valueDate: '2026-06-30',
          postedAt: now.toISOString(),
          details: expect.objectContaining({
            from: '2025-07-01',
            to: '2026-06-30',
            days: 365,
            fenDays: String(fenDays),
            annualRateBasisPoints: 150,
          }),
        }),
      ]);
      const guard = await centreRepository(city).get(
        postingGuardKey(city, no, interestReference('2026-06-30')),
        {
          consistent: true,
        },
      );
      expect(guard?.ledgerSortKey).toBe(interest[1]?.SK);
    }

    // The year before, run late: already settled with the later one, nothing posted twice.
    const late = await asJob('settle-interest', () =>
      settleCentreInterest(centreRepository(city), '2025-06-30', now),
    );
    expect(late.posted).toBe(0);
    const { entries } = await assertBalanceEqualsLedger(city, normal);
    const earlier = entries.filter((e) => e.reference === interestReference('2025-06-30'));
    expect(earlier).toHaveLength(1);
    expect(earlier[0]?.amountFen).toBe(
      yearlyInterestFen({
        openingBalanceFen: 0,
        movements: [{ date: '2025-03-01', amountFen: 30_000 }],
        settlementDate: '2025-06-30',
      }).interestFen,
    );
    await expect(
      asJob('settle-interest', () => settleCentreInterest(centreRepository(city), '2026-06-29', now)),
    ).rejects.toThrow(RangeError);
    // A year that has not ended is not settled (on 1 July 2026 the year to 30 June 2027 has just begun).
    await expect(
      asJob('settle-interest', () => settleCentreInterest(centreRepository(city), '2027-06-30', now)),
    ).rejects.toThrow(/has not ended/);
  });
});

// ------------------------------------------------------------------------------------------------

describe('property: balance = sum of ledger, whatever happens', () => {
  const city = CENTRES.property;
  const params = parametersInForce(city, TODAY);

  type Op =
    | { kind: 'remit'; monthsBack: number; replay: boolean }
    | {
        kind: 'change';
        who: number;
        baseFen: number | undefined;
        employeeRateBasisPoints: number | undefined;
        employerRateBasisPoints: number | undefined;
      }
    | { kind: 'status'; who: number; status: 'normal' | 'sealed' }
    | { kind: 'settle'; year: 2025 | 2026 };

  const rate = fc.integer({ min: params.depositRateMinBasisPoints, max: params.depositRateMaxBasisPoints });
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('remit' as const),
        monthsBack: fc.nat(3),
        replay: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('change' as const),
        who: fc.nat(2),
        baseFen: fc.option(
          fc.integer({ min: params.depositBaseFloorFen, max: params.depositBaseCeilingFen }),
          {
            nil: undefined,
          },
        ),
        employeeRateBasisPoints: fc.option(rate, { nil: undefined }),
        employerRateBasisPoints: fc.option(rate, { nil: undefined }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('status' as const),
        who: fc.nat(2),
        status: fc.constantFrom('normal' as const, 'sealed' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('settle' as const),
        year: fc.constantFrom(2025 as const, 2026 as const),
      }),
    },
  );
  const seedAmount = fc.integer({ min: 1, max: 5_000_000 });

  it('remit, change, seal and unseal, settle interest: every account stays consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 8 }),
        fc.tuple(seedAmount, seedAmount, seedAmount),
        async (ops, seeds) => {
          const repository = centreRepository(city);
          const employerAccountNo = await newEmployer(city);
          const model = await Promise.all(
            seeds.map(async (amountFen) => {
              const terms = randomTerms(city);
              const personalAccountNo = await newEmployee(city, employerAccountNo, terms);
              // Something for interest to work on in both interest years.
              await post(city, personalAccountNo, {
                reference: 'SEED#2024',
                amountFen,
                valueDate: '2024-09-01',
              });
              await post(city, personalAccountNo, {
                reference: 'SEED#2025',
                amountFen,
                valueDate: '2025-08-01',
              });
              return {
                personalAccountNo,
                terms,
                // Every change below takes effect this month: earlier months keep the opening terms.
                openingTerms: terms,
                status: 'normal' as 'normal' | 'sealed',
                remitted: 0,
                lastDepositMonth: undefined as string | undefined,
              };
            }),
          );
          const remittances = new Map<string, { key: string; summary: RemittanceSummary }>();

          for (const step of ops) {
            switch (step.kind) {
              case 'remit': {
                const month = addMonths(THIS_MONTH, -step.monthsBack);
                const done = remittances.get(month);
                if (done && step.replay) {
                  const replay = await remitDuly(repository, {
                    employerAccountNo,
                    month,
                    idempotencyKey: done.key,
                  });
                  expect(replay).toEqual({ replayed: true, summary: done.summary });
                } else if (done) {
                  const refused = await rejection(
                    remitDuly(repository, { employerAccountNo, month, idempotencyKey: newKey() }),
                  );
                  expect(refused.code).toBe('REMITTANCE_MONTH_EXISTS');
                } else {
                  const key = newKey();
                  const due = model.filter((m) => m.status === 'normal');
                  const { summary } = await remitDuly(repository, {
                    employerAccountNo,
                    month,
                    idempotencyKey: key,
                  });
                  const termsOf = (m: (typeof model)[number]) =>
                    month < THIS_MONTH ? m.openingTerms : m.terms;
                  expect(summary).toMatchObject(expectedTotals(city, due.map(termsOf)));
                  remittances.set(month, { key, summary });
                  for (const m of due) {
                    m.remitted += deposit(city, termsOf(m)).totalFen;
                    if (m.lastDepositMonth === undefined || month > m.lastDepositMonth)
                      m.lastDepositMonth = month;
                  }
                }
                break;
              }
              case 'change': {
                const m = model[step.who] as (typeof model)[number];
                const terms = {
                  ...(step.baseFen === undefined ? {} : { monthlyDepositBaseFen: step.baseFen }),
                  ...(step.employeeRateBasisPoints === undefined
                    ? {}
                    : { employeeRateBasisPoints: step.employeeRateBasisPoints }),
                  ...(step.employerRateBasisPoints === undefined
                    ? {}
                    : { employerRateBasisPoints: step.employerRateBasisPoints }),
                };
                if (Object.keys(terms).length === 0) break;
                await change(city, m.personalAccountNo, terms);
                m.terms = {
                  baseFen: step.baseFen ?? m.terms.baseFen,
                  employeeRateBasisPoints: step.employeeRateBasisPoints ?? m.terms.employeeRateBasisPoints,
                  employerRateBasisPoints: step.employerRateBasisPoints ?? m.terms.employerRateBasisPoints,
                };
                break;
              }
              case 'status': {
                const m = model[step.who] as (typeof model)[number];
                await change(city, m.personalAccountNo, { status: step.status });
                m.status = step.status;
                break;
              }
              case 'settle':
                await asJob('settle-interest', () => settleCentreInterest(repository, `${step.year}-06-30`));
                break;
            }
          }

          for (const m of model) {
            const { account, entries } = await assertBalanceEqualsLedger(city, m.personalAccountNo);
            const remitted = entries.filter((e) => e.kind === 'remittance');
            expect(remitted.reduce((sum, e) => sum + e.amountFen, 0)).toBe(m.remitted);
            expect(account).toMatchObject({
              status: m.status,
              monthlyDepositBaseFen: m.terms.baseFen,
              employeeRateBasisPoints: m.terms.employeeRateBasisPoints,
              employerRateBasisPoints: m.terms.employerRateBasisPoints,
            });
            expect(account.lastDepositMonth).toBe(m.lastDepositMonth);
            // Interest at most once a year.
            const interest = entries.filter((e) => e.kind === 'interest').map((e) => e.reference);
            expect(new Set(interest).size).toBe(interest.length);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
