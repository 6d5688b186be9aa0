/** 贷款试算 POST /v1/calculators/loan: stated facts in, the decision's limit and schedule out. */
import * as z from 'zod/mini';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { cityField, fenField } from '../../shared/http/fields.js';
import { REPAYMENT_METHODS } from '../../shared/loans/schedule.js';

const positiveFen = z.int().check(z.minimum(1), z.maximum(9_999_999_999_999));
const LocalisedMessage = z.object({ 'zh-CN': z.string(), en: z.string() });

/** No name, no ID number, no account: figures only. */
export const LoanCalculatorBody = z.strictObject({
  /** The lending city: its parameters in force today. */
  city: cityField,
  housePriceFen: positiveFen,
  termMonths: z.int().check(z.minimum(12), z.maximum(360)),
  method: z.enum(REPAYMENT_METHODS),
  /** 首套 / 第二套: the down payment and the rate follow it. */
  homeOrder: z._default(z.enum(['first', 'second']), 'first'),
  balanceFen: fenField,
  /** The income a decision counts; `monthlyIncomeFen` when the base is not known. */
  monthlyDepositBaseFen: z.optional(fenField),
  monthlyIncomeFen: z.optional(z.int().check(z.minimum(0), z.maximum(100_000_000))),
  otherMonthlyDebtFen: z._default(fenField, 0),
  /** A depositing spouse applying together (夫妻双方缴存, 共同申请). */
  coApplicant: z.optional(z.strictObject({ balanceFen: fenField, monthlyDepositBaseFen: fenField })),
  requestedFen: z.optional(positiveFen),
});

const Instalment = z.object({
  number: z.int(),
  dueMonth: z.string(),
  paymentFen: z.int(),
  principalFen: z.int(),
  interestFen: z.int(),
  remainingPrincipalFen: z.int(),
});

export const LoanEstimateSchema = z.object({
  asOf: z.iso.date(),
  city: cityField,
  homeOrder: z.enum(['first', 'second']),
  rate: z.object({
    annualRateHundredthsBp: z.int(),
    annualRatePercent: z.string(),
    termBand: z.enum(['upTo5Years', 'over5Years']),
  }),
  limit: z.object({
    capFen: z.int(),
    balanceBoundFen: z.int(),
    capacityBoundFen: z.int(),
    priceBoundFen: z.int(),
    limitFen: z.int(),
    bindingBound: z.enum(['cap', 'balance', 'capacity', 'price']),
    availableMonthlyPaymentFen: z.int(),
  }),
  explanation: LocalisedMessage,
  downPaymentBasisPoints: z.int(),
  maxTermMonths: z.int(),
  amountFen: z.int(),
  schedule: z.nullable(
    z.object({
      principalFen: z.int(),
      annualRateHundredthsBp: z.int(),
      termMonths: z.int(),
      method: z.enum(REPAYMENT_METHODS),
      instalments: z.array(Instalment),
      totalInterestFen: z.int(),
      totalPaymentFen: z.int(),
      monthlyPaymentFen: z.int(),
    }),
  ),
  ruleVersions: z.object({
    centreParameters: z.string(),
    centreParametersDemo: z.boolean(),
    loanRate: z.string(),
    national: z.string(),
  }),
  note: LocalisedMessage,
});

export const CONTRACT = {
  'POST /v1/calculators/loan': {
    summary:
      'Loan estimate (贷款试算): the four bounds of the limit and the schedule under the rules in force',
    body: LoanCalculatorBody,
    response: {
      status: 200,
      description:
        'What a decision today would compute for these facts: cap, balance × multiple, repayment capacity, ' +
        'price × (1 − down payment), the binding bound, the rate, the schedule of min(requested, limit)',
      schema: LoanEstimateSchema,
    },
  },
} satisfies HandlerContract;
