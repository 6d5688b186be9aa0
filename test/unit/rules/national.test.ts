import { describe, expect, it } from '@jest/globals';
import { formatRatePercent, loanRateInForce, nationalRulesInForce } from '../../../shared/rules/national.js';

describe('national rules', () => {
  it('states the deposit bounds, interest and regulation time limits', () => {
    const rules = nationalRulesInForce('2026-11-26');
    expect(rules).toMatchObject({
      depositRateMinBasisPoints: 500,
      depositRateMaxBasisPoints: 1200,
      depositInterestAnnualBasisPoints: 150,
      depositInterestSettlementDay: '06-30',
      withdrawalDecisionDays: 3,
      loanDecisionDays: 15,
      maxLoanTermMonths: 360,
    });
  });
});

describe('loanRateInForce', () => {
  it('2024-06-01, first home, 360 months → 2.85 % (2024-05-18 version)', () => {
    const rate = loanRateInForce('2024-06-01', 'first', 360);
    expect(rate).toEqual({
      annualRateHundredthsBp: 28500,
      termBand: 'over5Years',
      ruleVersion: 'loan-rate-2024-05-18',
      effectiveFrom: '2024-05-18',
    });
    expect(formatRatePercent(rate.annualRateHundredthsBp)).toBe('2.85%');
  });

  it('2025-05-08, first home, 360 months → 2.6 %', () => {
    expect(loanRateInForce('2025-05-08', 'first', 360).annualRateHundredthsBp).toBe(26000);
    expect(loanRateInForce('2025-05-07', 'first', 360).annualRateHundredthsBp).toBe(28500);
  });

  it('uses the ≤5-year rate up to 60 months and the >5-year rate from 61', () => {
    expect(loanRateInForce('2025-06-01', 'first', 60)).toMatchObject({
      annualRateHundredthsBp: 21000,
      termBand: 'upTo5Years',
    });
    expect(loanRateInForce('2025-06-01', 'first', 61)).toMatchObject({
      annualRateHundredthsBp: 26000,
      termBand: 'over5Years',
    });
    expect(loanRateInForce('2025-06-01', 'second', 1).annualRateHundredthsBp).toBe(25250);
    expect(loanRateInForce('2025-06-01', 'second', 360).annualRateHundredthsBp).toBe(30750);
  });

  it.each([
    ['2022-10-01', 'first', 26000, 31000],
    ['2022-10-01', 'second', 30250, 35750],
    ['2024-05-18', 'first', 23500, 28500],
    ['2024-05-18', 'second', 27750, 33250],
    ['2025-05-08', 'first', 21000, 26000],
    ['2025-05-08', 'second', 25250, 30750],
  ] as const)('%s %s home: %d / %d', (date, homeOrder, upTo5Years, over5Years) => {
    expect(loanRateInForce(date, homeOrder, 60).annualRateHundredthsBp).toBe(upTo5Years);
    expect(loanRateInForce(date, homeOrder, 360).annualRateHundredthsBp).toBe(over5Years);
  });

  it('has no rate before 2022-10-01 and refuses an impossible term', () => {
    expect(() => loanRateInForce('2022-09-30', 'first', 360)).toThrow(
      /no HPF loan rate in force on 2022-09-30/,
    );
    expect(() => loanRateInForce('2025-06-01', 'first', 0)).toThrow(RangeError);
    expect(() => loanRateInForce('2025-06-01', 'first', 361)).toThrow(/1 to 360/);
    expect(() => loanRateInForce('2025-06-01', 'first', 12.5)).toThrow(RangeError);
  });
});

describe('formatRatePercent', () => {
  it('writes exact percentages', () => {
    expect(formatRatePercent(30250)).toBe('3.025%');
    expect(formatRatePercent(26000)).toBe('2.6%');
    expect(formatRatePercent(30000)).toBe('3%');
    expect(formatRatePercent(1)).toBe('0.0001%');
  });
});
