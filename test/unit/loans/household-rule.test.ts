/** The household in the loan rule (DESIGN.md §2b "Household, not person"). */
import { describe, expect, it } from '@jest/globals';
import {
  type CentreDepositFacts,
  decideLoan,
  householdRequestErrors,
  type LoanApplication,
  type LoanReasonCode,
  type SpouseFacts,
} from '../../../shared/loans/decision-rule.js';
import { parametersInForce } from '../../../shared/rules/centre-parameters.js';
import { loanBar } from '../enforcement/fixtures.js';

const yuan = (amount: number): number => amount * 100;
const XUZHOU = parametersInForce('320300', '2025-08-01');

const account = (overrides: Partial<CentreDepositFacts> = {}): CentreDepositFacts => ({
  city: '320300',
  accountStatus: 'normal',
  continuousDepositMonths: 36,
  balanceFen: yuan(20_000),
  monthlyDepositFen: yuan(2_000),
  outstandingHpfLoans: 0,
  onViolationList: false,
  ...overrides,
});

/** 20,000 yuan × 15 = 300,000 binds (cap 500,000, price 800,000, capacity far above). */
const application: LoanApplication = {
  params: XUZHOU,
  contractDate: '2025-08-01',
  applicant: { birthDate: '1990-05-20', monthlyIncomeFen: yuan(20_000), otherMonthlyDebtFen: 0 },
  deposits: [account()],
  regionalLoanIndex: { activeLoans: 0, repaidLoans: 0 },
  declaredHomeOrder: 'first',
  housePriceFen: yuan(1_000_000),
  requestedFen: yuan(400_000),
  termMonths: 360,
  method: 'equal-installment',
};

const noLoans: SpouseFacts = {
  outstandingHpfLoans: 0,
  regionalLoanIndex: { activeLoans: 0, repaidLoans: 0 },
};
const withSpouse = (spouse: Partial<SpouseFacts>): LoanApplication => ({
  ...application,
  spouse: { ...noLoans, ...spouse },
});
const codes = (reasons: readonly { code: LoanReasonCode }[]): LoanReasonCode[] => reasons.map((r) => r.code);
const CITY_NAMES = /徐州|连云港|宿迁|宿州|淮北|商丘|枣庄|济宁|临沂|菏泽|Xuzhou|Zaozhuang|Linyi/;

describe('the spouse’s HPF loans', () => {
  it('a spouse who does not co-apply and has no loan changes nothing', () => {
    const alone = decideLoan(application);
    const married = decideLoan(withSpouse({}));
    expect(married).toEqual(alone);
    expect(married.ruleVersion).toBe(XUZHOU.ruleVersion);
  });

  it('a loan the spouse holds at any centre refuses, saying it is the spouse’s and naming no city', () => {
    const decision = decideLoan(withSpouse({ outstandingHpfLoans: 1 }));
    expect(decision.outcome).toBe('rejected');
    expect(codes(decision.reasons)).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
    expect(codes(decision.reasons)).not.toContain('OUTSTANDING_HPF_LOAN');
    const reason = decision.reasons.find((r) => r.code === 'SPOUSE_OUTSTANDING_HPF_LOAN');
    expect(reason?.message['zh-CN']).toContain('配偶');
    expect(reason?.message.en).toContain('spouse');
    expect(JSON.stringify(reason)).not.toMatch(CITY_NAMES);
  });

  it('a loan the spouse holds in the regional index refuses too', () => {
    const decision = decideLoan(withSpouse({ regionalLoanIndex: { activeLoans: 1, repaidLoans: 0 } }));
    expect(codes(decision.reasons)).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
  });

  it('a loan the spouse repaid makes it a second home, in words that say whose it was', () => {
    const decision = decideLoan(withSpouse({ regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 } }));
    expect(decision.outcome).toBe('approved');
    expect(decision.homeOrder).toBe('second');
    const note = decision.reasons.find((r) => r.code === 'TREATED_AS_SECOND_HOME');
    expect(note?.message['zh-CN']).toContain('配偶');
  });

  it('the household’s loans count for the third-loan parameter: one each is a third loan', () => {
    const decision = decideLoan({
      ...withSpouse({ regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 } }),
      regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 },
    });
    expect(XUZHOU.thirdHpfLoan).toBe('refused');
    expect(decision.outcome).toBe('rejected');
    const reason = decision.reasons.find((r) => r.code === 'THIRD_LOAN');
    expect(reason?.message['zh-CN']).toContain('您和配偶已使用过 2 次');
    // Without the spouse, the applicant's one repaid loan is a second home, approved.
    expect(
      decideLoan({ ...application, regionalLoanIndex: { activeLoans: 0, repaidLoans: 1 } }).outcome,
    ).toBe('approved');
  });
});

