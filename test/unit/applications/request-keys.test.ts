import { describe, expect, it } from '@jest/globals';
import { parseRequestKey, requestKeyOf } from '../../../shared/applications/records.js';
import { backPayIdFor } from '../../../shared/deposits/back-pay.js';
import { applicationIdFor, isLoanApplicationId } from '../../../shared/loans/apply.js';
import { withdrawalIdFor } from '../../../shared/withdrawals/withdrawals.js';

describe('request keys', () => {
  it('name the centre asked and whom or what it is about, the property register included', () => {
    for (const party of ['applicant', 'spouse', 'coapplicant', 'property'] as const) {
      expect(parseRequestKey(requestKeyOf(party, '371300'))).toEqual({ party, city: '371300' });
    }
    expect(requestKeyOf('applicant', '320300')).toBe('320300');
    expect(requestKeyOf('property', '320300')).toBe('property:320300');
  });
});

describe('application ids', () => {
  it('a property-facts reply is told a loan’s from a withdrawal’s or a back-pay’s by the id it answers', () => {
    const seed = 'abcdef0123456789abcdef';
    expect(isLoanApplicationId(applicationIdFor('320300', new Date('2026-12-01T02:00:00Z'), seed))).toBe(
      true,
    );
    expect(isLoanApplicationId(withdrawalIdFor('320300', seed))).toBe(false);
    expect(isLoanApplicationId(backPayIdFor('320300', seed))).toBe(false);
  });
});
