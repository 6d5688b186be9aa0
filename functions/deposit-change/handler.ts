/**
 * DEPOSIT_CHANGE 单位及个人缴存信息变更, and the employer's deposit desk around it:
 *  POST  /v1/employers/{employerAccountNo}/employees                      open an employee account
 *  GET   /v1/employers/{employerAccountNo}/employees                      the employee accounts
 *  PATCH /v1/employers/{employerAccountNo}/employees/{personalAccountNo}  base, rates, status
 *  POST  /v1/employers/{employerAccountNo}/remittances                    monthly remittance (汇缴)
 *  POST  /v1/employers/{employerAccountNo}/back-pay                       back-pay (补缴), staff decide
 *  GET   /v1/employers/{employerAccountNo}/back-pay/{id}                  its status and what it credited
 * Every route acts only on the calling employer's own accounts (else 404).
 */
import { monthOf, nextMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { backPayView, getBackPay, submitBackPay } from '../../shared/deposits/back-pay.js';
import { remit } from '../../shared/deposits/remittance.js';
import { checkDepositTermsFrom, monthAlreadyRemittedError } from '../../shared/deposits/rules.js';
import {
  changeDepositTerms,
  employeeAccountNoPage,
  getPersonalAccount,
  openPersonalAccount,
  type PersonalAccountRecord,
  termsFor,
} from '../../shared/deposits/store.js';
import { flagsOfEmployer } from '../../shared/enforcement/records.js';
import { DomainError, type FieldError } from '../../shared/errors/domain-error.js';
import { pageLimit } from '../../shared/http/cursor.js';
import { byRoute, httpHandler, idempotencyKeyHeader } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { ownEmployer } from '../../shared/http/ownership.js';
import { maskIdNumber, maskName } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { ACCOUNT_SK, personalAccountPartition } from '../../shared/ledger/ledger.js';
import type { CentreRepository } from '../../shared/persistence/centre-repository.js';
import {
  BackPayBody,
  BackPayPath,
  EmployeeChangeBody,
  EmployeePath,
  EmployeesQuery,
  EmployerPath,
  OpenEmployeeBody,
  RemittanceBody,
} from './contract.js';

/**
 * The terms are checked against the centre's rule version in force when they take effect (today,
 * or the first day of a later effective month); a violation is a 422 naming the limit.
 */
function assertTermsAllowed(
  repository: CentreRepository,
  terms: { baseFen: number; employeeRateBasisPoints: number; employerRateBasisPoints: number },
  effectiveMonth?: string,
): string {
  const { ruleVersion, violations } = checkDepositTermsFrom(
    repository.city,
    terms,
    toBeijingDate(new Date()),
    effectiveMonth,
  );
  if (violations.length > 0) {
    const errors: FieldError[] = violations.map(({ field, code, message, ...limit }) => ({
      in: 'body',
      field,
      code,
      message,
      ...limit,
    }));
    throw new DomainError('DEPOSIT_TERMS_OUT_OF_LIMITS', { errors, ruleVersion });
  }
  return ruleVersion;
}

/** What an employer sees of an employee account: no person key, the ID number masked. */
function employeeView(account: PersonalAccountRecord) {
  return {
    personalAccountNo: account.personalAccountNo,
    employerAccountNo: account.employerAccountNo,
    city: account.city,
    name: maskName(account.name),
    idNumber: account.idNumberMasked,
    monthlyDepositBaseFen: account.monthlyDepositBaseFen,
    employeeRateBasisPoints: account.employeeRateBasisPoints,
    employerRateBasisPoints: account.employerRateBasisPoints,
    status: account.status,
    termsHistory: account.termsHistory,
    ruleVersion: account.ruleVersion,
    openedAt: account.openedAt,
  };
}

const openEmployee = httpHandler({
  path: EmployerPath,
  body: OpenEmployeeBody,
  handle: async ({ path, body, caller }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const ruleVersion = assertTermsAllowed(repository, { ...body, baseFen: body.monthlyDepositBaseFen });
    const result = await openPersonalAccount(repository, {
      employerAccountNo: path.employerAccountNo,
      personKey: await personKey(body.idNumber),
      name: body.name,
      idNumberMasked: maskIdNumber(body.idNumber),
      monthlyDepositBaseFen: body.monthlyDepositBaseFen,
      employeeRateBasisPoints: body.employeeRateBasisPoints,
      employerRateBasisPoints: body.employerRateBasisPoints,
      ruleVersion,
      openedAt: new Date().toISOString(),
    });
    if (!result.opened) {
      const existing = await getPersonalAccount(repository, result.personalAccountNo);
      const ours = existing?.employerAccountNo === path.employerAccountNo;
      throw new DomainError('PERSON_HAS_ACCOUNT_IN_CENTRE', {
        message: {
          'zh-CN': ours
            ? `该职工已在本单位开立个人账户 ${result.personalAccountNo}。`
            : '该职工在本中心已有个人账户（一人在一个中心只能有一个个人账户），请先办理账户转移或封存后的启封。',
          en: ours
            ? `This employee already has account ${result.personalAccountNo} with you.`
            : 'This person already has an account in this centre (one per person per centre); it must be transferred first.',
        },
        ...(ours ? { personalAccountNo: result.personalAccountNo } : {}),
      });
    }
    return {
      status: 201,
      headers: {
        location: `/v1/employers/${path.employerAccountNo}/employees/${result.record.personalAccountNo}`,
      },
      body: employeeView(result.record),
    };
  },
});

const listEmployees = httpHandler({
  path: EmployerPath,
  query: EmployeesQuery,
  handle: async ({ path, query, caller }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const page = await employeeAccountNoPage(repository, path.employerAccountNo, {
      limit: pageLimit(query.limit),
      cursor: query.cursor,
    });
    const numbers = page.personalAccountNos;
    const accounts = await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
      numbers.map((no) => ({ PK: personalAccountPartition(repository.city, no), SK: ACCOUNT_SK })),
    );
    const byNo = new Map(accounts.map((a) => [a.personalAccountNo, a]));
    // In account-number order, as opened; an account that moved to another employer is no longer this one's.
    const employees = numbers
      .map((no) => byNo.get(no))
      .filter(
        (a): a is PersonalAccountRecord & Record<string, unknown> =>
          a?.employerAccountNo === path.employerAccountNo,
      )
      .map(employeeView);
    return {
      status: 200,
      body: { employerAccountNo: path.employerAccountNo, employees, nextCursor: page.nextCursor },
    };
  },
});

