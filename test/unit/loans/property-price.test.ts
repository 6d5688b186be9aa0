import { describe, expect, it } from '@jest/globals';
import { loanPropertyPrice } from '../../../shared/loans/property-price.js';

const filed = {
  found: true as const,
  status: 'filed' as const,
  contractDate: '2026-10-01',
  registeredPriceFen: 10_000_000,
  applicantIsBuyer: true as const,
  buyerCount: 2,
};

describe('the house price a loan decision may use', () => {
  it('is the registered price of a filed record the applicant is a buyer on', () => {
    expect(loanPropertyPrice(filed)).toEqual({ outcome: 'price', registeredPriceFen: 10_000_000 });
  });

  it('no record named: staff review, saying the record is needed, in both languages', () => {
    const answer = loanPropertyPrice(undefined);
    expect(answer).toMatchObject({ outcome: 'review', reason: { code: 'PROPERTY_RECORD_NOT_NAMED' } });
    if (answer.outcome === 'price') throw new Error('no price without a record');
    expect(answer.reason.message['zh-CN']).toContain('网签备案号');
    expect(answer.reason.message.en).toContain('online-signing record');
  });

  it('a record the register does not hold: staff review', () => {
    expect(loanPropertyPrice({ found: false })).toMatchObject({
      outcome: 'review',
      reason: { code: 'PROPERTY_RECORD_NOT_FOUND' },
    });
  });

  it('a non-buyer is refused, whatever the record says', () => {
    expect(loanPropertyPrice({ found: true, applicantIsBuyer: false })).toMatchObject({
      outcome: 'rejected',
      reason: { code: 'NOT_A_BUYER' },
    });
  });

  it('a cancelled record is refused', () => {
    expect(loanPropertyPrice({ ...filed, status: 'cancelled' })).toMatchObject({
      outcome: 'rejected',
      reason: { code: 'PROPERTY_RECORD_CANCELLED' },
    });
  });
});
