import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { lastDayOfMonth } from '../../../shared/calendar/dates.js';
import type { CityCode } from '../../../shared/config/cities.js';
import {
  ageInYearsOn,
  type CentreDepositFacts,
  countedMonthlyIncome,
  type DeclaredHomeOrder,
  decideLoan,
  type LoanApplication,
  type LoanReasonCode,
  type LoanRequestInput,
  loanRequestErrors,
  rateForInstalment,
} from '../../../shared/loans/decision-rule.js';
import { maxPrincipalForPayment, repaymentSchedule } from '../../../shared/loans/schedule.js';
import { parametersInForce } from '../../../shared/rules/centre-parameters.js';
import { loanBar } from '../enforcement/fixtures.js';

const yuan = (amount: number): number => amount * 100;

// Xuzhou 2025-07-01 (demo figures): cap 500,000 / 800,000 yuan, balance × 15, 6 months continuous,
// down payment 20 % / 30 %, instalments up to 50 % of income, age at maturity at most 65.
const XUZHOU = parametersInForce('320300', '2025-08-01');

const xuzhouAccount: CentreDepositFacts = {
  city: '320300',
  accountStatus: 'normal',
  continuousDepositMonths: 36,
  balanceFen: yuan(60_000),
  monthlyDepositFen: yuan(2_000),
  outstandingHpfLoans: 0,
  onViolationList: false,
};

/**
 * A first home in Xuzhou contracted 2025-08-01 at 2.6 %: cap 500,000; balance 60,000 × 15 = 900,000;
 * capacity on 10,000 yuan a month ≈ 2.5 million; price 1,000,000 × 80 % = 800,000. Asks 400,000.
 */
const application: LoanApplication = {
  params: XUZHOU,
  contractDate: '2025-08-01',
  applicant: { birthDate: '1990-05-20', monthlyIncomeFen: yuan(20_000), otherMonthlyDebtFen: 0 },
  deposits: [xuzhouAccount],
  regionalLoanIndex: { activeLoans: 0, repaidLoans: 0 },
  declaredHomeOrder: 'first',
  housePriceFen: yuan(1_000_000),
  requestedFen: yuan(400_000),
  termMonths: 360,
  method: 'equal-installment',
};

const codes = (reasons: readonly { code: LoanReasonCode }[]): LoanReasonCode[] => reasons.map((r) => r.code);

describe('ageInYearsOn', () => {
  it('counts completed years, going up on the birthday', () => {
    expect(ageInYearsOn('1990-05-20', '2025-05-19')).toBe(34);
    expect(ageInYearsOn('1990-05-20', '2025-05-20')).toBe(35);
    expect(ageInYearsOn('1990-05-20', '2025-12-31')).toBe(35);
    expect(ageInYearsOn('1990-05-20', '1990-05-20')).toBe(0);
  });

  it('someone born on 29 February is a year older on 1 March of a common year', () => {
    expect(ageInYearsOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageInYearsOn('2000-02-29', '2025-03-01')).toBe(25);
    expect(ageInYearsOn('2000-02-29', '2028-02-29')).toBe(28);
  });

  it('refuses a date before the birth date', () => {
    expect(() => ageInYearsOn('1990-05-20', '1990-05-19')).toThrow(/before birthDate/);
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2055-08')).toBe('2055-08-31');
  });
});

describe('rateForInstalment (repricing on the next 1 January)', () => {
  const loan = { contractDate: '2025-03-01', homeOrder: 'first' as const, termMonths: 360 };

  it('a loan contracted 2025-03-01 carries the 2024-05-18 rate through 2025 and reprices on 2026-01-01', () => {
    for (const dueMonth of ['2025-03', '2025-04', '2025-06', '2025-12']) {
      expect(rateForInstalment({ ...loan, dueMonth })).toMatchObject({
        annualRateHundredthsBp: 28500,
        ruleVersion: 'loan-rate-2024-05-18',
        rateDate: '2025-03-01',
      });
    }
    for (const dueMonth of ['2026-01', '2026-07', '2040-12']) {
      expect(rateForInstalment({ ...loan, dueMonth })).toMatchObject({
        annualRateHundredthsBp: 26000,
        ruleVersion: 'loan-rate-2025-05-08',
        rateDate: `${dueMonth.slice(0, 4)}-01-01`,
      });
    }
  });

  it('keeps its contract-band and home order: a 5-year second-home loan from 2022-11-01', () => {
    const second = { contractDate: '2022-11-01', homeOrder: 'second' as const, termMonths: 60 };
    expect(rateForInstalment({ ...second, dueMonth: '2023-06' }).annualRateHundredthsBp).toBe(30250);
    // The 2024-05-18 cut reaches the running loan only on 2025-01-01.
    expect(rateForInstalment({ ...second, dueMonth: '2024-12' }).annualRateHundredthsBp).toBe(30250);
    expect(rateForInstalment({ ...second, dueMonth: '2025-01' }).annualRateHundredthsBp).toBe(27750);
    expect(rateForInstalment({ ...second, dueMonth: '2026-01' }).annualRateHundredthsBp).toBe(25250);
  });

  it('a loan contracted after a change takes the new rate at once', () => {
    expect(rateForInstalment({ ...loan, contractDate: '2025-05-08', dueMonth: '2025-06' })).toMatchObject({
      annualRateHundredthsBp: 26000,
      rateDate: '2025-05-08',
    });
    expect(() => rateForInstalment({ ...loan, dueMonth: '2025-02' })).toThrow(/before the contract month/);
  });
});