const changeEmployee = httpHandler({
  path: EmployeePath,
  body: EmployeeChangeBody,
  handle: async ({ path, body, caller }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const account = await getPersonalAccount(repository, path.personalAccountNo);
    if (!account || account.employerAccountNo !== path.employerAccountNo) throw new DomainError('NOT_FOUND');
    const { effectiveMonth, ...change } = body;
    if (Object.values(change).every((value) => value === undefined)) {
      throw new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: '',
            code: 'NOTHING_TO_CHANGE',
            message: { 'zh-CN': '请至少填写一项变更内容。', en: 'Say at least one thing to change.' },
          },
        ],
      });
    }
    const thisMonth = monthOf(toBeijingDate(new Date()));
    if (effectiveMonth !== thisMonth && effectiveMonth !== nextMonth(thisMonth)) {
      throw new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: 'effectiveMonth',
            code: 'EFFECTIVE_MONTH_OUT_OF_RANGE',
            message: {
              'zh-CN': `变更只能自本月（${thisMonth}）或下月起生效。`,
              en: `A change takes effect this month (${thisMonth}) or next month.`,
            },
          },
        ],
      });
    }
    if (account.status === 'closed') {
      throw new DomainError('ACCOUNT_CLOSED');
    }
    // A change of status alone (封存/启封) is not a change of terms: it is not re-checked.
    const current = termsFor(account, effectiveMonth);
    const changesTerms =
      change.monthlyDepositBaseFen !== undefined ||
      change.employeeRateBasisPoints !== undefined ||
      change.employerRateBasisPoints !== undefined;
    const remitted = (account.depositMonths ?? []).filter((month) => month >= effectiveMonth).sort()[0];
    if (changesTerms && remitted !== undefined) {
      throw new DomainError('VALIDATION_FAILED', { errors: [monthAlreadyRemittedError(remitted)] });
    }
    const ruleVersion = !changesTerms
      ? account.ruleVersion
      : assertTermsAllowed(
          repository,
          {
            baseFen: change.monthlyDepositBaseFen ?? current.monthlyDepositBaseFen,
            employeeRateBasisPoints: change.employeeRateBasisPoints ?? current.employeeRateBasisPoints,
            employerRateBasisPoints: change.employerRateBasisPoints ?? current.employerRateBasisPoints,
          },
          effectiveMonth,
        );
    const now = new Date().toISOString();
    try {
      const record = await changeDepositTerms(
        repository,
        account,
        { ...change, ruleVersion },
        {
          changedBy: caller?.subject ?? 'unknown',
          changedAt: now,
          effectiveMonth,
          changeId: crypto.randomUUID(),
        },
      );
      const updated = await getPersonalAccount(repository, path.personalAccountNo);
      const { PK: _pk, SK: _sk, ...changeRecord } = record;
      return { status: 200, body: { account: updated && employeeView(updated), change: changeRecord } };
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        throw new DomainError('ACCOUNT_CHANGED_MEANWHILE');
      }
      throw error;
    }
  },
});

