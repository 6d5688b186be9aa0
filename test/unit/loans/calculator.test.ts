/**
 * 贷款试算: the calculator answers what the decision rule decides for the same facts, on random
 * cases, and refuses what it cannot estimate.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addMonths, monthOf } from '../../../shared/calendar/dates.js';
import { toBeijingDate } from '../../../shared/calendar/working-days.js';
import { CITY_CODES } from '../../../shared/config/cities.js';
import {
  estimateLoan,
  type LoanEstimateInput,
  loanEstimateErrors,
} from '../../../shared/loans/calculator.js';
import {
  type CentreDepositFacts,
  countedMonthlyIncome,
  decideLoan,
} from '../../../shared/loans/decision-rule.js';
import { REPAYMENT_METHODS, repaymentSchedule } from '../../../shared/loans/schedule.js';
import { parametersInForce } from '../../../shared/rules/centre-parameters.js';
import { nationalRulesInForce } from '../../../shared/rules/national.js';

const today = toBeijingDate(new Date());

const normalAccount = (
  city: LoanEstimateInput['city'],
  balanceFen: number,
  baseFen: number,
): CentreDepositFacts => ({
  city,
  accountStatus: 'normal',
  continuousDepositMonths: 120,
  balanceFen,
  monthlyDepositFen: 0,
  monthlyDepositBaseFen: baseFen,
  outstandingHpfLoans: 0,
  onViolationList: false,
});

/** The same facts as a decision sees them: fetched accounts, the index, a young applicant. */
function decide(input: LoanEstimateInput) {
  const deposits = [normalAccount(input.city, input.balanceFen, input.monthlyDepositBaseFen ?? 0)];
  const coApplicant = input.coApplicant
    ? [normalAccount(input.city, input.coApplicant.balanceFen, input.coApplicant.monthlyDepositBaseFen)]
    : [];
  const income = countedMonthlyIncome([...deposits, ...coApplicant], undefined);
  return decideLoan({
    params: parametersInForce(input.city, today),
    contractDate: today,
    applicant: {
      birthDate: `${Number(today.slice(0, 4)) - 25}-01-01`,
      monthlyIncomeFen: income.monthlyIncomeFen,
      otherMonthlyDebtFen: input.otherMonthlyDebtFen,
    },
    deposits,
    regionalLoanIndex: { activeLoans: 0, repaidLoans: 0 },
    ...(input.coApplicant
      ? {
          spouse: {
            outstandingHpfLoans: 0,
            regionalLoanIndex: { activeLoans: 0, repaidLoans: 0 },
            deposits: coApplicant,
          },
        }
      : {}),
    declaredHomeOrder: input.homeOrder,
    housePriceFen: input.housePriceFen,
    // The estimate of the whole limit is a request no bound reaches.
    requestedFen: input.requestedFen ?? 9_000_000_000,
    termMonths: input.termMonths,
    method: input.method,
  });
}

const maxTerm = (city: LoanEstimateInput['city']) =>
  Math.min(parametersInForce(city, today).maxLoanTermMonths, nationalRulesInForce(today).maxLoanTermMonths);

const facts: fc.Arbitrary<LoanEstimateInput> = fc
  .record(
    {
      city: fc.constantFrom(...CITY_CODES),
      housePriceFen: fc.integer({ min: 1, max: 5_000_000_000 }),
      termMonths: fc.integer({ min: 12, max: 360 }),
      method: fc.constantFrom(...REPAYMENT_METHODS),
      homeOrder: fc.constantFrom('first' as const, 'second' as const),
      balanceFen: fc.integer({ min: 0, max: 100_000_000 }),
      monthlyDepositBaseFen: fc.integer({ min: 0, max: 6_000_000 }),
      otherMonthlyDebtFen: fc.integer({ min: 0, max: 2_000_000 }),
      coApplicant: fc.option(
        fc.record({
          balanceFen: fc.integer({ min: 0, max: 100_000_000 }),
          monthlyDepositBaseFen: fc.integer({ min: 0, max: 6_000_000 }),
        }),
        { nil: undefined },
      ),
      requestedFen: fc.option(fc.integer({ min: 100_000, max: 300_000_000 }), { nil: undefined }),
    },
    {
      requiredKeys: [
        'city',
        'housePriceFen',
        'termMonths',
        'method',
        'homeOrder',
        'balanceFen',
        'otherMonthlyDebtFen',
      ],
    },
  )
  .filter((input) => input.termMonths <= maxTerm(input.city))
  .map(
    (input) => ({ ...input, monthlyDepositBaseFen: input.monthlyDepositBaseFen ?? 0 }) as LoanEstimateInput,
  );

