/** The limits of rent, renovation and property-fee withdrawals (shared/withdrawals/consumption.ts). */
import { describe, expect, it } from '@jest/globals';
import {
  ownHomeDocumentRefusal,
  ownHomeRecordRefusal,
  propertyFeeWithdrawalLimit,
  propertyFeeYearRefusal,
  renovationBarredUntil,
  renovationPeriodRefusal,
  renovationWithdrawalLimit,
  rentHomeRefusal,
  rentPeriodOf,
  rentWithdrawalLimit,
} from '../../../shared/withdrawals/consumption.js';

const yuan = (amount: number) => amount * 100;

describe('rent (租房提取)', () => {
  it('counts in the calendar month or year of the application', () => {
    expect(rentPeriodOf('2026-12-01', 'month')).toBe('2026-12');
    expect(rentPeriodOf('2026-12-01', 'year')).toBe('2026');
  });

  it('is refused on the applicant’s home, and goes to staff on the spouse’s without naming it', () => {
    expect(rentHomeRefusal([])).toBeUndefined();
    const spouses = rentHomeRefusal([{ owner: 'spouse', onlineSigningNo: 'WQ-1' }]);
    expect(spouses).toMatchObject({ outcome: 'review', reason: { code: 'HOUSEHOLD_HOMES_TO_CHECK' } });
    expect(JSON.stringify(spouses)).not.toMatch(/WQ-1|配偶|spouse/);
    const both = rentHomeRefusal([
      { owner: 'spouse', onlineSigningNo: 'WQ-1' },
      { owner: 'applicant', onlineSigningNo: 'WQ-2' },
    ]);
    expect(both).toMatchObject({ outcome: 'reject', reason: { code: 'OWNS_HOME_IN_DEPOSIT_CITY' } });
    expect(both?.reason.message['zh-CN']).toContain('WQ-2');
    expect(JSON.stringify(both)).not.toContain('WQ-1');
    expect(both?.reason.message.en).toMatch(/you own/);
  });

  it('pays at most the cap less the period’s withdrawals, at most the balance', () => {
    const base = { capFen: yuan(1_500), capPeriod: 'month' as const, period: '2026-12' };
    expect(
      rentWithdrawalLimit({ ...base, alreadyWithdrawnInPeriodFen: 0, balanceFen: yuan(10_000) }),
    ).toMatchObject({
      maxFen: yuan(1_500),
      bound: 'cap',
      reasons: [{ code: 'CAPPED_BY_RENT_CAP' }],
    });
    expect(
      rentWithdrawalLimit({ ...base, alreadyWithdrawnInPeriodFen: yuan(1_000), balanceFen: yuan(10_000) }),
    ).toMatchObject({ maxFen: yuan(500), remainingFen: yuan(500) });
    expect(
      rentWithdrawalLimit({ ...base, alreadyWithdrawnInPeriodFen: yuan(1_500), balanceFen: yuan(10_000) }),
    ).toMatchObject({ maxFen: 0, reasons: [{ code: 'RENT_CAP_REACHED' }] });
    expect(
      rentWithdrawalLimit({ ...base, alreadyWithdrawnInPeriodFen: 0, balanceFen: yuan(800) }),
    ).toMatchObject({
      maxFen: yuan(800),
      bound: 'balance',
      reasons: [{ code: 'CAPPED_BY_BALANCE' }],
    });
    expect(() => rentWithdrawalLimit({ ...base, alreadyWithdrawnInPeriodFen: -1, balanceFen: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('own home on the register (装修, 物业费)', () => {
  const filed = {
    found: true as const,
    status: 'filed' as const,
    contractDate: '2020-01-01',
    registeredPriceFen: yuan(900_000),
    applicantIsBuyer: true,
    buyerCount: 2,
  };
  it('accepts a filed record naming the applicant; refuses a cancelled one or a non-buyer; reviews none', () => {
    expect(ownHomeRecordRefusal(filed)).toBeUndefined();
    expect(ownHomeRecordRefusal({ ...filed, status: 'cancelled' })).toMatchObject({
      outcome: 'reject',
      reason: { code: 'PROPERTY_RECORD_CANCELLED' },
    });
    expect(ownHomeRecordRefusal({ found: true, applicantIsBuyer: false })).toMatchObject({
      outcome: 'reject',
      reason: { code: 'NOT_A_BUYER' },
    });
    expect(ownHomeRecordRefusal({ found: false })).toMatchObject({ outcome: 'review' });
  });
});

describe('renovation (装修提取)', () => {
  const base = { shareBasisPoints: 8000, capFen: yuan(100_000), balanceFen: yuan(200_000) };
  it('pays at most the share of the invoice, rounded down', () => {
    // 50,000.01 × 80 % = 40,000.008 → 40,000.00
    expect(renovationWithdrawalLimit({ ...base, invoiceAmountFen: 5_000_001 })).toMatchObject({
      maxFen: 4_000_000,
      invoiceShareFen: 4_000_000,
      bound: 'invoice',
      reasons: [{ code: 'CAPPED_BY_INVOICE_SHARE' }],
    });
  });
  it('…at most the absolute cap, and at most the balance', () => {
    expect(renovationWithdrawalLimit({ ...base, invoiceAmountFen: yuan(300_000) })).toMatchObject({
      maxFen: yuan(100_000),
      bound: 'cap',
      reasons: [{ code: 'CAPPED_BY_RENOVATION_CAP' }],
    });
    expect(
      renovationWithdrawalLimit({ ...base, invoiceAmountFen: yuan(300_000), balanceFen: yuan(30_000) }),
    ).toMatchObject({ maxFen: yuan(30_000), bound: 'balance' });
    expect(() =>
      renovationWithdrawalLimit({ ...base, invoiceAmountFen: 1, shareBasisPoints: 10_001 }),
    ).toThrow(RangeError);
  });
  it('once per home in the period: barred to the day before the anniversary, allowed on it', () => {
    expect(renovationBarredUntil('2026-03-15', 5)).toBe('2031-03-14');
    const last = { lastPaidOn: '2026-03-15', periodYears: 5 };
    expect(renovationPeriodRefusal({ ...last, applicationDate: '2031-03-14' })?.code).toBe(
      'RENOVATION_ONCE_PER_PERIOD',
    );
    expect(renovationPeriodRefusal({ ...last, applicationDate: '2031-03-15' })).toBeUndefined();
    expect(
      renovationPeriodRefusal({ lastPaidOn: undefined, applicationDate: '2026-12-01', periodYears: 5 }),
    ).toBe(undefined);
    // 29 February: the period ends on the 28th of the anniversary year.
    expect(
      renovationPeriodRefusal({ lastPaidOn: '2028-02-29', periodYears: 1, applicationDate: '2029-02-28' }),
    ).toBe(undefined);
  });
});

describe('property fees (物业费提取)', () => {
  it('pays at most the fee notice, the centre’s yearly cap and the balance', () => {
    const cap = yuan(6_000);
    expect(
      propertyFeeWithdrawalLimit({ feeNoticeAmountFen: yuan(3_600), capFen: cap, balanceFen: yuan(10_000) }),
    ).toMatchObject({
      maxFen: yuan(3_600),
      bound: 'notice',
      reasons: [{ code: 'CAPPED_BY_FEE_NOTICE' }],
    });
    // A notice typed at 99,999,999 yuan pays the cap, not the balance.
    expect(
      propertyFeeWithdrawalLimit({
        feeNoticeAmountFen: yuan(99_999_999),
        capFen: cap,
        balanceFen: yuan(50_000),
      }),
    ).toMatchObject({ maxFen: cap, bound: 'cap', reasons: [{ code: 'CAPPED_BY_PROPERTY_FEE_CAP' }] });
    expect(
      propertyFeeWithdrawalLimit({ feeNoticeAmountFen: yuan(3_600), capFen: cap, balanceFen: 0 }),
    ).toMatchObject({
      maxFen: 0,
      reasons: [{ code: 'NO_BALANCE' }],
    });
  });
  it('refuses an invoice before the purchase, and a fee year before it or older than last year', () => {
    const contractDate = '2026-10-01';
    expect(
      ownHomeDocumentRefusal({ type: 'renovation', contractDate, invoiceIssuedOn: '2001-01-01' })?.code,
    ).toBe('INVOICE_BEFORE_PURCHASE');
    expect(
      ownHomeDocumentRefusal({ type: 'renovation', contractDate, invoiceIssuedOn: contractDate }),
    ).toBeUndefined();
    const fee = (feeYear: number, bought = '2020-05-01') =>
      ownHomeDocumentRefusal({
        type: 'property-fee',
        contractDate: bought,
        feeYear,
        applicationDate: '2026-12-01',
      });
    expect(fee(2006)?.code).toBe('FEE_YEAR_NOT_ALLOWED');
    expect(fee(2024)?.code).toBe('FEE_YEAR_NOT_ALLOWED');
    expect(fee(2025)).toBeUndefined();
    expect(fee(2026)).toBeUndefined();
    expect(fee(2025, contractDate)?.code).toBe('FEE_YEAR_NOT_ALLOWED');
  });
  it('once per home per fee year', () => {
    expect(propertyFeeYearRefusal({ alreadyPaidForYear: false, feeYear: 2026 })).toBeUndefined();
    expect(propertyFeeYearRefusal({ alreadyPaidForYear: true, feeYear: 2026 })?.code).toBe(
      'PROPERTY_FEE_ALREADY_WITHDRAWN',
    );
  });
});
