/**
 * Employers, personal accounts and their changes, in a centre's own partitions:
 *
 * | record                                  | PK                                   | SK                     |
 * |-----------------------------------------|--------------------------------------|------------------------|
 * | account-number counter                  | `C#<city>#COUNTER`                   | `EMPLOYER`/`PERSONAL`  |
 * | employer account (单位账户)              | `C#<city>#EMPLOYER#<employerAccountNo>` | `PROFILE`           |
 * | one employer account per credit code    | `C#<city>#USCC#<uscc>`               | `EMPLOYER`             |
 * | an employer's employee                  | `C#<city>#EMPLOYER#<employerAccountNo>` | `EMPLOYEE#<personalAccountNo>` |
 * | remittance of a month (汇缴)             | `C#<city>#EMPLOYER#<employerAccountNo>` | `REMITTANCE#<YYYY-MM>` |
 * | remittance idempotency key              | `C#<city>#EMPLOYER#<employerAccountNo>` | `IDEMPOTENCY#<key>`  |
 * | a base adjustment being posted          | `C#<city>#EMPLOYER#<employerAccountNo>` | `BASEADJ_POSTING`    |
 * | personal account (个人账户)              | `C#<city>#PACCT#<personalAccountNo>` | `ACCOUNT`              |
 * | its ledger, guards (see ledger.ts)       | `C#<city>#PACCT#<personalAccountNo>` | `LEDGER#…`/`POSTED#…`  |
 * | its change log (变更记录)                | `C#<city>#PACCT#<personalAccountNo>` | `CHANGE#<at>#<id>`     |
 * | the person's one open account here      | `C#<city>#PERSON#<personKey>`        | `OPEN_ACCOUNT`         |
 * | regional index: where a person holds accounts | `R#PERSON#<personKey>`          | `ACCOUNT#<city>#<personalAccountNo>` |
 * | regional count of the person's deposit starts | `R#PERSON#<personKey>`         | `DEPOSIT_STARTS`       |
 *
 * Personal accounts also carry GSI1 = (`PERSON#<personKey>`, `ACCOUNT#<city>#<no>`), so a
 * citizen's accounts in all ten centres are one Query (INFO_QUERY). Account numbers are the
 * city code, a kind digit (1 employer, 2 personal) and a sequence: the centre is in the number,
 * and a centre's accounts can be enumerated from its counter without a Scan.
 *
 * A voluntary account (灵活就业人员自愿缴存) is a personal account with no `employerAccountNo`: the
 * person remits both shares (shared/deposits/voluntary.ts). Every account that starts depositing
 * (opened, or unsealed: 启封) moves the person's regional `DEPOSIT_STARTS` count, so a voluntary
 * opening that checked the person's other accounts can require in its own transaction that none
 * started depositing anywhere meanwhile.
 */
import type { CityCode } from '../config/cities.js';
import { sortKeyPage } from '../http/cursor.js';
import { ACCOUNT_SK, personalAccountPartition } from '../ledger/ledger.js';
import type { CentreRepository, TableItem, TransactItem } from '../persistence/centre-repository.js';
import { centreKey, regionalKey } from '../persistence/table.js';
import { byCodeUnits } from '../text/order.js';
import { continuousDepositMonths } from './rules.js';

export type AccountKind = 'employer' | 'personal';
const KIND_DIGIT: Record<AccountKind, string> = { employer: '1', personal: '2' };
const SEQUENCE_DIGITS: Record<AccountKind, number> = { employer: 7, personal: 9 };

export type PersonalAccountStatus = 'normal' | 'sealed' | 'closed';

export interface EmployerRecord {
  PK: string;
  SK: 'PROFILE';
  employerAccountNo: string;
  city: CityCode;
  uscc: string;
  usccCheckCharacterValid: boolean;
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
  /** Day of the month wages are paid (发薪日), when the monthly remittance is due. */
  payday: number;
  openedAt: string;
  openedBy: string;
}

