import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type BalanceMovement, yearlyInterestFen } from '../../../shared/deposits/rules.js';
import { payoffAmount } from '../../../shared/loans/schedule.js';
import {
  closingWithdrawal,
  interestToDate,
  type LoanRepayment,
  offsiteRepayWithdrawalLimit,
  type PurchaseRecordFacts,
  purchaseRecordRefusal,
  purchaseWithdrawalLimit,
  validateBankAccount,
} from '../../../shared/withdrawals/rules.js';

const yuan = (amount: number): number => amount * 100;

describe('interestToDate', () => {
  it('accrues 1.5 % / 360 per day on the daily balance since 1 July', () => {
    // 100,000 × 1.5 % × 30 / 360 = 125.00 yuan.
    expect(
      interestToDate({
        openingBalanceFen: yuan(100_000),
        movements: [],
        from: '2025-07-01',
        to: '2025-07-30',
      }),
    ).toEqual({
      from: '2025-07-01',
      to: '2025-07-30',
      days: 30,
      fenDays: 300_000_000n,
      rateBasisPoints: 150,
      ruleVersion: 'national-2016-02-21',
      interestFen: 12_500,
      closingBalanceFen: yuan(100_000),
    });
  });

  it('counts a deposit from the day it is credited', () => {
    // + 2,000 yuan on 16 July: 15 days (16–30) × 200,000 fen × 1.5 % / 360 = 125 fen more.
    const result = interestToDate({
      openingBalanceFen: yuan(100_000),
      movements: [{ date: '2025-07-16', amountFen: yuan(2_000) }],
      from: '2025-07-01',
      to: '2025-07-30',
    });
    expect(result.interestFen).toBe(12_625);
    expect(result.closingBalanceFen).toBe(yuan(102_000));
  });

  it('gives 0 when nothing has accrued yet (a payout on 1 July counts up to the 30 June before)', () => {
    expect(
      interestToDate({
        openingBalanceFen: yuan(50_000),
        movements: [],
        from: '2025-07-01',
        to: '2025-06-30',
      }),
    ).toMatchObject({ days: 0, fenDays: 0n, interestFen: 0, closingBalanceFen: yuan(50_000) });
  });

  it('equals yearlyInterestFen when counted up to the settlement day', () => {
    const movement = fc.record({
      date: fc
        .integer({ min: 0, max: 364 })
        .map((offset) =>
          new Date(Date.parse('2025-07-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10),
        ),
      amountFen: fc.integer({ min: 0, max: yuan(10_000) }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: yuan(1_000_000) }),
        fc.array(movement, { maxLength: 12 }),
        (openingBalanceFen, movements: BalanceMovement[]) => {
          const year = yearlyInterestFen({ openingBalanceFen, movements, settlementDate: '2026-06-30' });
          const toDate = interestToDate({
            openingBalanceFen,
            movements,
            from: '2025-07-01',
            to: '2026-06-30',
          });
          expect(toDate.interestFen).toBe(year.interestFen);
          expect(toDate.fenDays).toBe(year.fenDays);
        },
      ),
    );
  });

  it('refuses a start other than 1 July, a date past 30 June, and movements outside the period', () => {
    const base = { openingBalanceFen: yuan(1_000), movements: [] };
    expect(() => interestToDate({ ...base, from: '2025-07-02', to: '2025-08-01' })).toThrow(
      /start of an interest year/,
    );
    expect(() => interestToDate({ ...base, from: '2025-07-01', to: '2026-07-01' })).toThrow(/settlement day/);
    expect(() => interestToDate({ ...base, from: '2025-07-01', to: '2025-06-29' })).toThrow(
      /more than a day before/,
    );
    expect(() =>
      interestToDate({
        ...base,
        movements: [{ date: '2025-08-02', amountFen: 1 }],
        from: '2025-07-01',
        to: '2025-08-01',
      }),
    ).toThrow(/outside the period/);
  });
});

describe('closingWithdrawal (离退休 / 出境定居)', () => {
  // 50,000 yuan outstanding at 2.6 %, last instalment 2025-09-20, paid off 2025-10-05 (15 days):
  // interest 5,000,000 × 2.6 % × 15 / 360 = 5,416.67 → 5,417 fen; payoff 50,054.17 yuan.
  const payoff = payoffAmount({
    outstandingPrincipalFen: yuan(50_000),
    annualRateHundredthsBp: 26_000,
    lastDueDate: '2025-09-20',
    payoffDate: '2025-10-05',
  }).totalFen;

  it('pays out the whole balance with interest and closes the account', () => {
    expect(closingWithdrawal({ balanceFen: yuan(80_000), interestToDateFen: yuan(100) })).toEqual({
      ok: true,
      payoutFen: yuan(80_100),
      toLoanFen: 0,
      interestFen: yuan(100),
      totalFen: yuan(80_100),
      closesAccount: true,
    });
  });

  it('pays the HPF loan off from the balance first, the rest to the applicant', () => {
    expect(payoff).toBe(5_005_417);
    expect(
      closingWithdrawal({
        balanceFen: yuan(80_000),
        interestToDateFen: yuan(100),
        outstandingLoanPayoffFen: payoff,
      }),
    ).toMatchObject({
      ok: true,
      toLoanFen: 5_005_417,
      payoutFen: 8_010_000 - 5_005_417,
      closesAccount: true,
    });
  });

  it('accepts a balance that covers the payoff exactly, paying out nothing', () => {
    expect(
      closingWithdrawal({ balanceFen: payoff - 17, interestToDateFen: 17, outstandingLoanPayoffFen: payoff }),
    ).toMatchObject({ ok: true, toLoanFen: payoff, payoutFen: 0 });
  });

  it('refuses when the balance with interest does not cover the payoff, naming the shortfall', () => {
    const result = closingWithdrawal({
      balanceFen: yuan(40_000),
      interestToDateFen: yuan(100),
      outstandingLoanPayoffFen: payoff,
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'BALANCE_BELOW_LOAN_PAYOFF',
      totalFen: 4_010_000,
      shortfallFen: 995_417,
    });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message['zh-CN']).toContain('9,954.17');
    expect(result.message.en).toContain('CNY 9,954.17');
  });

  it('closes an empty account with a payout of 0, and refuses malformed amounts', () => {
    expect(
      closingWithdrawal({ balanceFen: 0, interestToDateFen: 0, outstandingLoanPayoffFen: 0 }),
    ).toMatchObject({
      ok: true,
      payoutFen: 0,
    });
    expect(() => closingWithdrawal({ balanceFen: -1, interestToDateFen: 0 })).toThrow(RangeError);
    expect(() => closingWithdrawal({ balanceFen: 1.5, interestToDateFen: 0 })).toThrow(RangeError);
  });
});

