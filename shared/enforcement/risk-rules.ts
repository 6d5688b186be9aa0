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
  /**
   * A loan applicant's deposit facts changed between the application and the disbursement: the
   * balance, or the monthly deposit base, fell by at least this share of the recorded value.
   * Absent in a version: the check does not run.
   */
  factsChanged?: { minBalanceFallBasisPoints: number; minDepositBaseFallBasisPoints: number };
}

export const RISK_RULE_VERSIONS: readonly RiskRuleVersion[] = [
  {
    ruleVersion: 'risk-2026-09-20-DEMO',
    effectiveFrom: '2026-09-20',
    source: 'DEMO: thresholds of the regional risk-control standard, not from a public source',
    baseRaise: { windowMonths: 6, minRaiseBasisPoints: 3000 },
  },
  {
    ruleVersion: 'risk-2026-12-01-DEMO',
    effectiveFrom: '2026-12-01',
    source: 'DEMO: thresholds of the regional risk-control standard, not from a public source',
    baseRaise: { windowMonths: 6, minRaiseBasisPoints: 3000 },
    factsChanged: { minBalanceFallBasisPoints: 2000, minDepositBaseFallBasisPoints: 2000 },
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

/** The deposit facts the comparison looks at (as a centre answers them, shared/loans/facts.ts). */
export interface ComparedFacts {
  accountStatus: 'normal' | 'sealed' | 'closed' | 'none';
  balanceFen: number;
  /** Absent in facts recorded before the base was said: not compared. */
  monthlyDepositBaseFen?: number;
}

export type FactChange =
  /** The centre no longer holds an open account of the person. */
  | { change: 'account-gone'; before: ComparedFacts['accountStatus']; after: 'none' }
  /** The account is no longer normal (sealed, closed), or went from sealed to closed. */
  | {
      change: 'account-status';
      before: ComparedFacts['accountStatus'];
      after: ComparedFacts['accountStatus'];
    }
  | { change: 'balance-fell'; before: number; after: number }
  | { change: 'deposit-base-fell'; before: number; after: number };

function fellBy(before: number, after: number, minBasisPoints: number): boolean {
  return before > 0 && (before - after) * 10_000 >= before * minBasisPoints;
}

/**
 * What changed materially in one centre's deposit facts between those recorded on the application
 * and those read now: the account gone; its status changed to anything but normal; the balance or
 * the deposit base fallen by at least the threshold share of the recorded value. Empty: nothing did
 * (a rise, a fall below the threshold, or an account unsealed is no risk).
 */
export function factsChangedSinceApplication(
  recorded: ComparedFacts,
  current: ComparedFacts,
  thresholds: NonNullable<RiskRuleVersion['factsChanged']>,
): FactChange[] {
  if (recorded.accountStatus === 'none') return [];
  // No account now: its balance and base are gone with it, said once.
  if (current.accountStatus === 'none')
    return [{ change: 'account-gone', before: recorded.accountStatus, after: 'none' }];
  const changes: FactChange[] = [];
  if (current.accountStatus !== recorded.accountStatus && current.accountStatus !== 'normal')
    changes.push({ change: 'account-status', before: recorded.accountStatus, after: current.accountStatus });
  if (fellBy(recorded.balanceFen, current.balanceFen, thresholds.minBalanceFallBasisPoints))
    changes.push({ change: 'balance-fell', before: recorded.balanceFen, after: current.balanceFen });
  const [baseBefore, baseAfter] = [recorded.monthlyDepositBaseFen, current.monthlyDepositBaseFen];
  if (
    baseBefore !== undefined &&
    baseAfter !== undefined &&
    fellBy(baseBefore, baseAfter, thresholds.minDepositBaseFallBasisPoints)
  )
    changes.push({ change: 'deposit-base-fell', before: baseBefore, after: baseAfter });
  return changes;
}
