/**
 * INFO_QUERY 个人缴存贷款等信息查询:
 *  GET /v1/me/accounts                                   every account the person holds in the ten centres
 *  GET /v1/me/accounts/{personalAccountNo}/ledger        its history, newest first, with an opaque cursor
 * A citizen sees only their own accounts: another person's account number is a 404.
 */
import { monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITIES } from '../../shared/config/cities.js';
import {
  continuousMonthsAsOf,
  getPersonalAccount,
  isVoluntary,
  type PersonalAccountRecord,
} from '../../shared/deposits/store.js';
import { decodeCursor, encodeCursor, pageLimit } from '../../shared/http/cursor.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { cityOf, ownRecordOr404 } from '../../shared/http/ownership.js';
import { personKey } from '../../shared/identity/person-key.js';
import { LEDGER_SK_PREFIX, type LedgerEntry, ledgerSortKey } from '../../shared/ledger/ledger.js';
import { getLoan } from '../../shared/loans/disburse.js';
import type { LoanRecord } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { accountsOfPerson, loansOfPerson } from '../../shared/persistence/person-accounts.js';
import { LedgerPath, LedgerQuery, LoanPath } from './contract.js';

function accountView(account: PersonalAccountRecord, thisMonth: string) {
  const city = CITIES[account.city];
  return {
    personalAccountNo: account.personalAccountNo,
    centre: {
      code: city.code,
      nameZh: city.nameZh,
      nameEn: city.nameEn,
      provinceZh: city.provinceZh,
      provinceEn: city.provinceEn,
    },
    // A voluntary account (自愿缴存) has no employer: the person remits both shares.
    depositor: isVoluntary(account) ? 'self' : 'employer',
    employerAccountNo: account.employerAccountNo ?? null,
    status: account.status,
    balanceFen: account.balanceFen,
    monthlyDepositBaseFen: account.monthlyDepositBaseFen,
    employeeRateBasisPoints: account.employeeRateBasisPoints,
    employerRateBasisPoints: account.employerRateBasisPoints,
    continuousDepositMonths: continuousMonthsAsOf(account, thisMonth),
    lastDepositMonth: account.lastDepositMonth ?? null,
    openedAt: account.openedAt,
  };
}

const listAccounts = httpHandler({
  role: 'citizen',
  handle: async ({ caller }) => {
    const accounts = await accountsOfPerson(await personKey(caller.idNumber));
    const thisMonth = monthOf(toBeijingDate(new Date()));
    return { status: 200, body: { accounts: accounts.map((a) => accountView(a, thisMonth)) } };
  },
});

/** A ledger page's cursor is the version of the last entry shown. */
const isVersion = (position: string) => /^[1-9]\d{0,14}$/.test(position);

const ledger = httpHandler({
  role: 'citizen',
  path: LedgerPath,
  query: LedgerQuery,
  handle: async ({ path, query, caller }) => {
    const repository = centreRepository(cityOf(path.personalAccountNo));
    const account = await ownRecordOr404(
      await getPersonalAccount(repository, path.personalAccountNo),
      caller,
    );
    const limit = pageLimit(query.limit);
    const before = query.cursor === undefined ? undefined : Number(decodeCursor(query.cursor, isVersion));
    const items = await repository.queryAll<LedgerEntry & Record<string, unknown>>(account.PK, {
      sortKeyCondition: before === undefined ? 'begins_with(SK, :ledger)' : 'SK BETWEEN :ledger AND :before',
      ExpressionAttributeValues:
        before === undefined
          ? { ':ledger': LEDGER_SK_PREFIX }
          : { ':ledger': LEDGER_SK_PREFIX, ':before': ledgerSortKey(before - 1) },
      ScanIndexForward: false,
      // One more than the page: whether there is a next page is then known, not guessed (versions
      // have gaps where the terms changed, so the oldest entry need not be version 1).
      limit: limit + 1,
      ConsistentRead: true,
    });
    const entries = items.slice(0, limit).map(({ PK: _pk, SK: _sk, ...entry }) => entry);
    const last = entries.at(-1);
    const more = items.length > limit && last !== undefined;
    return {
      status: 200,
      body: {
        personalAccountNo: account.personalAccountNo,
        balanceFen: account.balanceFen,
        entries,
        nextCursor: more ? encodeCursor(String(last.version)) : null,
      },
    };
  },
});

/** A loan as its borrower sees it: the schedule, what is outstanding, the rate and its version. */
function loanView(loan: LoanRecord, withSchedule: boolean) {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g,
    GSI1SK: _s,
    personKey: _key,
    spousePersonKey: _spouse,
    schedule,
    ...rest
  } = loan;
  const city = CITIES[loan.city];
  return {
    ...rest,
    centre: { code: city.code, nameZh: city.nameZh, nameEn: city.nameEn, provinceZh: city.provinceZh },
    nextInstalment: schedule.find((i) => i.number === loan.paidInstalments + 1) ?? null,
    ...(withSchedule ? { schedule } : {}),
  };
}

const listLoans = httpHandler({
  role: 'citizen',
  handle: async ({ caller }) => {
    const loans = await loansOfPerson(await personKey(caller.idNumber));
    return { status: 200, body: { loans: loans.map((loan) => loanView(loan, false)) } };
  },
});

const showLoan = httpHandler({
  role: 'citizen',
  path: LoanPath,
  handle: async ({ path, caller }) => {
    const loan = await ownRecordOr404(
      await getLoan(centreRepository(cityOf(path.loanId)), path.loanId),
      caller,
    );
    return { status: 200, body: loanView(loan, true) };
  },
});

export const handler = byRoute({
  'GET /v1/me/accounts': listAccounts,
  'GET /v1/me/accounts/{personalAccountNo}/ledger': ledger,
  'GET /v1/me/loans': listLoans,
  'GET /v1/me/loans/{loanId}': showLoan,
});