describe('purchaseWithdrawalLimit (per property, all buyers)', () => {
  it('ordinary: the whole balance when the property allows more', () => {
    const result = purchaseWithdrawalLimit({
      registeredPriceFen: yuan(300_000),
      alreadyWithdrawnForPropertyFen: 0,
      balanceFen: yuan(80_000),
    });
    expect(result).toMatchObject({
      maxFen: yuan(80_000),
      bound: 'balance',
      remainingForPropertyFen: yuan(300_000),
    });
    expect(result.reasons.map((r) => r.code)).toEqual(['CAPPED_BY_BALANCE']);
  });

  it('capped by the registered price less what the buyers already withdrew', () => {
    const result = purchaseWithdrawalLimit({
      registeredPriceFen: yuan(300_000),
      alreadyWithdrawnForPropertyFen: yuan(250_000),
      balanceFen: yuan(80_000),
    });
    expect(result).toMatchObject({ maxFen: yuan(50_000), bound: 'property' });
    expect(result.reasons.map((r) => r.code)).toEqual([
      'CAPPED_BY_PROPERTY_REMAINING',
      'CO_OWNER_WITHDRAWALS_DEDUCTED',
    ]);
    expect(result.reasons[0]?.message['zh-CN']).toContain('50,000.00');
  });

  it('nothing left for the property (or more withdrawn than the price): 0', () => {
    for (const already of [yuan(300_000), yuan(300_001)]) {
      const result = purchaseWithdrawalLimit({
        registeredPriceFen: yuan(300_000),
        alreadyWithdrawnForPropertyFen: already,
        balanceFen: yuan(80_000),
      });
      expect(result).toMatchObject({ maxFen: 0, remainingForPropertyFen: 0, bound: 'property' });
      expect(result.reasons.map((r) => r.code)).toEqual(['PROPERTY_FULLY_WITHDRAWN']);
    }
  });

  it('nothing in the account: 0; a tie names the property', () => {
    expect(
      purchaseWithdrawalLimit({
        registeredPriceFen: yuan(1_000),
        alreadyWithdrawnForPropertyFen: 0,
        balanceFen: 0,
      }).reasons[0]?.code,
    ).toBe('NO_BALANCE');
    expect(
      purchaseWithdrawalLimit({
        registeredPriceFen: yuan(1_000),
        alreadyWithdrawnForPropertyFen: 0,
        balanceFen: yuan(1_000),
      }),
    ).toMatchObject({ maxFen: yuan(1_000), bound: 'property' });
  });

  it('never exceeds the balance nor the remainder for the property', () => {
    fc.assert(
      fc.property(
        fc.nat(1e12),
        fc.nat(1e12),
        fc.nat(1e12),
        (registeredPriceFen, alreadyWithdrawnForPropertyFen, balanceFen) => {
          const { maxFen } = purchaseWithdrawalLimit({
            registeredPriceFen,
            alreadyWithdrawnForPropertyFen,
            balanceFen,
          });
          expect(maxFen).toBeGreaterThanOrEqual(0);
          expect(maxFen).toBeLessThanOrEqual(balanceFen);
          expect(maxFen + alreadyWithdrawnForPropertyFen).toBeLessThanOrEqual(
            Math.max(registeredPriceFen, alreadyWithdrawnForPropertyFen),
          );
        },
      ),
    );
  });
});

