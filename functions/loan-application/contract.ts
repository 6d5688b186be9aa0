/** OFFSITE_LOAN 异地贷款: applications, the co-applicant's consent, withdrawal. */

import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../../shared/applications/statuses.js';
import {
  applicationAnswerOf,
  applicationListed,
  calendarStatus,
  cityCode,
  fen,
  isoDateTime,
  maskedIdNumber,
  nextCursor,
} from '../../shared/contract/answers.js';
import { type HandlerContract, recordId } from '../../shared/contract/route-contract.js';
import { cityField, fenField, idNumberField, PersonListQuery } from '../../shared/http/fields.js';
import { DECLARED_HOME_ORDERS, MARITAL_STATUSES } from '../../shared/loans/decision-rule.js';
import { REPAYMENT_METHODS } from '../../shared/loans/schedule.js';

const LoanRequestFields = {
  lendingCity: cityField,
  propertyCity: cityField,
  /** 网签备案号 in propertyCity's register: its registered price is the price the decision uses. */
  onlineSigningNo: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/))),
  /** Declared, for old clients: kept on the request for display, never used by the decision. */
  housePriceFen: z.optional(fenField),
  requestedFen: z.int().check(z.minimum(100_000), z.maximum(10_000_000_000)),
  termMonths: z.int().check(z.minimum(12), z.maximum(360)),
  method: z.enum(REPAYMENT_METHODS),
  /** 第三套及以上: no HPF loan (建金〔2010〕179号), refused in words by the rule. */
  declaredHomeOrder: z.enum(DECLARED_HOME_ORDERS),
  /** Optional: a declared income above the fetched deposit base goes to staff review, never into the limit. */
  monthlyIncomeFen: z.optional(fenField),
  /** 其他每月还款额: required, 0 when there is none. */
  otherMonthlyDebtFen: fenField,
  /** 婚姻状况: required; a married applicant names the spouse (the household is judged). */
  maritalStatus: z.enum(MARITAL_STATUSES),
  /** The spouse's ID number: kept only as their person key and masked number. */
  spouseIdNumber: z.optional(idNumberField),
  /** 共同申请人: the spouse's deposit facts count once they confirm with their own sign-in. */
  spouseCoApplies: z.optional(z.boolean()),
};

export const CitizenLoanBody = z.strictObject(LoanRequestFields);
/** A bank branch or sales office accepts for a present citizen: the same, with the ID number. */
export const AgentLoanBody = z.strictObject({ ...LoanRequestFields, idNumber: idNumberField });
export const ApplicationPath = z.strictObject({ id: recordId });
const LoanApplicationListed = z.extend(applicationListed, {
  propertyCity: cityCode,
  requestedFen: fen,
  loanId: z.nullable(recordId),
});

const accepted = {
  status: 202,
  description:
    'Accepted with the committed deadline; the centres are asked for the facts (the same answer when replayed)',
  schema: z.looseObject({
    applicationId: recordId,
    status: z.enum(APPLICATION_STATUSES),
    committedDeadline: isoDateTime,
    committedDeadlineCalendar: calendarStatus,
  }),
} as const;
/**
 * A loan application (贷款申请) as its applicant sees it: the request, the household (the spouse
 * masked), the facts each centre answered, the decision with its four bounds and rule versions.
 */
const LoanApplicationAnswer = applicationAnswerOf({
  itemCode: z.literal('OFFSITE_LOAN'),
  /** 异地贷款: a depositing centre is not the lending centre. */
  offsite: z.boolean(),
  request: z.looseObject({
    propertyCity: cityCode,
    requestedFen: fen,
    termMonths: z.int(),
    method: z.enum(REPAYMENT_METHODS),
    declaredHomeOrder: z.enum(DECLARED_HOME_ORDERS),
    otherMonthlyDebtFen: fen,
  }),
  household: z.looseObject({
    maritalStatus: z.enum(MARITAL_STATUSES),
    /** The spouse by masked ID number only: never their person key. */
    spouse: z.optional(
      z.strictObject({
        idNumberMasked: maskedIdNumber,
        coApplies: z.boolean(),
        consentedAt: z.nullable(isoDateTime),
      }),
    ),
  }),
  facts: z.record(z.string(), z.looseObject({}).check(z.describe('What the centre or register answered'))),
  decision: z.optional(
    z.looseObject({}).check(z.describe('The outcome, the limit and its four bounds, the rule versions')),
  ),
  loanId: z.optional(recordId),
}).register(z.globalRegistry, { id: 'LoanApplication' });

export const CONTRACT = {
  'POST /v1/me/loan-applications': {
    summary: 'Apply for an HPF loan (公积金贷款申请), in any Huaihai city',
    body: CitizenLoanBody,
    response: accepted,
    problems: ['OUTSTANDING_HPF_LOAN'],
  },
  'POST /v1/agent/loan-applications': {
    summary: "A branch accepts a present citizen's loan application (线下受理)",
    body: AgentLoanBody,
    response: accepted,
    problems: ['OUTSTANDING_HPF_LOAN'],
  },
  'GET /v1/me/loan-applications': {
    summary: 'My loan applications in every centre, newest first (我的办件)',
    body: null,
    query: PersonListQuery,
    response: {
      status: 200,
      description: 'A page of `applications` (newest first, the ID number masked) and `nextCursor`',
      schema: z.looseObject({ applications: z.array(LoanApplicationListed), nextCursor }),
    },
  },
  'GET /v1/me/loan-applications/{id}': {
    summary: 'My application: status, timeline, facts used, the four bounds, rule versions, reasons',
    body: null,
    path: ApplicationPath,
    response: {
      status: 200,
      description: 'The application as its applicant sees it',
      schema: LoanApplicationAnswer,
    },
    problems: ['NOT_FOUND'],
  },
  'POST /v1/me/loan-applications/{id}/withdrawal': {
    summary: 'Withdraw my application (撤回) before disbursement',
    body: null,
    path: ApplicationPath,
    response: { status: 200, description: 'The application, withdrawn', schema: LoanApplicationAnswer },
    problems: ['NOT_FOUND', 'CANNOT_WITHDRAW'],
  },
  'GET /v1/me/loan-applications/{id}/co-applicant-consent': {
    summary: 'What the spouse is asked to confirm (配偶确认), read by the named spouse only',
    body: null,
    path: ApplicationPath,
    response: {
      status: 200,
      description:
        'The applicant (masked), the lending city, the amount and term, whether the spouse co-applies, and whether the consent is still taken',
      schema: z.looseObject({
        applicationId: recordId,
        lendingCity: cityCode,
        applicantIdNumberMasked: maskedIdNumber,
        requestedFen: fen,
        termMonths: z.int(),
        coApplies: z.boolean(),
        status: z.enum(APPLICATION_STATUSES),
        consentedAt: z.nullable(isoDateTime),
        open: z.boolean(),
      }),
    },
    problems: ['NOT_FOUND'],
  },
  'POST /v1/me/loan-applications/{id}/co-applicant-consent': {
    summary: 'The co-applying spouse confirms with their own sign-in (共同申请人确认)',
    body: null,
    path: ApplicationPath,
    response: {
      status: 200,
      description: 'The consent recorded (the first one stands when confirmed again)',
      schema: z.looseObject({ applicationId: recordId, coApplicantConsentedAt: isoDateTime }),
    },
    problems: ['NOT_FOUND', 'CO_APPLICANT_CONSENT_CLOSED'],
  },
} satisfies HandlerContract;
