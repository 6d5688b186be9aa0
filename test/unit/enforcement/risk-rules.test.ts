/** Risk-check thresholds as rule data (DEMO): a deposit base raised shortly before a loan application; a loan applicant’s facts changed before disbursement. */
import { describe, expect, it } from '@jest/globals';
import {
  baseRaisedBeforeApplication,
  factsChangedSinceApplication,
  riskRulesInForce,
} from '../../../shared/enforcement/risk-rules.js';

const rules = riskRulesInForce('2026-11-30');
const history = (versions: [string, number][]) => ({
  baseIn: (month: string) => versions.filter(([m]) => m <= month).at(-1)?.[1] ?? (versions[0]?.[1] as number),
  changes: versions.map(([m]) => m),
});

describe('deposit base raised before a loan application (DEMO: ≥ 30 % within 6 months)', () => {
  it('raised 30 % in the window raises; 29.99 % does not', () => {
    if (!rules) throw new Error('no rules');
    const raised = history([
      ['2025-01', 1_000_000],
      ['2026-10', 1_300_000],
    ]);
    expect(baseRaisedBeforeApplication(raised.baseIn, raised.changes, '2026-12', rules)).toEqual({
      fromFen: 1_000_000,
      toFen: 1_300_000,
      effectiveMonth: '2026-10',
      ruleVersion: 'risk-2026-09-20-DEMO',
    });
    const below = history([
      ['2025-01', 1_000_000],
      ['2026-10', 1_299_999],
    ]);
    expect(baseRaisedBeforeApplication(below.baseIn, below.changes, '2026-12', rules)).toBeUndefined();
  });

  it('a raise before the window, or a cut, raises nothing', () => {
    if (!rules) throw new Error('no rules');
    const old = history([
      ['2025-01', 1_000_000],
      ['2026-06', 2_000_000],
    ]);
    expect(baseRaisedBeforeApplication(old.baseIn, old.changes, '2026-12', rules)).toBeUndefined();
    const cut = history([
      ['2025-01', 2_000_000],
      ['2026-11', 1_000_000],
    ]);
    expect(baseRaisedBeforeApplication(cut.baseIn, cut.changes, '2026-12', rules)).toBeUndefined();
  });

  it('no check before the rules take effect', () => {
    expect(riskRulesInForce('2026-09-19')).toBeUndefined();
  });
});

describe('a loan applicant’s deposit facts changed before disbursement (DEMO: a fall of ≥ 20 %)', () => {
  const version = riskRulesInForce('2026-12-01');
  const thresholds = version?.factsChanged;
  const recorded = {
    accountStatus: 'normal',
    balanceFen: 1_000_000,
    monthlyDepositBaseFen: 800_000,
  } as const;

  it('is in force from the version that brings it, not before', () => {
    expect(version?.ruleVersion).toBe('risk-2026-12-01-DEMO');
    expect(riskRulesInForce('2026-11-30')?.factsChanged).toBeUndefined();
  });

  it('a balance fallen by 20 % raises; by 19.99 % it does not', () => {
    if (!thresholds) throw new Error('no thresholds');
    expect(factsChangedSinceApplication(recorded, { ...recorded, balanceFen: 800_000 }, thresholds)).toEqual([
      { change: 'balance-fell', before: 1_000_000, after: 800_000 },
    ]);
    expect(factsChangedSinceApplication(recorded, { ...recorded, balanceFen: 800_001 }, thresholds)).toEqual(
      [],
    );
  });

  it('a deposit base fallen by 20 % raises; by 19.99 % it does not', () => {
    if (!thresholds) throw new Error('no thresholds');
    expect(
      factsChangedSinceApplication(recorded, { ...recorded, monthlyDepositBaseFen: 640_000 }, thresholds),
    ).toEqual([{ change: 'deposit-base-fell', before: 800_000, after: 640_000 }]);
    expect(
      factsChangedSinceApplication(recorded, { ...recorded, monthlyDepositBaseFen: 640_001 }, thresholds),
    ).toEqual([]);
  });

  it('a sealed account raises its status and the base it no longer has; no account raises that alone', () => {
    if (!thresholds) throw new Error('no thresholds');
    expect(
      factsChangedSinceApplication(
        recorded,
        { accountStatus: 'sealed', balanceFen: 1_000_000, monthlyDepositBaseFen: 0 },
        thresholds,
      ),
    ).toEqual([
      { change: 'account-status', before: 'normal', after: 'sealed' },
      { change: 'deposit-base-fell', before: 800_000, after: 0 },
    ]);
    expect(
      factsChangedSinceApplication(
        recorded,
        { accountStatus: 'none', balanceFen: 0, monthlyDepositBaseFen: 0 },
        thresholds,
      ),
    ).toEqual([{ change: 'account-gone', before: 'normal', after: 'none' }]);
  });

  it('rises, unsealing, an account opened since, or facts without a base raise nothing', () => {
    if (!thresholds) throw new Error('no thresholds');
    expect(
      factsChangedSinceApplication(
        recorded,
        { ...recorded, balanceFen: 2_000_000, monthlyDepositBaseFen: 900_000 },
        thresholds,
      ),
    ).toEqual([]);
    expect(
      factsChangedSinceApplication(
        { accountStatus: 'sealed', balanceFen: 1_000_000, monthlyDepositBaseFen: 0 },
        recorded,
        thresholds,
      ),
    ).toEqual([]);
    expect(
      factsChangedSinceApplication(
        { accountStatus: 'none', balanceFen: 0, monthlyDepositBaseFen: 0 },
        recorded,
        thresholds,
      ),
    ).toEqual([]);
    expect(
      factsChangedSinceApplication(
        { accountStatus: 'normal', balanceFen: 1_000_000 },
        { ...recorded, monthlyDepositBaseFen: 0 },
        thresholds,
      ),
    ).toEqual([]);
  });
});