describe('the loan calculator', () => {
  it('equals the decision for the same facts on 100 random cases', () => {
    let approved = 0;
    fc.assert(
      fc.property(facts, (input) => {
        expect(loanEstimateErrors(input, today)).toEqual([]);
        const estimate = estimateLoan(input, today);
        const decision = decide(input);
        // The four bounds, the binding one, the payment available: all the decision's.
        expect(estimate.limit).toEqual(decision.limit);
        expect(estimate.homeOrder).toBe(decision.homeOrder);
        expect(estimate.rate.annualRateHundredthsBp).toBe(decision.rate.annualRateHundredthsBp);
        expect(estimate.ruleVersions.loanRate).toBe(decision.rate.ruleVersion);
        expect(estimate.ruleVersions.centreParameters).toBe(decision.ruleVersion);
        if (decision.outcome === 'approved') {
          approved++;
          expect(estimate.amountFen).toBe(decision.approvedFen);
          expect(estimate.schedule?.instalments[0]).toEqual(decision.schedulePreview);
          // …and the whole schedule is the one a disbursement today books.
          expect(estimate.schedule).toEqual(
            repaymentSchedule({
              principalFen: decision.approvedFen as number,
              annualRateHundredthsBp: decision.rate.annualRateHundredthsBp,
              termMonths: input.termMonths,
              method: input.method,
              firstDueMonth: addMonths(monthOf(today), 1),
            }),
          );
        } else {
          // Only a zero limit refuses these facts: nothing to schedule.
          expect(decision.reasons.map((r) => r.code)).toEqual(['NO_LOAN_AVAILABLE']);
          expect(estimate.amountFen).toBe(0);
          expect(estimate.schedule).toBeNull();
        }
      }),
      { numRuns: 100 },
    );
    // Both branches are exercised: about half the random facts carry a loan, the rest (no income left) none.
    expect(approved).toBeGreaterThan(20);
  });

  it('names the binding bound in words: a small balance binds at balance × the multiple', () => {
    const params = parametersInForce('320300', today);
    const estimate = estimateLoan(
      {
        city: '320300',
        housePriceFen: 200_000_000,
        termMonths: 240,
        method: 'equal-installment',
        homeOrder: 'first',
        balanceFen: 1_000_000,
        monthlyDepositBaseFen: 1_000_000,
        otherMonthlyDebtFen: 0,
      },
      today,
    );
    expect(estimate.limit.bindingBound).toBe('balance');
    expect(estimate.limit.balanceBoundFen).toBe(1_000_000 * params.balanceMultiple);
    expect(estimate.amountFen).toBe(estimate.limit.limitFen);
    expect(estimate.explanation['zh-CN']).toContain(`${params.balanceMultiple} 倍`);
    expect(estimate.schedule?.instalments).toHaveLength(240);
  });

  it('a zero income carries no loan: the capacity bound is 0 and there is no schedule', () => {
    const estimate = estimateLoan(
      {
        city: '371300',
        housePriceFen: 100_000_000,
        termMonths: 120,
        method: 'equal-principal',
        homeOrder: 'first',
        balanceFen: 5_000_000,
        monthlyDepositBaseFen: 0,
        otherMonthlyDebtFen: 0,
      },
      today,
    );
    expect(estimate.limit).toMatchObject({ capacityBoundFen: 0, limitFen: 0, bindingBound: 'capacity' });
    expect(estimate.schedule).toBeNull();
  });

  it('refuses to estimate without an income, or beyond the longest term', () => {
    const input: LoanEstimateInput = {
      city: '320300',
      housePriceFen: 100_000_000,
      termMonths: maxTerm('320300') + 1,
      method: 'equal-installment',
      homeOrder: 'first',
      balanceFen: 5_000_000,
      otherMonthlyDebtFen: 0,
    };
    expect(loanEstimateErrors(input, today).map((e) => [e.field, e.code])).toEqual([
      ['monthlyDepositBaseFen', 'INCOME_REQUIRED'],
      ['termMonths', 'TERM_TOO_LONG'],
    ]);
  });
});
