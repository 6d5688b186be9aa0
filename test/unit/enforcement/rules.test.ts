/** Joint-enforcement rule data: which kinds bar what, from which date, and how records combine. */
import { describe, expect, it } from '@jest/globals';
import {
  addYears,
  barReason,
  barsInForce,
  barsOf,
  closingWithdrawalReferral,
} from '../../../shared/enforcement/rules.js';
import { loanBar } from './fixtures.js';

describe('bars as rule data (2026-09-20 revision, from public summaries)', () => {
  it('骗提 bars withdrawals 3 years and 骗贷 loans 5 years from the decision date', () => {
    expect(barsOf('fraudulent-withdrawal', '2026-10-01')).toEqual({
      ruleVersion: 'enforcement-2026-09-20',
      until: { withdrawals: '2029-10-01' },
    });
    expect(barsOf('fraudulent-loan', '2026-10-01').until).toEqual({ loans: '2031-10-01' });
  });

  it('other kinds bar nothing; employer arrears only flag', () => {
    for (const kind of ['improper-withdrawal', 'employer-arrears', 'other'] as const) {
      expect(barsOf(kind, '2026-12-01').until).toEqual({});
    }
  });

  it('a decision before the revision bars nothing automatically (not retroactive)', () => {
    expect(barsOf('fraudulent-loan', '2026-09-19')).toEqual({
      ruleVersion: 'enforcement-1999-04-03',
      until: {},
    });
    expect(barsOf('fraudulent-loan', '2026-09-20').until).toEqual({ loans: '2031-09-20' });
  });

  it('a leap day ends on 1 March of a common year', () => {
    expect(addYears('2028-02-29', 3)).toBe('2031-03-01');
  });
});

describe('restrictions combined', () => {
  const a = {
    ...loanBar('371300', '2031-01-01'),
    recordId: '371300-E-A',
    confirmedAt: '2026-11-02T00:00:00Z',
  };
  const b = {
    ...loanBar('320300', '2027-01-01'),
    recordId: '320300-E-B',
    confirmedAt: '2026-10-02T00:00:00Z',
  };
  it('every record in force counts, oldest first; ended ones drop out on their end date', () => {
    expect(barsInForce([a, b], 'loans', '2026-12-01').map((r) => r.recordId)).toEqual([
      '320300-E-B',
      '371300-E-A',
    ]);
    expect(barsInForce([a, b], 'loans', '2027-01-01').map((r) => r.recordId)).toEqual(['371300-E-A']);
    expect(barsInForce([a, b], 'withdrawals', '2026-12-01')).toEqual([]);
  });

  it('the reason names each record and its centre, never facts or evidence', () => {
    const reason = barReason('WITHDRAWAL_BARRED', { 'zh-CN': '您', en: 'You have' }, 'loans', [b, a]);
    expect(reason.message['zh-CN']).toContain('徐州住房公积金中心的记录 320300-E-B');
    expect(reason.message['zh-CN']).toContain('临沂住房公积金中心的记录 371300-E-A');
    expect(reason.message.en).toContain('contact the recording centre');
    const referral = closingWithdrawalReferral([{ ...a, until: { withdrawals: '2029-01-01' } }]);
    expect(referral.code).toBe('WITHDRAWAL_BAR_REVIEW');
    expect(referral.message['zh-CN']).toContain('转中心工作人员审核');
  });
});
