/** The revised Regulations in force from 2026-09-20 (DESIGN.md §2a), as rule versions. */
import { describe, expect, it } from '@jest/globals';
import { CITY_CODES } from '../../../shared/config/cities.js';
import { parametersInForce } from '../../../shared/rules/centre-parameters.js';
import { nationalRulesInForce } from '../../../shared/rules/national.js';

describe('the national rule version on either side of 2026-09-20 (Beijing dates)', () => {
  it('2026-09-19 is the old text: no rent, renovation or property-fee ground', () => {
    const rules = nationalRulesInForce('2026-09-19');
    expect(rules.ruleVersion).toBe('national-2016-02-21');
    expect(rules.withdrawalGrounds).toEqual(['retirement', 'emigration', 'purchase', 'offsite-repay']);
  });

  it('2026-09-20 is the revision: the three new grounds', () => {
    const rules = nationalRulesInForce('2026-09-20');
    expect(rules.ruleVersion).toBe('national-2026-09-20');
    expect(rules.withdrawalGrounds).toEqual(
      expect.arrayContaining(['retirement', 'purchase', 'rent', 'renovation', 'property-fee']),
    );
  });

  it('keeps the loan review limit at 15 days (the draft’s 10 days unverified) and withdrawals at 3', () => {
    for (const day of ['2026-09-19', '2026-09-20', '2026-12-01']) {
      expect(nationalRulesInForce(day)).toMatchObject({ loanDecisionDays: 15, withdrawalDecisionDays: 3 });
    }
  });
});

describe('the centre parameters of the new grounds', () => {
  it.each(CITY_CODES)('%s states them from 2026-09-20 only, as DEMO figures', (city) => {
    const before = parametersInForce(city, '2026-09-19');
    const after = parametersInForce(city, '2026-09-20');
    expect(before.consumptionWithdrawals).toBeUndefined();
    expect(after.ruleVersion).toBe(`${city}-2026-09-20`);
    expect(after.demo).toBe(true);
    expect(after.consumptionWithdrawals).toEqual({
      rentCapPeriod: expect.stringMatching(/^(month|year)$/),
      rentCapFen: expect.any(Number),
      renovationInvoiceShareBasisPoints: expect.any(Number),
      renovationCapFen: expect.any(Number),
      renovationPeriodYears: expect.any(Number),
      propertyFeeYearCapFen: expect.any(Number),
    });
    // Everything else carries over from the version before.
    const { ruleVersion: _a, effectiveFrom: _b, consumptionWithdrawals: _c, ...rest } = after;
    const { ruleVersion: _d, effectiveFrom: _e, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
  });

  it('has both monthly and yearly rent caps in the region', () => {
    const periods = new Set(
      CITY_CODES.map((city) => parametersInForce(city, '2026-12-01').consumptionWithdrawals?.rentCapPeriod),
    );
    expect(periods).toEqual(new Set(['month', 'year']));
  });
});