describe('a co-applicant’s deposit facts (given only after consent)', () => {
  it('their normal balance adds to the balance bound and the couple cap applies', () => {
    const alone = decideLoan(withSpouse({}));
    expect(alone.limit.bindingBound).toBe('balance');
    expect(alone.limit.balanceBoundFen).toBe(yuan(20_000) * 15);
    const together = decideLoan(
      withSpouse({ deposits: [account({ city: '371300', balanceFen: yuan(15_000) })] }),
    );
    expect(together.limit.balanceBoundFen).toBe(yuan(35_000) * 15);
    expect(together.limit.capFen).toBe(XUZHOU.loanCapCoupleFen);
    expect(together.approvedFen).toBe(yuan(400_000));
  });

  it('a sealed account of theirs does not count; the reason speaks of the household when theirs did', () => {
    const sealed = decideLoan(
      withSpouse({ deposits: [account({ city: '371300', accountStatus: 'sealed' })] }),
    );
    expect(sealed.limit.balanceBoundFen).toBe(yuan(20_000) * 15);
    expect(sealed.limit.capFen).toBe(XUZHOU.loanCapSingleFen);
    const counted = decideLoan({
      ...withSpouse({ deposits: [account({ city: '371300', balanceFen: yuan(1_000) })] }),
      requestedFen: yuan(450_000),
    });
    const reduced = counted.reasons.find((r) => r.code === 'AMOUNT_BELOW_REQUEST');
    expect(reduced?.message['zh-CN']).toContain('您和配偶（共同申请人）的公积金账户余额');
  });

  it('a loan or a joint-enforcement bar on loans of theirs refuses', () => {
    expect(
      codes(
        decideLoan(withSpouse({ deposits: [account({ city: '371300', outstandingHpfLoans: 1 })] })).reasons,
      ),
    ).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
    const listed = decideLoan({
      ...withSpouse({ deposits: [account({ city: '371300' })] }),
      restrictions: { applicant: [], coApplicant: [loanBar('371300', '2031-01-01')] },
    });
    expect(codes(listed.reasons)).toContain('CO_APPLICANT_ON_VIOLATION_LIST');
    expect(codes(listed.reasons)).not.toContain('ON_VIOLATION_LIST');
  });

  it('malformed spouse facts throw like the applicant’s', () => {
    expect(() => decideLoan(withSpouse({ outstandingHpfLoans: -1 }))).toThrow(/spouse.outstandingHpfLoans/);
    expect(() => decideLoan(withSpouse({ deposits: [account(), account()] }))).toThrow(/appears twice/);
  });
});

describe('householdRequestErrors (the 400 at the API edge)', () => {
  const own = '32030219900101123X';
  const spouse = '320302199202021236';

  it('a married applicant names the spouse and says whether they co-apply', () => {
    expect(householdRequestErrors({ maritalStatus: 'married' }, own)).toEqual([
      expect.objectContaining({ field: 'spouseIdNumber', code: 'SPOUSE_ID_REQUIRED' }),
      expect.objectContaining({ field: 'spouseCoApplies', code: 'SPOUSE_CO_APPLIES_REQUIRED' }),
    ]);
    expect(
      householdRequestErrors(
        { maritalStatus: 'married', spouseIdNumber: spouse, spouseCoApplies: true },
        own,
      ),
    ).toEqual([]);
  });

  it('the spouse is not the applicant, whatever the case of the x', () => {
    expect(
      householdRequestErrors(
        { maritalStatus: 'married', spouseIdNumber: own.toLowerCase(), spouseCoApplies: false },
        own,
      ),
    ).toEqual([expect.objectContaining({ field: 'spouseIdNumber', code: 'SPOUSE_ID_IS_OWN' })]);
  });

  it('an unmarried applicant names no spouse', () => {
    for (const maritalStatus of ['single', 'divorced', 'widowed'] as const) {
      expect(householdRequestErrors({ maritalStatus }, own)).toEqual([]);
      expect(
        householdRequestErrors({ maritalStatus, spouseIdNumber: spouse, spouseCoApplies: false }, own).map(
          (e) => e.field,
        ),
      ).toEqual(['spouseIdNumber', 'spouseCoApplies']);
    }
  });
});