describe('decideLoan: approval and the four bounds', () => {
  it('approves the requested amount when every bound is above it', () => {
    const decision = decideLoan(application);
    expect(decision).toMatchObject({
      outcome: 'approved',
      approvedFen: yuan(400_000),
      homeOrder: 'first',
      rate: { annualRateHundredthsBp: 26000, ruleVersion: 'loan-rate-2025-05-08' },
      ruleVersion: '320300-2025-07-01',
      depositAccountCity: '320300',
      reasons: [],
    });
    expect(decision.limit).toMatchObject({
      capFen: yuan(500_000),
      balanceBoundFen: yuan(900_000),
      priceBoundFen: yuan(800_000),
      limitFen: yuan(500_000),
      bindingBound: 'cap',
      availableMonthlyPaymentFen: yuan(10_000),
    });
    expect(decision.limit.capacityBoundFen).toBe(
      maxPrincipalForPayment({
        monthlyPaymentFen: yuan(10_000),
        annualRateHundredthsBp: 26000,
        termMonths: 360,
        method: 'equal-installment',
      }),
    );
    // First instalment due the month after the contract: 400,000 yuan at 2.6 % over 30 years = 1,601.36.
    expect(decision.schedulePreview).toMatchObject({ number: 1, dueMonth: '2025-09', paymentFen: 160_136 });
    expect(decision.proposedFen).toBeUndefined();
  });

  it('cap binds: asks 600,000, gets the city cap of 500,000 with the reason', () => {
    const decision = decideLoan({ ...application, requestedFen: yuan(600_000) });
    expect(decision.outcome).toBe('approved');
    expect(decision.approvedFen).toBe(yuan(500_000));
    expect(decision.limit.bindingBound).toBe('cap');
    expect(codes(decision.reasons)).toEqual(['AMOUNT_BELOW_REQUEST']);
    expect(decision.reasons[0]?.message['zh-CN']).toContain('最高额度为 500,000.00 元');
    expect(decision.reasons[0]?.message.en).toContain('500,000.00 yuan');
  });

  it('couple cap: both spouses depositing lifts the cap to 800,000', () => {
    const decision = decideLoan({ ...application, coApplicantDeposits: true, requestedFen: yuan(700_000) });
    expect(decision.limit.capFen).toBe(yuan(800_000));
    expect(decision).toMatchObject({ outcome: 'approved', approvedFen: yuan(700_000), reasons: [] });
    // Couple cap and price bound tie at 800,000: the cap is named first.
    expect(decision.limit).toMatchObject({ limitFen: yuan(800_000), bindingBound: 'cap' });
  });

  it('balance binds: 20,000 yuan across normal accounts × 15 = 300,000 (sealed accounts do not count)', () => {
    const decision = decideLoan({
      ...application,
      deposits: [
        { ...xuzhouAccount, balanceFen: yuan(12_000) },
        { ...xuzhouAccount, city: '371300', balanceFen: yuan(8_000), continuousDepositMonths: 50 },
        { ...xuzhouAccount, city: '370800', accountStatus: 'sealed', balanceFen: yuan(100_000) },
      ],
    });
    expect(decision.limit).toMatchObject({ balanceBoundFen: yuan(300_000), bindingBound: 'balance' });
    expect(decision).toMatchObject({ outcome: 'approved', approvedFen: yuan(300_000) });
    expect(decision.reasons[0]?.message['zh-CN']).toContain('余额 20,000.00 元的 15 倍');
  });

  it('capacity binds: 4,000 yuan income × 50 % − 500 other debt = 1,500 a month', () => {
    const decision = decideLoan({
      ...application,
      applicant: { ...application.applicant, monthlyIncomeFen: yuan(4_000), otherMonthlyDebtFen: yuan(500) },
    });
    // maxPrincipalForPayment(1,500.00, 2.6 %, 360, equal installment) = 374,683.03 yuan, limit to the yuan.
    expect(decision.limit).toMatchObject({
      availableMonthlyPaymentFen: yuan(1_500),
      capacityBoundFen: 37_468_303,
      limitFen: 37_468_300,
      bindingBound: 'capacity',
    });
    expect(decision.approvedFen).toBe(37_468_300);
    expect(decision.schedulePreview?.paymentFen).toBeLessThanOrEqual(yuan(1_500));
    expect(decision.reasons[0]?.message['zh-CN']).toContain('每月最多可还 1,500.00 元');
  });

  it('capacity for equal principal counts the first (largest) instalment', () => {
    const decision = decideLoan({
      ...application,
      method: 'equal-principal',
      applicant: { ...application.applicant, monthlyIncomeFen: yuan(4_000), otherMonthlyDebtFen: yuan(500) },
    });
    expect(decision.limit).toMatchObject({ capacityBoundFen: 30_337_153, bindingBound: 'capacity' });
    expect(decision.approvedFen).toBe(30_337_100);
    expect(decision.schedulePreview?.paymentFen).toBeLessThanOrEqual(yuan(1_500));
  });

  it('price binds: a 400,000 yuan first home lends at most 80 %', () => {
    const decision = decideLoan({ ...application, housePriceFen: yuan(400_000) });
    expect(decision.limit).toMatchObject({ priceBoundFen: yuan(320_000), bindingBound: 'price' });
    expect(decision.approvedFen).toBe(yuan(320_000));
    expect(decision.reasons[0]?.message['zh-CN']).toContain('首付款不低于房价的 20%');
  });

  it('a repaid HPF loan in the regional index makes it a second home: 30 % down, second-home rate', () => {
    const decision = decideLoan({
      ...application,
      housePriceFen: yuan(400_000),
      regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 },
    });
    expect(decision.homeOrder).toBe('second');
    expect(decision.rate).toEqual({ annualRateHundredthsBp: 30750, ruleVersion: 'loan-rate-2025-05-08' });
    expect(decision.limit).toMatchObject({ priceBoundFen: yuan(280_000), bindingBound: 'price' });
    expect(decision.approvedFen).toBe(yuan(280_000));
    expect(codes(decision.reasons)).toEqual(['TREATED_AS_SECOND_HOME', 'AMOUNT_BELOW_REQUEST']);
    // Declared second with a clean index: second, without the note.
    const declared = decideLoan({ ...application, declaredHomeOrder: 'second' });
    expect(declared.homeOrder).toBe('second');
    expect(codes(declared.reasons)).toEqual([]);
  });

  it('takes the rate in force on the contract date', () => {
    const decision = decideLoan({
      ...application,
      params: parametersInForce('320300', '2025-03-01'),
      contractDate: '2025-03-01',
    });
    expect(decision.rate).toEqual({ annualRateHundredthsBp: 28500, ruleVersion: 'loan-rate-2024-05-18' });
    const short = decideLoan({ ...application, termMonths: 60 });
    expect(short.rate.annualRateHundredthsBp).toBe(21000);
  });

  it('rounds the limit down to the whole yuan and never lends past a bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: yuan(1_000), max: yuan(60_000) }),
        fc.integer({ min: 0, max: yuan(5_000) }),
        fc.integer({ min: 0, max: yuan(200_000) }),
        fc.integer({ min: yuan(100_000), max: yuan(3_000_000) }),
        fc.integer({ min: yuan(10_000), max: yuan(1_000_000) }),
        fc.integer({ min: 12, max: 360 }),
        fc.constantFrom('equal-installment' as const, 'equal-principal' as const),
        (income, debt, balance, price, requested, termMonths, method) => {
          const decision = decideLoan({
            ...application,
            applicant: { ...application.applicant, monthlyIncomeFen: income, otherMonthlyDebtFen: debt },
            deposits: [{ ...xuzhouAccount, balanceFen: balance }],
            housePriceFen: price,
            requestedFen: requested,
            termMonths,
            method,
          });
          const { limit } = decision;
          expect(limit.limitFen % 100).toBe(0);
          expect(limit.limitFen).toBeLessThanOrEqual(
            Math.min(limit.capFen, limit.balanceBoundFen, limit.capacityBoundFen, limit.priceBoundFen),
          );
          if (decision.outcome === 'approved') {
            const approved = decision.approvedFen ?? 0;
            expect(approved).toBe(Math.min(requested, limit.limitFen));
            const first = repaymentSchedule({
              principalFen: approved,
              annualRateHundredthsBp: decision.rate.annualRateHundredthsBp,
              termMonths,
              method,
              firstDueMonth: '2025-09',
            }).monthlyPaymentFen;
            expect(first).toBeLessThanOrEqual(limit.availableMonthlyPaymentFen);
            expect(codes(decision.reasons).includes('AMOUNT_BELOW_REQUEST')).toBe(approved < requested);
          } else {
            expect(decision.outcome).toBe('rejected');
            expect(limit.limitFen).toBe(0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('decideLoan: eligibility', () => {
  const rejectedWith = (input: LoanApplication): LoanReasonCode[] => {
    const decision = decideLoan(input);
    expect(decision.outcome).toBe('rejected');
    expect(decision.approvedFen).toBeUndefined();
    expect(decision.schedulePreview).toBeUndefined();
    return codes(decision.reasons);
  };

  it('no normal account anywhere (sealed, closed or none)', () => {
    const decision = decideLoan({
      ...application,
      deposits: [
        { ...xuzhouAccount, accountStatus: 'sealed' },
        { ...xuzhouAccount, city: '371300', accountStatus: 'closed' },
      ],
    });
    expect(decision.outcome).toBe('rejected');
    expect(codes(decision.reasons)).toContain('NO_NORMAL_ACCOUNT');
    expect(decision.depositAccountCity).toBeUndefined();
    expect(rejectedWith({ ...application, deposits: [] })).toContain('NO_NORMAL_ACCOUNT');
  });

  it('fewer continuous months than the city requires, in plain words', () => {
    const decision = decideLoan({
      ...application,
      deposits: [{ ...xuzhouAccount, continuousDepositMonths: 5 }],
    });
    expect(decision.outcome).toBe('rejected');
    expect(decision.reasons).toEqual([
      {
        code: 'CONTINUOUS_DEPOSIT_TOO_SHORT',
        message: {
          'zh-CN': '您的公积金账户连续足额缴存不足 6 个月（目前 5 个月）',
          en: 'Your HPF account has fewer than 6 months of continuous full deposits (5 so far)',
        },
      },
    ]);
    // The limit is still stated, so the citizen sees what they could borrow later.
    expect(decision.limit.limitFen).toBe(yuan(500_000));
    expect(
      decideLoan({ ...application, deposits: [{ ...xuzhouAccount, continuousDepositMonths: 6 }] }).outcome,
    ).toBe('approved');
  });

  it("counts the lending city's own normal account first, else the longest-running normal account", () => {
    const linyi: CentreDepositFacts = { ...xuzhouAccount, city: '371300', continuousDepositMonths: 48 };
    const own = decideLoan({
      ...application,
      deposits: [linyi, { ...xuzhouAccount, continuousDepositMonths: 4 }],
    });
    expect(own.depositAccountCity).toBe('320300');
    expect(codes(own.reasons)).toEqual(['CONTINUOUS_DEPOSIT_TOO_SHORT']);

    const elsewhere = decideLoan({
      ...application,
      deposits: [
        { ...xuzhouAccount, accountStatus: 'sealed' },
        { ...linyi, city: '371700', continuousDepositMonths: 12 },
        linyi,
      ],
    });
    expect(elsewhere).toMatchObject({ outcome: 'approved', depositAccountCity: '371300' });
  });

  it('an HPF loan still outstanding: in the regional index or at any centre', () => {
    expect(rejectedWith({ ...application, regionalLoanIndex: { activeLoans: 1, repaidLoans: 0 } })).toContain(
      'OUTSTANDING_HPF_LOAN',
    );
    const atCentre = decideLoan({
      ...application,
      deposits: [xuzhouAccount, { ...xuzhouAccount, city: '341300', outstandingHpfLoans: 1 }],
    });
    expect(atCentre.outcome).toBe('rejected');
    expect(atCentre.homeOrder).toBe('second');
    expect(codes(atCentre.reasons)).toEqual(['OUTSTANDING_HPF_LOAN', 'TREATED_AS_SECOND_HOME']);
  });

  it('barred from loans by a joint-enforcement record of any centre, naming the record and the recording centre', () => {
    const decision = decideLoan({
      ...application,
      restrictions: { applicant: [loanBar('341300', '2025-08-02')] },
    });
    expect(decision.outcome).toBe('rejected');
    expect(codes(decision.reasons)).toEqual(['ON_VIOLATION_LIST']);
    expect(decision.reasons[0]?.message['zh-CN']).toContain(
      '宿州住房公积金中心的记录 341300-E-0000000000000001',
    );
    expect(decision.reasons[0]?.message['zh-CN']).toContain('限制至 2025-08-02 前');
    expect(decision.reasons[0]?.message.en).toContain('Suzhou (Anhui) HPF centre');
    // A bar that ended the day before the contract, or a record that bars withdrawals only: no refusal.
    for (const restriction of [
      loanBar('341300', '2025-08-01'),
      { ...loanBar('341300', '2030-01-01'), until: { withdrawals: '2030-01-01' } },
    ]) {
      expect(decideLoan({ ...application, restrictions: { applicant: [restriction] } }).outcome).toBe(
        'approved',
      );
    }
    // A depositing centre's own flag is informative only: the regional records decide.
    expect(
      decideLoan({ ...application, deposits: [{ ...xuzhouAccount, onViolationList: true }] }).outcome,
    ).toBe('approved');
  });

  it('a term over 30 years', () => {
    const decision = decideLoan({
      ...application,
      termMonths: 372,
      applicant: { ...application.applicant, birthDate: '1995-01-01' },
    });
    expect(codes(decision.reasons)).toEqual(['TERM_TOO_LONG']);
    expect(decision.outcome).toBe('rejected');
    expect(decision.reasons[0]?.message['zh-CN']).toBe('贷款期限最长 360 个月（30 年），您申请的是 372 个月');
    expect(() => decideLoan({ ...application, termMonths: 0 })).toThrow(/termMonths/);
    expect(() => decideLoan({ ...application, termMonths: 601 })).toThrow(/termMonths/);
  });

  it('age at maturity: completed years on the last day of the last due month, at most 65 in Xuzhou', () => {
    // Contract 2025-08-01, 360 months: instalments 2025-09 to 2055-08; age taken on 2055-08-31.
    const bornOn = (birthDate: string) =>
      decideLoan({ ...application, applicant: { ...application.applicant, birthDate } });
    expect(bornOn('1990-09-01').outcome).toBe('approved'); // 64
    expect(bornOn('1990-08-31').outcome).toBe('approved'); // 65
    expect(bornOn('1989-09-01').outcome).toBe('approved'); // 65
    const tooOld = bornOn('1989-08-31'); // 66
    expect(tooOld.outcome).toBe('rejected');
    expect(tooOld.reasons).toEqual([
      {
        code: 'AGE_AT_MATURITY_TOO_HIGH',
        message: {
          'zh-CN': '贷款到期时（2055年8月）您将年满 66 周岁，超过 65 周岁的上限，请缩短贷款期限',
          en: 'When the loan ends (2055-08) you would be 66, above the limit of 65; please choose a shorter term',
        },
      },
    ]);
    // A shorter term fits.
    expect(
      decideLoan({
        ...application,
        termMonths: 348,
        applicant: { ...application.applicant, birthDate: '1989-08-31' },
      }).outcome,
    ).toBe('approved');
  });

  it('no loan available when other debts take the whole income share', () => {
    const decision = decideLoan({
      ...application,
      applicant: {
        ...application.applicant,
        monthlyIncomeFen: yuan(6_000),
        otherMonthlyDebtFen: yuan(3_000),
      },
    });
    expect(decision.outcome).toBe('rejected');
    expect(decision.limit).toMatchObject({ availableMonthlyPaymentFen: 0, capacityBoundFen: 0, limitFen: 0 });
    expect(codes(decision.reasons)).toEqual(['NO_LOAN_AVAILABLE']);
    expect(decision.reasons[0]?.message['zh-CN']).toContain('可贷额度为 0');
  });

  it('states every failed rule at once', () => {
    const decision = decideLoan({
      ...application,
      termMonths: 372,
      deposits: [{ ...xuzhouAccount, continuousDepositMonths: 2, outstandingHpfLoans: 1 }],
      restrictions: { applicant: [loanBar('371300', '2031-01-01')] },
    });
    expect(codes(decision.reasons)).toEqual([
      'TERM_TOO_LONG',
      'CONTINUOUS_DEPOSIT_TOO_SHORT',
      'OUTSTANDING_HPF_LOAN',
      'ON_VIOLATION_LIST',
      'AGE_AT_MATURITY_TOO_HIGH',
      'TREATED_AS_SECOND_HOME',
    ]);
  });
});

describe('decideLoan: third home and third HPF loan (建金〔2010〕179号, DESIGN §2b)', () => {
  it('refuses a declared third home, stating the limit on second-home terms', () => {
    const decision = decideLoan({ ...application, declaredHomeOrder: 'third' });
    expect(decision.outcome).toBe('rejected');
    expect(decision.homeOrder).toBe('second');
    expect(decision.reasons).toEqual([
      {
        code: 'THIRD_HOME',
        message: {
          'zh-CN': '您申报家庭已有两套及以上住房，住房公积金贷款不能用于购买第三套及以上住房',
          en: 'You declared that your household already owns two or more homes; an HPF loan cannot be used to buy a third or further home',
        },
      },
    ]);
    expect(decision.limit.priceBoundFen).toBe(yuan(700_000));
  });

  it('two repaid HPF loans make this a third loan: refused by the regional default', () => {
    expect(XUZHOU.thirdHpfLoan).toBe('refused');
    const decision = decideLoan({ ...application, regionalLoanIndex: { activeLoans: 0, repaidLoans: 2 } });
    expect(decision.outcome).toBe('rejected');
    expect(decision.homeOrder).toBe('second');
    expect(codes(decision.reasons)).toEqual(['THIRD_LOAN', 'TREATED_AS_SECOND_HOME']);
    expect(decision.reasons[0]?.message).toEqual({
      'zh-CN': '区域贷款信息显示您已使用过 2 次住房公积金贷款，江苏徐州不受理第三次住房公积金贷款申请',
      en: 'The regional loan records show you have used an HPF loan 2 times; Xuzhou (Jiangsu) does not grant a third HPF loan',
    });
  });

  it('counts a held loan once, whether the index, a centre or both report it', () => {
    const held = { ...xuzhouAccount, city: '341300' as const, outstandingHpfLoans: 1 };
    // Held in the index and reported by its centre: one loan, not two.
    const once = decideLoan({
      ...application,
      deposits: [xuzhouAccount, held],
      regionalLoanIndex: { activeLoans: 1, repaidLoans: 0 },
    });
    expect(codes(once.reasons)).toEqual(['OUTSTANDING_HPF_LOAN', 'TREATED_AS_SECOND_HOME']);
    // A held loan and a repaid one: this would be the third.
    expect(
      codes(decideLoan({ ...application, regionalLoanIndex: { activeLoans: 1, repaidLoans: 1 } }).reasons),
    ).toEqual(['OUTSTANDING_HPF_LOAN', 'THIRD_LOAN', 'TREATED_AS_SECOND_HOME']);
    // A loan only its centre reports, and a repaid one in the index.
    expect(
      codes(
        decideLoan({
          ...application,
          deposits: [xuzhouAccount, held],
          regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 },
        }).reasons,
      ),
    ).toEqual(['OUTSTANDING_HPF_LOAN', 'THIRD_LOAN', 'TREATED_AS_SECOND_HOME']);
  });

  it('a parameter version allowing a third loan decides it as a second home', () => {
    const allowing = { ...XUZHOU, thirdHpfLoan: 'allowed' as const };
    const secondLoan = { ...application, housePriceFen: yuan(400_000) };
    const third = decideLoan({
      ...secondLoan,
      params: allowing,
      regionalLoanIndex: { activeLoans: 0, repaidLoans: 2 },
    });
    expect(third).toMatchObject({ outcome: 'approved', homeOrder: 'second', approvedFen: yuan(280_000) });
    expect(third).toEqual(
      decideLoan({ ...secondLoan, regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 } }),
    );
  });

  it('one repaid loan is still a second home, approved as before', () => {
    const decision = decideLoan({ ...application, regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 } });
    expect(decision).toMatchObject({ outcome: 'approved', homeOrder: 'second', approvedFen: yuan(400_000) });
    expect(codes(decision.reasons)).toEqual(['TREATED_AS_SECOND_HOME']);
  });
});

describe('loanRequestErrors (the 400 at the API edge)', () => {
  const request: LoanRequestInput = {
    housePriceFen: application.housePriceFen,
    requestedFen: application.requestedFen,
    termMonths: application.termMonths,
    declaredHomeOrder: application.declaredHomeOrder,
    monthlyIncomeFen: application.applicant.monthlyIncomeFen,
    otherMonthlyDebtFen: application.applicant.otherMonthlyDebtFen,
  };
  const today = application.contractDate;
  const applicant = application.applicant;
  const errorsOf = (change: Partial<LoanRequestInput>, birthDate = applicant.birthDate) =>
    loanRequestErrors({ ...request, ...change }, { birthDate }, today).map((e) => [e.field, e.code]);

  /** The application the request and birth date make, as the decision receives it. */
  const asApplication = (change: Partial<LoanRequestInput>, birthDate = applicant.birthDate) => {
    const r = { ...request, ...change };
    return {
      ...application,
      applicant: {
        birthDate,
        monthlyIncomeFen: r.monthlyIncomeFen ?? 0,
        otherMonthlyDebtFen: r.otherMonthlyDebtFen,
      },
      housePriceFen: r.housePriceFen as number,
      requestedFen: r.requestedFen,
      termMonths: r.termMonths,
      declaredHomeOrder: r.declaredHomeOrder as DeclaredHomeOrder,
    };
  };

  it('a valid request has none, a third home included (that is a decision)', () => {
    expect(loanRequestErrors(request, applicant, today)).toEqual([]);
    expect(errorsOf({ declaredHomeOrder: 'third' })).toEqual([]);
    // Refusals the rule states as reasons stay decisions.
    expect(errorsOf({ termMonths: 480, monthlyIncomeFen: 0 })).toEqual([]);
  });

  it('a declared house price is optional (the register’s is the one decided on), checked when given', () => {
    const { housePriceFen: _declared, ...undeclared } = request;
    expect(loanRequestErrors(undeclared, applicant, today)).toEqual([]);
    expect(errorsOf({ housePriceFen: 12.5 })).toEqual([['housePriceFen', 'AMOUNT_INVALID']]);
  });

  it('flags a zero house price, in words a citizen understands', () => {
    expect(loanRequestErrors({ ...request, housePriceFen: 0 }, applicant, today)).toEqual([
      {
        field: 'housePriceFen',
        code: 'HOUSE_PRICE_ZERO',
        message: { 'zh-CN': '房屋总价必须大于 0', en: 'The house price must be more than 0' },
      },
    ]);
    expect(errorsOf({ housePriceFen: -100 })).toEqual([['housePriceFen', 'HOUSE_PRICE_ZERO']]);
  });

  it('flags every figure decideLoan throws on', () => {
    const cases: [Partial<LoanRequestInput>, string | undefined, [string, string]][] = [
      [{ housePriceFen: 0 }, undefined, ['housePriceFen', 'HOUSE_PRICE_ZERO']],
      [{ housePriceFen: 12.5 }, undefined, ['housePriceFen', 'AMOUNT_INVALID']],
      [{ requestedFen: 0 }, undefined, ['requestedFen', 'REQUESTED_ZERO']],
      [{ requestedFen: Number.NaN }, undefined, ['requestedFen', 'AMOUNT_INVALID']],
      [{ termMonths: 0 }, undefined, ['termMonths', 'TERM_INVALID']],
      [{ termMonths: 601 }, undefined, ['termMonths', 'TERM_INVALID']],
      [{ termMonths: 120.5 }, undefined, ['termMonths', 'TERM_INVALID']],
      [{ declaredHomeOrder: 'fourth' }, undefined, ['declaredHomeOrder', 'HOME_ORDER_INVALID']],
      [{ monthlyIncomeFen: -1 }, undefined, ['monthlyIncomeFen', 'AMOUNT_INVALID']],
      [{ monthlyIncomeFen: Number.MAX_SAFE_INTEGER }, undefined, ['monthlyIncomeFen', 'INCOME_TOO_HIGH']],
      [{ otherMonthlyDebtFen: -1 }, undefined, ['otherMonthlyDebtFen', 'AMOUNT_INVALID']],
      [{}, '2025-08-02', ['birthDate', 'BIRTH_DATE_INVALID']],
      [{}, '1990-02-30', ['birthDate', 'BIRTH_DATE_INVALID']],
    ];
    for (const [change, birthDate, error] of cases) {
      expect(errorsOf(change, birthDate)).toEqual([error]);
      expect(() => decideLoan(asApplication(change, birthDate))).toThrow(RangeError);
    }
  });

  it('flags a request above the house price, which the rule would only cut to the price bound', () => {
    const change = { housePriceFen: yuan(300_000), requestedFen: yuan(300_001) };
    expect(errorsOf(change)).toEqual([['requestedFen', 'REQUESTED_ABOVE_PRICE']]);
    expect(loanRequestErrors({ ...request, ...change }, applicant, today)[0]?.message['zh-CN']).toBe(
      '申请贷款金额 300,001.00 元不能高于房屋总价 300,000.00 元',
    );
    expect(errorsOf({ housePriceFen: yuan(300_000), requestedFen: yuan(300_000) })).toEqual([]);
  });

  it('lists every error at once', () => {
    expect(errorsOf({ housePriceFen: 0, requestedFen: 0, termMonths: 0 }, 'never')).toEqual([
      ['housePriceFen', 'HOUSE_PRICE_ZERO'],
      ['requestedFen', 'REQUESTED_ZERO'],
      ['termMonths', 'TERM_INVALID'],
      ['birthDate', 'BIRTH_DATE_INVALID'],
    ]);
  });

  it('a request it passes is decided, never thrown on (property)', () => {
    // Mostly plausible figures, so many requests pass, and every kind of nonsense besides.
    const amount = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: yuan(3_000_000) }), weight: 8 },
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(-1, 0, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
      fc.double(),
    );
    // Either side of the largest income the capacity search can carry.
    const income = fc.oneof(
      { arbitrary: amount, weight: 4 },
      fc.constantFrom(15_011_998_757_900, 15_011_998_757_901),
    );
    const term = fc.oneof(
      { arbitrary: fc.integer({ min: -2, max: 700 }), weight: 8 },
      fc.constantFrom(0.5, Number.NaN),
    );
    const birthDate = fc.oneof(
      {
        arbitrary: fc
          .date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
        weight: 4,
      },
      fc.constantFrom(today, '2025-08-02', '2000-02-29', '1990-02-30', '1990-5-20', ''),
    );
    let decided = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.record({
          housePriceFen: amount,
          requestedFen: amount,
          termMonths: term,
          declaredHomeOrder: fc.constantFrom('first', 'second', 'third', 'fourth', ''),
          monthlyIncomeFen: income,
          otherMonthlyDebtFen: amount,
        }),
        birthDate,
        fc.constantFrom('equal-installment' as const, 'equal-principal' as const),
        fc.record({ activeLoans: fc.nat(3), repaidLoans: fc.nat(3) }),
        fc.constantFrom('refused' as const, 'allowed' as const),
        (r, birth, method, regionalLoanIndex, thirdHpfLoan) => {
          runs++;
          if (loanRequestErrors(r, { birthDate: birth }, today).length > 0) return;
          decided++;
          decideLoan({
            ...asApplication(r, birth),
            method,
            regionalLoanIndex,
            params: { ...XUZHOU, thirdHpfLoan },
          });
        },
      ),
      { numRuns: 2_000 },
    );
    // Not vacuous: about 5.7 % of the generated requests pass (≈ 115 of 2,000, σ ≈ 10); 40 is
    // seven σ below that, so the check fails only if the generator stops producing valid requests.
    expect(runs).toBe(2_000);
    expect(decided).toBeGreaterThan(40);
  });
});