describe('purchaseRecordRefusal (the register’s record, DESIGN.md §2b)', () => {
  const filed: PurchaseRecordFacts = {
    found: true,
    status: 'filed',
    contractDate: '2026-03-01',
    registeredPriceFen: yuan(900_000),
    applicantIsBuyer: true,
    buyerCount: 2,
  };
  const on = (facts: PurchaseRecordFacts, applicationDate = '2026-06-01') =>
    purchaseRecordRefusal({ facts, applicationDate, periodDays: 365 });

  it('a filed record naming the applicant, within the period, allows it', () => {
    expect(on(filed)).toBeUndefined();
    // The last day of the period is included.
    expect(on(filed, '2027-03-01')).toBeUndefined();
  });

  it('no record goes to staff review; cancelled, not a buyer, or too late is refused', () => {
    expect(on({ found: false })).toMatchObject({
      outcome: 'review',
      reason: { code: 'PROPERTY_RECORD_NOT_FOUND' },
    });
    expect(on({ ...filed, status: 'cancelled' })).toMatchObject({
      outcome: 'reject',
      reason: { code: 'PROPERTY_RECORD_CANCELLED' },
    });
    expect(on({ found: true, applicantIsBuyer: false })).toMatchObject({
      outcome: 'reject',
      reason: { code: 'NOT_A_BUYER' },
    });
    const late = on(filed, '2027-03-02');
    expect(late).toMatchObject({ outcome: 'reject', reason: { code: 'PURCHASE_PERIOD_PASSED' } });
    expect(late?.reason.message['zh-CN']).toContain('2027-03-01');
  });

  it('refuses a malformed period or date rather than guessing', () => {
    expect(() =>
      purchaseRecordRefusal({ facts: filed, applicationDate: '2026-02-30', periodDays: 365 }),
    ).toThrow(RangeError);
    expect(() =>
      purchaseRecordRefusal({ facts: filed, applicationDate: '2026-06-01', periodDays: -1 }),
    ).toThrow(RangeError);
  });
});

