/** DEPOSIT_CHANGE and the employer's deposit desk: employees, terms, remittances, back-pay. */
import * as z from 'zod/mini';
import {
  accountStatus,
  applicationAnswerOf,
  basisPoints,
  cityCode,
  fen,
  isoDateTime,
  maskedIdNumber,
  maskedName,
  nextCursor,
  yearMonth,
} from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { MAX_BACK_PAY_ACCOUNTS, MAX_BACK_PAY_MONTHS } from '../../shared/deposits/rules.js';
import {
  basisPointsField,
  fenField,
  idNumberField,
  pageQueryMembers,
  textField,
  yearMonthField,
} from '../../shared/http/fields.js';

const employerAccountNo = z.string().check(z.regex(/^\d{14}$/));
const personalAccountNo = z.string().check(z.regex(/^\d{16}$/));

export const EmployerPath = z.strictObject({ employerAccountNo });
/** A page of the employee list: `limit` (default 20, at most 100) and the previous page's `nextCursor`. */
export const EmployeesQuery = z.strictObject(pageQueryMembers);
export const EmployeePath = z.strictObject({ employerAccountNo, personalAccountNo });
export const BackPayPath = z.strictObject({
  employerAccountNo,
  id: z.string().check(z.regex(/^\d{6}-B-[0-9A-F]{16}$/)),
});

export const OpenEmployeeBody = z.strictObject({
  idNumber: idNumberField,
  name: textField(50),
  monthlyDepositBaseFen: fenField,
  employeeRateBasisPoints: basisPointsField,
  employerRateBasisPoints: basisPointsField,
});

export const EmployeeChangeBody = z.strictObject({
  monthlyDepositBaseFen: z.optional(fenField),
  employeeRateBasisPoints: z.optional(basisPointsField),
  employerRateBasisPoints: z.optional(basisPointsField),
  /** 封存 when the job ends; back to normal when it resumes. */
  status: z.optional(z.enum(['normal', 'sealed'])),
  /** For a woman: the statutory retirement age category of her job (原法定退休年龄 55 or 50). */
  womanRetirementCategory: z.optional(z.enum(['age55', 'age50'])),
  /** The month from which the change applies: this month or the next. */
  effectiveMonth: yearMonthField,
});

export const RemittanceBody = z.strictObject({ month: yearMonthField });

export const BackPayBody = z.strictObject({
  months: z.array(yearMonthField).check(z.minLength(1), z.maxLength(MAX_BACK_PAY_MONTHS)),
  personalAccountNos: z.array(personalAccountNo).check(z.minLength(1), z.maxLength(MAX_BACK_PAY_ACCOUNTS)),
  /** Why the months were missed (e.g. a labour arbitration award): staff read it. */
  reason: textField(500),
  evidence: z
    .array(z.strictObject({ documentNo: textField(100), description: textField(200) }))
    .check(z.minLength(1), z.maxLength(20)),
});

const mine = ['NOT_FOUND', 'EMPLOYER_NOT_YOURS'] as const;

const terms = {
  monthlyDepositBaseFen: fen,
  employeeRateBasisPoints: basisPoints,
  employerRateBasisPoints: basisPoints,
};
/** An employee account as the employer sees it: name and ID number masked, no person key. */
const EmployeeAnswer = z
  .looseObject({
    personalAccountNo,
    employerAccountNo,
    city: cityCode,
    name: maskedName,
    idNumber: maskedIdNumber,
    ...terms,
    status: accountStatus,
    /** The deposit terms by the month they take effect from, ascending. */
    termsHistory: z.array(z.looseObject({ effectiveMonth: yearMonth, ...terms })),
    ruleVersion: z.string(),
    openedAt: isoDateTime,
  })
  .register(z.globalRegistry, { id: 'EmployeeAccount' });