describe('decideLoan: review thresholds', () => {
  it('refers a large request to staff, with the proposed amount', () => {
    const decision = decideLoan({
      ...application,
      requestedFen: yuan(600_000),
      reviewThresholds: { requestedAboveFen: yuan(450_000) },
    });
    expect(decision).toMatchObject({ outcome: 'review', proposedFen: yuan(500_000) });
    expect(decision.approvedFen).toBeUndefined();
    expect(codes(decision.reasons)).toEqual(['REVIEW_AMOUNT_ABOVE_THRESHOLD', 'AMOUNT_BELOW_REQUEST']);
    expect(decision.schedulePreview).toBeDefined();
    expect(
      decideLoan({ ...application, reviewThresholds: { requestedAboveFen: yuan(400_000) } }).outcome,
    ).toBe('approved');
  });

  it('refers an applicant with facts from more centres than the threshold', () => {
    const deposits: CentreDepositFacts[] = [
      xuzhouAccount,
      { ...xuzhouAccount, city: '371300' },
      { ...xuzhouAccount, city: '411400', accountStatus: 'sealed' },
    ];
    const decision = decideLoan({ ...application, deposits, reviewThresholds: { depositCentresAbove: 2 } });
    expect(decision.outcome).toBe('review');
    expect(codes(decision.reasons)).toEqual(['REVIEW_MANY_CENTRES']);
    expect(
      decideLoan({ ...application, deposits, reviewThresholds: { depositCentresAbove: 3 } }).outcome,
    ).toBe('approved');
  });

  it('a rejection is not softened into a review', () => {
    const decision = decideLoan({
      ...application,
      deposits: [{ ...xuzhouAccount, continuousDepositMonths: 1 }],
      reviewThresholds: { requestedAboveFen: 0 },
    });
    expect(decision.outcome).toBe('rejected');
  });
});