const remitMonth = httpHandler({
  path: EmployerPath,
  body: RemittanceBody,
  handle: async ({ path, body, caller, headers }) => {
    const idempotencyKey = idempotencyKeyHeader(headers);
    const { repository, employer } = await ownEmployer(caller, path.employerAccountNo);
    const { replayed, summary } = await remit(repository, {
      employerAccountNo: path.employerAccountNo,
      month: body.month,
      idempotencyKey,
      employer,
    });
    // Joint enforcement: an employer flagged in arrears (欠缴) by any centre is told so; never refused.
    const flags = (await flagsOfEmployer(repository, employer.uscc)).map((flag) => ({
      recordId: flag.recordId,
      city: flag.city,
      kind: flag.kind,
      decisionDocumentNo: flag.decisionDocumentNo,
      objection: flag.objection,
    }));
    // A replay answers exactly as the first time, and says that it is one.
    const replayHeader: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
    return { status: 201, headers: replayHeader, body: { ...summary, enforcementFlags: flags } };
  },
});

const applyForBackPay = httpHandler({
  path: EmployerPath,
  body: BackPayBody,
  handle: async ({ path, body, caller, idempotency }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const { replayed, backPay } = await submitBackPay(repository, {
      employerAccountNo: path.employerAccountNo,
      request: body,
      idempotencySeed: (idempotency as IdempotencyScope).seed,
      acceptedBy: `employer:${caller?.subject}`,
    });
    const now = new Date();
    return {
      status: replayed ? 200 : 202,
      headers: { location: `/v1/employers/${path.employerAccountNo}/back-pay/${backPay.applicationId}` },
      body: backPayView(backPay, now),
    };
  },
});

const backPayStatus = httpHandler({
  path: BackPayPath,
  handle: async ({ path, caller }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const backPay = await getBackPay(repository, path.id);
    // Another employer's back-pay is not yours to see: the same answer as none.
    if (!backPay || backPay.employerAccountNo !== path.employerAccountNo) throw new DomainError('NOT_FOUND');
    return { status: 200, body: backPayView(backPay, new Date()) };
  },
});

export const handler = byRoute({
  'POST /v1/employers/{employerAccountNo}/employees': openEmployee,
  'GET /v1/employers/{employerAccountNo}/employees': listEmployees,
  'PATCH /v1/employers/{employerAccountNo}/employees/{personalAccountNo}': changeEmployee,
  'POST /v1/employers/{employerAccountNo}/remittances': remitMonth,
  'POST /v1/employers/{employerAccountNo}/back-pay': applyForBackPay,
  'GET /v1/employers/{employerAccountNo}/back-pay/{id}': backPayStatus,
});
