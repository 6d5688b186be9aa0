/** Risk-check thresholds as rule data (DEMO): a deposit base raised shortly before a loan application. */
import { describe, expect, it } from '@jest/globals';
import { baseRaisedBeforeApplication, riskRulesInForce } from '../../../shared/enforcement/risk-rules.js';

const rules = riskRulesInForce('2026-12-01');
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