describe('decideLoan: malformed input', () => {
  it('refuses parameters not yet in force, duplicate centres and bad amounts', () => {
    expect(() => decideLoan({ ...application, params: parametersInForce('320300', '2026-07-01') })).toThrow(
      /take effect after the contract date/,
    );
    expect(() => decideLoan({ ...application, deposits: [xuzhouAccount, xuzhouAccount] })).toThrow(
      /appears twice/,
    );
    expect(() => decideLoan({ ...application, requestedFen: 0 })).toThrow(/requestedFen/);
    expect(() => decideLoan({ ...application, housePriceFen: -1 })).toThrow(/housePriceFen/);
    expect(() => decideLoan({ ...application, firstDueMonth: '2025-08' })).toThrow(/firstDueMonth/);
  });
});

describe('countedMonthlyIncome: income is a fetched fact', () => {
  const base = (
    city: CityCode,
    accountStatus: CentreDepositFacts['accountStatus'],
    monthlyDepositBaseFen: number,
  ) => ({
    ...xuzhouAccount,
    city,
    accountStatus,
    monthlyDepositBaseFen,
  });

  it('counts the deposit bases of the normal accounts only', () => {
    const deposits = [
      base('320300', 'normal', yuan(6_000)),
      base('371300', 'normal', yuan(2_500)),
      base('320700', 'sealed', yuan(9_000)),
    ];
    expect(countedMonthlyIncome(deposits, undefined)).toEqual({ monthlyIncomeFen: yuan(8_500) });
    // A declared income at or below what is fetched changes nothing.
    expect(countedMonthlyIncome(deposits, yuan(8_500))).toEqual({ monthlyIncomeFen: yuan(8_500) });
  });

  it('a declared income above the bases is not counted: it asks for staff review, in words', () => {
    const counted = countedMonthlyIncome([base('320300', 'normal', yuan(6_000))], yuan(20_000));
    expect(counted.monthlyIncomeFen).toBe(yuan(6_000));
    expect(counted.review?.code).toBe('REVIEW_DECLARED_INCOME');
    expect(counted.review?.message['zh-CN']).toContain('20,000');
  });
});