export interface PersonalAccountRecord {
  PK: string;
  SK: typeof ACCOUNT_SK;
  GSI1PK: string;
  GSI1SK: string;
  personalAccountNo: string;
  city: CityCode;
  /** Absent on a voluntary account (自愿缴存): no employer, the person remits both shares. */
  employerAccountNo?: string;
  /** A voluntary account's due day: a month may be paid until this day of the following month. */
  payday?: number;
  /** A voluntary account's opening request (its idempotency seed): a retry after a crash finds it. */
  openingSeed?: string;
  personKey: string;
  name: string;
  idNumberMasked: string;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
  status: PersonalAccountStatus;
  balanceFen: number;
  version: number;
  /** The rule version the current terms were checked against. */
  ruleVersion: string;
  openedAt: string;
  lastDepositMonth?: string;
  continuousDepositMonths: number;
  /** Every month a full deposit was credited for, ascending (补缴 of a gap mends the run). */
  depositMonths: string[];
  /** Deposit months moved in from another region centre's account (转移接续): they count as continuous. */
  transferredInMonths?: string[];
  /** Months back-paid (补缴) where the centre does not count them as continuous: kept apart. */
  backPaidMonths?: string[];
  /** The deposit terms by the month they take effect from, ascending: a remittance uses its month's. */
  termsHistory: DepositTermsVersion[];
  /**
   * For a woman: which statutory retirement age applies (原法定退休年龄 55 or 50), an employment
   * fact the employer records; it cannot be derived from the ID number.
   */
  womanRetirementCategory?: 'age55' | 'age50';
}

export interface DepositTermsVersion {
  effectiveMonth: string;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
}

/** The terms in effect for a month: the latest taking effect on or before it (the first, before any). */
export function termsFor(account: PersonalAccountRecord, month: string): DepositTermsVersion {
  const history = account.termsHistory ?? [];
  let terms = history[0];
  for (const version of history) if (version.effectiveMonth <= month) terms = version;
  return (
    terms ?? {
      effectiveMonth: month,
      monthlyDepositBaseFen: account.monthlyDepositBaseFen,
      employeeRateBasisPoints: account.employeeRateBasisPoints,
      employerRateBasisPoints: account.employerRateBasisPoints,
    }
  );
}

export function employerPartition(city: CityCode, employerAccountNo: string): string {
  return centreKey(city, 'EMPLOYER', employerAccountNo);
}

/**
 * Present while a yearly base adjustment (shared/base-adjustments/) posts its chunks: a remittance
 * of a month from its effective month on waits, so no month is remitted half at the old base.
 */
export function baseAdjustmentMarkerKey(city: CityCode, employerAccountNo: string) {
  return { PK: employerPartition(city, employerAccountNo), SK: 'BASEADJ_POSTING' };
}

export function personIndexKey(personKey: string): string {
  return `PERSON#${personKey}`;
}

/** A voluntary account (灵活就业人员自愿缴存): no employer remits for it. */
export function isVoluntary(account: Pick<PersonalAccountRecord, 'employerAccountNo'>): boolean {
  return account.employerAccountNo === undefined;
}

/** The regional count of the person's accounts starting to deposit, in any centre (see the header). */
export function depositStartsKey(personKey: string) {
  return { PK: regionalKey('PERSON', personKey), SK: 'DEPOSIT_STARTS' };
}

export async function nextAccountNo(repository: CentreRepository, kind: AccountKind): Promise<string> {
  const attributes = await repository.update({
    Key: { PK: centreKey(repository.city, 'COUNTER'), SK: kind.toUpperCase() },
    UpdateExpression: 'ADD #value :one',
    ExpressionAttributeNames: { '#value': 'value' },
    ExpressionAttributeValues: { ':one': 1 },
    ReturnValues: 'UPDATED_NEW',
  });
  const sequence = String(attributes?.value);
  return `${repository.city}${KIND_DIGIT[kind]}${sequence.padStart(SEQUENCE_DIGITS[kind], '0')}`;
}

/** How many account numbers of a kind a centre has issued (for enumerating without a Scan). */
export async function issuedAccountCount(repository: CentreRepository, kind: AccountKind): Promise<number> {
  const counter = await repository.get(
    { PK: centreKey(repository.city, 'COUNTER'), SK: kind.toUpperCase() },
    { consistent: true },
  );
  return Number(counter?.value ?? 0);
}