/** 变更记录: who changed what from which month; `previous` and `next` hold only what changed. */
const ChangeAnswer = z.looseObject({
  changeId: z.string(),
  personalAccountNo,
  changedBy: z.string(),
  changedAt: isoDateTime,
  effectiveMonth: yearMonth,
  previous: z.looseObject({}).check(z.describe('The terms or status before, only those that changed')),
  next: z.looseObject({}).check(z.describe('The terms or status after, only those that changed')),
});
/** A month's remittance (汇缴): the shares credited to every employee account. */
const RemittanceAnswer = z.looseObject({
  remittanceId: z.string(),
  employerAccountNo,
  month: yearMonth,
  status: z.enum(['in_progress', 'completed']),
  employeeCount: z.int().check(z.minimum(0)),
  employeeShareFen: fen,
  employerShareFen: fen,
  totalFen: fen,
  ruleVersion: z.string(),
  startedAt: isoDateTime,
  completedAt: z.optional(isoDateTime),
  /** Joint enforcement: the employer flagged in arrears (欠缴) by a centre; never a refusal. */
  enforcementFlags: z.array(
    z.looseObject({
      recordId: z.string(),
      city: cityCode,
      kind: z.string(),
      decisionDocumentNo: z.string(),
      objection: z.string(),
    }),
  ),
});
/** A back-pay application (补缴) as its employer sees it. */
const BackPayAnswer = applicationAnswerOf({
  employerAccountNo,
  request: z.looseObject({ months: z.array(yearMonth), personalAccountNos: z.array(personalAccountNo) }),
});

export const CONTRACT = {
  'POST /v1/employers/{employerAccountNo}/employees': {
    summary: 'Open an employee account (个人账户设立)',
    body: OpenEmployeeBody,
    path: EmployerPath,
    response: { status: 201, description: 'The account (ID number and name masked)', schema: EmployeeAnswer },
    problems: [...mine, 'DEPOSIT_TERMS_OUT_OF_LIMITS', 'PERSON_HAS_ACCOUNT_IN_CENTRE'],
  },
  'GET /v1/employers/{employerAccountNo}/employees': {
    summary: "The employer's employee accounts (职工名册), in account-number order, a page at a time",
    body: null,
    path: EmployerPath,
    query: EmployeesQuery,
    response: {
      status: 200,
      description:
        'A page of `employees` (ID numbers and names masked; an account moved to another employer is left out, so a page may be short) and `nextCursor`',
      schema: z.looseObject({ employerAccountNo, employees: z.array(EmployeeAnswer), nextCursor }),
    },
    problems: mine,
  },
  'PATCH /v1/employers/{employerAccountNo}/employees/{personalAccountNo}': {
    summary: 'Change a deposit base, rates or status from a month (缴存信息变更)',
    body: EmployeeChangeBody,
    path: EmployeePath,
    response: {
      status: 200,
      description: '`account` as changed and the `change` recorded (变更记录)',
      schema: z.looseObject({ account: EmployeeAnswer, change: ChangeAnswer }),
    },
    problems: [...mine, 'DEPOSIT_TERMS_OUT_OF_LIMITS', 'ACCOUNT_CLOSED', 'ACCOUNT_CHANGED_MEANWHILE'],
  },
  'POST /v1/employers/{employerAccountNo}/remittances': {
    summary: "Remit a month's deposits for every employee (汇缴)",
    body: RemittanceBody,
    path: EmployerPath,
    response: {
      status: 201,
      description: 'The remittance: what was credited in all, and any enforcement flags of the employer',
      schema: RemittanceAnswer,
    },
    problems: [
      ...mine,
      'REMITTANCE_MONTH_EXISTS',
      'REMITTANCE_MONTH_IN_FUTURE',
      'REMITTANCE_MONTH_NOT_REMITTABLE',
    ],
  },
  'POST /v1/employers/{employerAccountNo}/back-pay': {
    summary: 'Apply for back-pay of missed months (补缴), decided by two staff members',
    body: BackPayBody,
    path: EmployerPath,
    response: {
      status: 202,
      description: 'The application, in review',
      schema: BackPayAnswer,
    },
    otherResponses: [
      {
        status: 200,
        description: 'The same application, when the key was seen before',
        schema: BackPayAnswer,
      },
    ],
    problems: [...mine, 'BACK_PAY_NOT_ALLOWED'],
  },
  'GET /v1/employers/{employerAccountNo}/back-pay/{id}': {
    summary: 'A back-pay application and what it credited',
    body: null,
    path: BackPayPath,
    response: { status: 200, description: 'The application', schema: BackPayAnswer },
    problems: mine,
  },
} satisfies HandlerContract;