describe('offsiteRepayWithdrawalLimit (12 months before the application)', () => {
  const repayment = (id: string, date: string, amount = 3_000): LoanRepayment => ({
    id,
    date,
    amountFen: yuan(amount),
  });

  it('counts repayments after the same day a year earlier, up to and including the application date', () => {
    const result = offsiteRepayWithdrawalLimit({
      repayments: [
        repayment('r0', '2025-03-15'), // exactly 12 months before: out
        repayment('r1', '2025-03-16'), // the first day in
        repayment('r2', '2025-09-15'),
        repayment('r3', '2026-03-15'), // the application day: in
        repayment('r4', '2026-03-16'), // after the application: out
      ],
      covered: [],
      applicationDate: '2026-03-15',
      balanceFen: yuan(100_000),
    });
    expect(result).toMatchObject({
      windowFrom: '2025-03-16',
      windowTo: '2026-03-15',
      uncoveredFen: yuan(9_000),
      maxFen: yuan(9_000),
      bound: 'repayments',
    });
    expect(result.counted.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(result.reasons.map((r) => r.code)).toEqual(['CAPPED_BY_UNCOVERED_REPAYMENTS']);
  });

  it('takes 28 February as a year before 29 February', () => {
    const result = offsiteRepayWithdrawalLimit({
      repayments: [repayment('a', '2023-02-28'), repayment('b', '2023-03-01')],
      covered: [],
      applicationDate: '2024-02-29',
      balanceFen: yuan(100_000),
    });
    expect(result.windowFrom).toBe('2023-03-01');
    expect(result.counted.map((r) => r.id)).toEqual(['b']);
  });

  it('leaves out what earlier withdrawals covered, in whole or in part', () => {
    const result = offsiteRepayWithdrawalLimit({
      repayments: [
        repayment('r1', '2025-05-15'),
        repayment('r2', '2025-06-15'),
        repayment('r3', '2025-07-15'),
      ],
      covered: [
        { repaymentId: 'r1', amountFen: yuan(3_000) },
        { repaymentId: 'r2', amountFen: yuan(1_000) },
        { repaymentId: 'r2', amountFen: yuan(500) },
        { repaymentId: 'older', amountFen: yuan(3_000) }, // a repayment not listed: ignored
      ],
      applicationDate: '2025-08-01',
      balanceFen: yuan(100_000),
    });
    expect(result.uncoveredFen).toBe(yuan(1_500 + 3_000));
    expect(result.counted.map((r) => [r.id, r.coveredFen, r.uncoveredFen])).toEqual([
      ['r1', yuan(3_000), 0],
      ['r2', yuan(1_500), yuan(1_500)],
      ['r3', 0, yuan(3_000)],
    ]);
  });

  it('is capped by the balance', () => {
    const result = offsiteRepayWithdrawalLimit({
      repayments: [repayment('r1', '2025-05-15'), repayment('r2', '2025-06-15')],
      covered: [],
      applicationDate: '2025-08-01',
      balanceFen: yuan(4_000),
    });
    expect(result).toMatchObject({ maxFen: yuan(4_000), uncoveredFen: yuan(6_000), bound: 'balance' });
    expect(result.reasons.map((r) => r.code)).toEqual(['CAPPED_BY_BALANCE']);
  });

  it('nothing left to withdraw: every repayment in the window covered, or none in it', () => {
    const allCovered = offsiteRepayWithdrawalLimit({
      repayments: [repayment('r1', '2025-05-15')],
      covered: [{ repaymentId: 'r1', amountFen: yuan(3_000) }],
      applicationDate: '2025-08-01',
      balanceFen: yuan(4_000),
    });
    expect(allCovered).toMatchObject({ maxFen: 0, bound: 'repayments' });
    expect(allCovered.reasons.map((r) => r.code)).toEqual(['NO_UNCOVERED_REPAYMENTS']);
    const noneInWindow = offsiteRepayWithdrawalLimit({
      repayments: [repayment('r1', '2024-05-15')],
      covered: [],
      applicationDate: '2025-08-01',
      balanceFen: yuan(4_000),
    });
    expect(noneInWindow.maxFen).toBe(0);
    const noBalance = offsiteRepayWithdrawalLimit({
      repayments: [repayment('r1', '2025-05-15')],
      covered: [],
      applicationDate: '2025-08-01',
      balanceFen: 0,
    });
    expect(noBalance.reasons[0]?.code).toBe('NO_BALANCE');
  });

  it('refuses inconsistent data: duplicate ids, covering more than was repaid', () => {
    expect(() =>
      offsiteRepayWithdrawalLimit({
        repayments: [repayment('r1', '2025-05-15'), repayment('r1', '2025-06-15')],
        covered: [],
        applicationDate: '2025-08-01',
        balanceFen: 0,
      }),
    ).toThrow(/duplicate id/);
    expect(() =>
      offsiteRepayWithdrawalLimit({
        repayments: [repayment('r1', '2025-05-15')],
        covered: [{ repaymentId: 'r1', amountFen: yuan(3_000) + 1 }],
        applicationDate: '2025-08-01',
        balanceFen: 0,
      }),
    ).toThrow(/covered/);
  });
});

describe('validateBankAccount (payouts only to the applicant’s own account)', () => {
  const codes = (result: ReturnType<typeof validateBankAccount>): string[] =>
    result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`);

  it('accepts 12 to 30 digits, ignoring the spaces printed on cards, held by the applicant', () => {
    expect(
      validateBankAccount({ accountNumber: '6222 0212 3456 7890 128', holderName: ' 张三 ' }, '张三'),
    ).toEqual({
      ok: true,
      value: { accountNumber: '6222021234567890128', holderName: '张三' },
    });
    expect(validateBankAccount({ accountNumber: '1'.repeat(12), holderName: '张三' }, '张三').ok).toBe(true);
    expect(validateBankAccount({ accountNumber: '1'.repeat(30), holderName: '张三' }, '张三').ok).toBe(true);
  });

  it('does not enforce Luhn: a number that fails it and one that passes are both accepted', () => {
    // 4111111111111111 passes Luhn; 4111111111111112 does not.
    expect(validateBankAccount({ accountNumber: '4111111111111111', holderName: '李四' }, '李四').ok).toBe(
      true,
    );
    expect(validateBankAccount({ accountNumber: '4111111111111112', holderName: '李四' }, '李四').ok).toBe(
      true,
    );
  });

  it('refuses a wrong length, other characters (full-width digits too) and an empty number', () => {
    const check = (accountNumber: string): string[] =>
      codes(validateBankAccount({ accountNumber, holderName: '张三' }, '张三'));
    expect(check('1'.repeat(11))).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_LENGTH']);
    expect(check('1'.repeat(31))).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_LENGTH']);
    expect(check('62220212345678901X')).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_FORMAT']);
    expect(check('6222-0212-3456-7890')).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_FORMAT']);
    expect(check('６２２２０２１２３４５６７８９０')).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_FORMAT']);
    expect(check('   ')).toEqual(['accountNumber:BANK_ACCOUNT_NUMBER_REQUIRED']);
  });

  it('refuses an account held by someone else, with every field error and no account number in messages', () => {
    const result = validateBankAccount({ accountNumber: '62220212345', holderName: '张三' }, '李四');
    expect(codes(result)).toEqual([
      'accountNumber:BANK_ACCOUNT_NUMBER_LENGTH',
      'holderName:BANK_ACCOUNT_HOLDER_NOT_APPLICANT',
    ]);
    if (result.ok) throw new Error('expected errors');
    for (const error of result.errors) {
      expect(error.message['zh-CN']).not.toContain('62220212345');
      expect(error.message.en).not.toContain('62220212345');
      expect(error.message['zh-CN'].length).toBeGreaterThan(0);
    }
    expect(
      codes(validateBankAccount({ accountNumber: '6222021234567890128', holderName: '' }, '李四')),
    ).toEqual(['holderName:BANK_ACCOUNT_HOLDER_REQUIRED']);
  });

  it('compares names across middle-dot variants, widths, spaces and Latin case', () => {
    const ok = (holderName: string, applicant: string): boolean =>
      validateBankAccount({ accountNumber: '6222021234567890128', holderName }, applicant).ok;
    expect(ok('阿卜杜•热合曼', '阿卜杜·热合曼')).toBe(true);
    expect(ok('阿卜杜・热合曼', '阿卜杜·热合曼')).toBe(true);
    expect(ok('ｊｏｈｎ  smith', 'JOHN SMITH')).toBe(true);
    expect(ok('张三丰', '张三')).toBe(false);
    expect(() =>
      validateBankAccount({ accountNumber: '6222021234567890128', holderName: '张三' }, ' '),
    ).toThrow(RangeError);
  });
});