export function personalAccountNoAt(city: CityCode, sequence: number): string {
  return `${city}${KIND_DIGIT.personal}${String(sequence).padStart(SEQUENCE_DIGITS.personal, '0')}`;
}

export async function getEmployer(repository: CentreRepository, employerAccountNo: string) {
  return repository.get<EmployerRecord & Record<string, unknown>>(
    { PK: employerPartition(repository.city, employerAccountNo), SK: 'PROFILE' },
    { consistent: true },
  );
}

export async function employerByUscc(
  repository: CentreRepository,
  uscc: string,
): Promise<string | undefined> {
  const link = await repository.get(
    { PK: centreKey(repository.city, 'USCC', uscc), SK: 'EMPLOYER' },
    { consistent: true },
  );
  return link?.employerAccountNo as string | undefined;
}

/** Opens the employer account unless the credit code already has one in this centre. */
export async function openEmployerAccount(
  repository: CentreRepository,
  employer: Omit<EmployerRecord, 'PK' | 'SK' | 'employerAccountNo' | 'city'>,
): Promise<{ opened: true; record: EmployerRecord } | { opened: false; employerAccountNo: string }> {
  const existing = await employerByUscc(repository, employer.uscc);
  if (existing) return { opened: false, employerAccountNo: existing };
  const employerAccountNo = await nextAccountNo(repository, 'employer');
  const record: EmployerRecord = {
    ...employer,
    PK: employerPartition(repository.city, employerAccountNo),
    SK: 'PROFILE',
    employerAccountNo,
    city: repository.city,
  };
  try {
    await repository.transactWrite([
      {
        Put: {
          Item: { PK: centreKey(repository.city, 'USCC', employer.uscc), SK: 'EMPLOYER', employerAccountNo },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
    ]);
  } catch (error) {
    // Two registrations raced: the other one won; its number is the answer (the counter skips one).
    const winner = await employerByUscc(repository, employer.uscc);
    if (winner) return { opened: false, employerAccountNo: winner };
    throw error;
  }
  return { opened: true, record };
}

export async function getPersonalAccount(repository: CentreRepository, personalAccountNo: string) {
  return repository.get<PersonalAccountRecord & Record<string, unknown>>(
    { PK: personalAccountPartition(repository.city, personalAccountNo), SK: ACCOUNT_SK },
    { consistent: true },
  );
}

export async function openAccountOfPerson(
  repository: CentreRepository,
  personKey: string,
): Promise<string | undefined> {
  const link = await repository.get(
    { PK: centreKey(repository.city, 'PERSON', personKey), SK: 'OPEN_ACCOUNT' },
    { consistent: true },
  );
  return link?.personalAccountNo as string | undefined;
}

export type NewPersonalAccount = Omit<
  PersonalAccountRecord,
  | 'PK'
  | 'SK'
  | 'GSI1PK'
  | 'GSI1SK'
  | 'personalAccountNo'
  | 'city'
  | 'status'
  | 'balanceFen'
  | 'version'
  | 'continuousDepositMonths'
  | 'depositMonths'
  | 'termsHistory'
>;

/**
 * Opens a personal account for an employee: the account, the employer's employee link, the
 * person's one-open-account-per-centre guard, the regional index entry and the regional count of
 * deposit starts, in one transaction. Returns the number of the account the person already has open
 * here if there is one.
 */
export async function openPersonalAccount(
  repository: CentreRepository,
  account: NewPersonalAccount & { employerAccountNo: string },
): Promise<{ opened: true; record: PersonalAccountRecord } | { opened: false; personalAccountNo: string }> {
  return openAccount(repository, account, (personalAccountNo) => [
    {
      Put: {
        Item: {
          PK: employerPartition(repository.city, account.employerAccountNo),
          SK: `EMPLOYEE#${personalAccountNo}`,
          personalAccountNo,
          joinedAt: account.openedAt,
        },
      },
    },
    depositStartItem(account.personKey),
  ]);
}

function depositStartItem(personKey: string): TransactItem {
  return {
    Update: {
      Key: depositStartsKey(personKey),
      UpdateExpression: 'ADD #count :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

/**
 * Opens a voluntary account (no employer), provided the person's regional count of deposit starts
 * is still the one read before the checks (`startsSeen`): an account opened or unsealed anywhere
 * meanwhile fails this transaction, and the caller checks again.
 */
export async function openVoluntaryAccount(
  repository: CentreRepository,
  account: Omit<NewPersonalAccount, 'employerAccountNo'> & { payday: number; openingSeed: string },
  startsSeen: number,
): Promise<{ opened: true; record: PersonalAccountRecord } | { opened: false; personalAccountNo: string }> {
  return openAccount(repository, account, () => [
    {
      Update: {
        Key: depositStartsKey(account.personKey),
        UpdateExpression: 'SET #count = :next',
        ConditionExpression:
          startsSeen === 0 ? 'attribute_not_exists(#count) OR #count = :seen' : '#count = :seen',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':seen': startsSeen, ':next': startsSeen + 1 },
      },
    },
  ]);
}

async function openAccount(
  repository: CentreRepository,
  account: NewPersonalAccount,
  moreItems: (personalAccountNo: string) => TransactItem[],
): Promise<{ opened: true; record: PersonalAccountRecord } | { opened: false; personalAccountNo: string }> {
  const existing = await openAccountOfPerson(repository, account.personKey);
  if (existing) return { opened: false, personalAccountNo: existing };
  const personalAccountNo = await nextAccountNo(repository, 'personal');
  const city = repository.city;
  const record: PersonalAccountRecord = {
    ...account,
    PK: personalAccountPartition(city, personalAccountNo),
    SK: ACCOUNT_SK,
    GSI1PK: personIndexKey(account.personKey),
    GSI1SK: `ACCOUNT#${city}#${personalAccountNo}`,
    personalAccountNo,
    city,
    status: 'normal',
    balanceFen: 0,
    version: 0,
    continuousDepositMonths: 0,
    depositMonths: [],
    termsHistory: [
      {
        effectiveMonth: account.openedAt.slice(0, 7),
        monthlyDepositBaseFen: account.monthlyDepositBaseFen,
        employeeRateBasisPoints: account.employeeRateBasisPoints,
        employerRateBasisPoints: account.employerRateBasisPoints,
      },
    ],
  };
  try {
    await repository.transactWrite([
      {
        Put: {
          Item: { PK: centreKey(city, 'PERSON', account.personKey), SK: 'OPEN_ACCOUNT', personalAccountNo },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          Item: {
            PK: regionalKey('PERSON', account.personKey),
            SK: `ACCOUNT#${city}#${personalAccountNo}`,
            city,
            personalAccountNo,
            openedAt: account.openedAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...moreItems(personalAccountNo),
    ]);
  } catch (error) {
    const winner = await openAccountOfPerson(repository, account.personKey);
    if (winner) return { opened: false, personalAccountNo: winner };
    throw error;
  }
  return { opened: true, record };
}

/** The personal account numbers an employer has opened, oldest first (strongly consistent). */
export async function employeeAccountNos(
  repository: CentreRepository,
  employerAccountNo: string,
): Promise<string[]> {
  const employees = await repository.queryAll(employerPartition(repository.city, employerAccountNo), {
    sortKeyCondition: 'begins_with(SK, :employee)',
    ExpressionAttributeValues: { ':employee': 'EMPLOYEE#' },
    ConsistentRead: true,
  });
  return employees.map((item) => String(item.personalAccountNo));
}

/** A page of the employer's employee account numbers (职工名册), in account-number order. */
export async function employeeAccountNoPage(
  repository: CentreRepository,
  employerAccountNo: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ personalAccountNos: string[]; nextCursor: string | null }> {
  const { items, nextCursor } = await sortKeyPage<TableItem>({
    prefix: 'EMPLOYEE#',
    limit: page.limit,
    cursor: page.cursor,
    descending: false,
    sortKeyOf: (item) => item.SK,
    query: (condition, values, limit) =>
      repository.queryAll(employerPartition(repository.city, employerAccountNo), {
        sortKeyCondition: condition,
        ExpressionAttributeNames: { '#sk': 'SK' },
        ExpressionAttributeValues: values,
        ConsistentRead: true,
        limit,
      }),
  });
  return { personalAccountNos: items.map((item) => String(item.personalAccountNo)), nextCursor };
}

export interface DepositTermsChange {
  monthlyDepositBaseFen?: number;
  employeeRateBasisPoints?: number;
  employerRateBasisPoints?: number;
  status?: 'normal' | 'sealed';
  womanRetirementCategory?: 'age55' | 'age50';
}

/**
 * Changes an account's deposit terms or status together with its change record (变更记录: who,
 * when, old and new values, effective month), in one transaction guarded by the version read,
 * so a concurrent posting or change makes this one fail rather than be lost.
 */
export async function changeDepositTerms(
  repository: CentreRepository,
  account: PersonalAccountRecord,
  change: DepositTermsChange & { ruleVersion: string },
  meta: DepositTermsChangeMeta,
): Promise<Record<string, unknown>> {
  const { items, record } = depositTermsChangeItems(account, change, meta);
  await repository.transactWrite(items);
  return record;
}

export interface DepositTermsChangeMeta {
  changedBy: string;
  changedAt: string;
  effectiveMonth: string;
  changeId: string;
}

/**
 * The transaction items of one change (the account's update on the version read, its change
 * record, a restart of deposits), for a flow that writes many changes in one transaction.
 */
export function depositTermsChangeItems(
  account: PersonalAccountRecord,
  change: DepositTermsChange & { ruleVersion: string },
  meta: DepositTermsChangeMeta,
): { items: TransactItem[]; record: Record<string, unknown> } {
  const fields = Object.entries(change).filter(([, value]) => value !== undefined);
  const previous = Object.fromEntries(
    fields.map(([name]) => [name, account[name as keyof PersonalAccountRecord]]),
  );
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = {
    ':version': account.version,
    ':nextVersion': account.version + 1,
  };
  const sets = fields.map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  // The version moves with every change too: a second change, or a posting, from an earlier read
  // then fails instead of overwriting this one or posting with the terms this one replaced.
  sets.push('#version = :nextVersion');
  if (
    change.monthlyDepositBaseFen !== undefined ||
    change.employeeRateBasisPoints !== undefined ||
    change.employerRateBasisPoints !== undefined
  ) {
    // Remittances of months from the effective month on use the new terms; earlier months keep theirs.
    const current = termsFor(account, meta.effectiveMonth);
    const next: DepositTermsVersion = {
      effectiveMonth: meta.effectiveMonth,
      monthlyDepositBaseFen: change.monthlyDepositBaseFen ?? current.monthlyDepositBaseFen,
      employeeRateBasisPoints: change.employeeRateBasisPoints ?? current.employeeRateBasisPoints,
      employerRateBasisPoints: change.employerRateBasisPoints ?? current.employerRateBasisPoints,
    };
    const history = [
      ...(account.termsHistory ?? []).filter((t) => t.effectiveMonth !== meta.effectiveMonth),
      next,
    ].sort((a, b) => byCodeUnits(a.effectiveMonth, b.effectiveMonth));
    names['#terms'] = 'termsHistory';
    values[':terms'] = history;
    sets.push('#terms = :terms');
  }
  const record = {
    PK: account.PK,
    SK: `CHANGE#${meta.changedAt}#${meta.changeId}`,
    changeId: meta.changeId,
    personalAccountNo: account.personalAccountNo,
    changedBy: meta.changedBy,
    changedAt: meta.changedAt,
    effectiveMonth: meta.effectiveMonth,
    previous,
    next: Object.fromEntries(fields),
  };
  // Unsealing (启封) starts deposits again: a voluntary opening checking meanwhile must look again.
  const restarts = change.status === 'normal' && account.status !== 'normal';
  const items: TransactItem[] = [
    {
      Update: {
        Key: { PK: account.PK, SK: ACCOUNT_SK },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
    ...(restarts ? [depositStartItem(account.personKey)] : []),
  ];
  return { items, record };
}

/**
 * Months of continuous deposit as of a month: the run counts only while it is unbroken, ending at
 * that month or the one before (the month's remittance may not have arrived yet).
 */
export function continuousMonthsAsOf(account: PersonalAccountRecord, thisMonth: string): number {
  // A month deposited in both cities counts once (the rule takes a set of months).
  return continuousDepositMonths(
    [...(account.depositMonths ?? []), ...(account.transferredInMonths ?? [])],
    thisMonth,
  );
}
