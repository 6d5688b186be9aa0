/**
 * Cross-centre risk checks (跨中心风险核查) as rule data: what raises a case to the centres' work
 * queues, with thresholds per effective-dated version. Pure. The thresholds are DEMO values (no
 * public source gives them): each centre's risk-control office sets its own.
 */
import { addMonths, type YearMonth } from '../calendar/dates.js';
import { type IsoDate, versionInForce } from '../rules/national.js';

export interface RiskRuleVersion {
  ruleVersion: string;
  effectiveFrom: IsoDate;
  source: string;
  /** A deposit base raised shortly before a loan application (突击调基): by at least this share, within this window. */
  baseRaise: { windowMonths: number; minRaiseBasisPoints: number };
}

export const RISK_RULE_VERSIONS: readonly RiskRuleVersion[] = [
  {
    ruleVersion: 'risk-2026-09-20-DEMO',
    effectiveFrom: '2026-09-20',
    source: 'DEMO: thresholds of the regional risk-control standard, not from a public source',
    baseRaise: { windowMonths: 6, minRaiseBasisPoints: 3000 },
  },
];

export function riskRulesInForce(onDate: string): RiskRuleVersion | undefined {
  // Before the first version no risk check runs (nothing to raise on).
  if (onDate < (RISK_RULE_VERSIONS[0] as RiskRuleVersion).effectiveFrom) return undefined;
  return versionInForce(RISK_RULE_VERSIONS, onDate, 'risk rules');
}

export interface BaseRaise {
  fromFen: number;
  toFen: number;
  /** The month the raised base took effect. */
  effectiveMonth: YearMonth;
  ruleVersion: string;
}

/**
 * Whether the deposit base in force in the application's month was raised, within the window
 * before it, by at least the threshold over the base in force at the window's start.
 * `baseIn(month)` is the base in force in a month; `changes` the months a new base took effect.
 */
export function baseRaisedBeforeApplication(
  baseIn: (month: YearMonth) => number,
  changes: readonly YearMonth[],
  applicationMonth: YearMonth,
  rules: RiskRuleVersion,
): BaseRaise | undefined {
  const windowStart = addMonths(applicationMonth, -rules.baseRaise.windowMonths);
  const fromFen = baseIn(windowStart);
  const toFen = baseIn(applicationMonth);
  if (fromFen <= 0 || (toFen - fromFen) * 10_000 < fromFen * rules.baseRaise.minRaiseBasisPoints)
    return undefined;
  const effectiveMonth = [...changes]
    .filter((m) => m > windowStart && m <= applicationMonth)
    .sort()
    .at(-1);
  if (effectiveMonth === undefined) return undefined;
  return { fromFen, toFen, effectiveMonth, ruleVersion: rules.ruleVersion };
}
