/**
 * Joint enforcement (跨地区联合执法) as rule data: which kinds of record bar what, for how long, under
 * which version of the Regulations; and how the confirmed records about one person combine into the
 * restrictions a decision applies (DESIGN.md §2a). Pure: no table, no queue.
 *
 * Periods are from public summaries of the 2026-09-20 revision (骗提 bars withdrawals 3 years,
 * 骗贷 bars loans 5 years), to be checked against the promulgated text; a bar runs from the date of
 * the decision document under the version in force that day, so a decision taken before the
 * revision bars nothing automatically (not retroactive). Employer arrears (欠缴) only flag.
 */
import { CITIES, type CityCode } from '../config/cities.js';
import { type IsoDate, versionInForce } from '../rules/national.js';

export const PERSON_RECORD_KINDS = [
  // 骗提
  'fraudulent-withdrawal',
  // 骗贷
  'fraudulent-loan',
  // 违规提取
  'improper-withdrawal',
  'other',
] as const;
export const EMPLOYER_RECORD_KINDS = [
  // 欠缴
  'employer-arrears',
  'other',
] as const;
export type PersonRecordKind = (typeof PERSON_RECORD_KINDS)[number];
export type EmployerRecordKind = (typeof EMPLOYER_RECORD_KINDS)[number];
export type EnforcementKind = PersonRecordKind | EmployerRecordKind;

/** What a bar stops: a person's withdrawals (提取) or loans (贷款). */
export type BarredService = 'withdrawals' | 'loans';

export interface EnforcementRuleVersion {
  ruleVersion: string;
  effectiveFrom: IsoDate;
  source: string;
  /** The automatic bar each kind carries, in whole years from the decision date; none for the others. */
  bars: Partial<Record<EnforcementKind, Partial<Record<BarredService, number>>>>;
}

export const ENFORCEMENT_RULE_VERSIONS: readonly EnforcementRuleVersion[] = [
  {
    // The 1999 Regulations (2019 text) record violations but bar nothing by themselves.
    ruleVersion: 'enforcement-1999-04-03',
    effectiveFrom: '1999-04-03',
    source: '《住房公积金管理条例》(1999年, 2019年修订)',
    bars: {},
  },
  {
    ruleVersion: 'enforcement-2026-09-20',
    effectiveFrom: '2026-09-20',
    source:
      '国务院关于修改《住房公积金管理条例》的决定 (2026年9月20日施行), from public summaries: 骗提 3 years, 骗贷 5 years; to be checked against the promulgated text',
    bars: { 'fraudulent-withdrawal': { withdrawals: 3 }, 'fraudulent-loan': { loans: 5 } },
  },
];

export function enforcementRulesInForce(onDate: string): EnforcementRuleVersion {
  return versionInForce(ENFORCEMENT_RULE_VERSIONS, onDate, 'enforcement rules');
}

/** The same day `years` later (29 February becomes 1 March in a common year). */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** The bar a record carries, as end dates (exclusive), from the rule version of its decision date. */
export function barsOf(
  kind: EnforcementKind,
  decisionDate: IsoDate,
): { ruleVersion: string; until: Partial<Record<BarredService, IsoDate>> } {
  const rules = enforcementRulesInForce(decisionDate);
  const years = rules.bars[kind] ?? {};
  const until: Partial<Record<BarredService, IsoDate>> = {};
  for (const [service, n] of Object.entries(years) as [BarredService, number][]) {
    until[service] = addYears(decisionDate, n);
  }
  return { ruleVersion: rules.ruleVersion, until };
}

/**
 * One confirmed record as every centre's decision sees it region-wide: what it is, who recorded it,
 * what it bars until when, and whom to contact. Never its facts or evidence.
 */
export interface Restriction {
  recordId: string;
  /** The recording centre. */
  city: CityCode;
  kind: EnforcementKind;
  decisionDocumentNo: string;
  decisionDate: IsoDate;
  until: Partial<Record<BarredService, IsoDate>>;
  ruleVersion: string;
  /** How to object (PIPL Art. 46; 申请复核、行政复议或行政诉讼). */
  objection: string;
  confirmedAt: string;
}

/** The restrictions in force on `today` that bar `service`, in recording order. */
export function barsInForce(restrictions: readonly Restriction[], service: BarredService, today: IsoDate) {
  return restrictions
    .filter((r) => {
      const until = r.until[service];
      return until !== undefined && today < until;
    })
    .sort((a, b) => (a.confirmedAt < b.confirmedAt ? -1 : 1));
}

const KIND_NAMES: Record<EnforcementKind, { 'zh-CN': string; en: string }> = {
  'fraudulent-withdrawal': { 'zh-CN': '骗提住房公积金', en: 'fraudulent withdrawal' },
  'fraudulent-loan': { 'zh-CN': '骗取住房公积金贷款', en: 'fraudulent borrowing' },
  'improper-withdrawal': { 'zh-CN': '违规提取住房公积金', en: 'improper withdrawal' },
  'employer-arrears': { 'zh-CN': '欠缴住房公积金', en: 'arrears of deposits' },
  other: { 'zh-CN': '其他违规行为', en: 'another violation' },
};

export function kindName(kind: EnforcementKind) {
  return KIND_NAMES[kind];
}

/** “临沂市住房公积金中心 record 371300-E-…（骗提住房公积金，限制至 2029-12-01）”, in both languages. */
function named(restriction: Restriction, service: BarredService) {
  const city = CITIES[restriction.city];
  const kind = KIND_NAMES[restriction.kind];
  const until = restriction.until[service] as string;
  return {
    'zh-CN': `${city.nameZh}住房公积金中心的记录 ${restriction.recordId}（${kind['zh-CN']}，决定书 ${restriction.decisionDocumentNo}，限制至 ${until} 前）`,
    en: `record ${restriction.recordId} of the ${city.nameEn} HPF centre (${kind.en}, decision ${restriction.decisionDocumentNo}, restricted until ${until})`,
  };
}

export interface BarReason<C extends string = string> {
  code: C;
  message: { 'zh-CN': string; en: string };
}

/** Why a bar refuses (or refers) a decision: the restriction and the recording centre to contact, never evidence. */
export function barReason<C extends string>(
  code: C,
  who: { 'zh-CN': string; en: string },
  service: BarredService,
  restrictions: readonly Restriction[],
): BarReason<C> {
  const names = restrictions.map((r) => named(r, service));
  const what =
    service === 'loans'
      ? { zh: '申请住房公积金贷款', en: 'borrow' }
      : { zh: '提取住房公积金', en: 'withdraw' };
  return {
    code,
    message: {
      'zh-CN': `${who['zh-CN']}有${names.map((n) => n['zh-CN']).join('、')}，暂不能${what.zh}；如有异议，请联系记录中心`,
      en: `${who.en} ${names.map((n) => n.en).join('; ')}, so cannot ${what.en} for now; to object, contact the recording centre`,
    },
  };
}

/**
 * A closing withdrawal (retirement, settling abroad: 销户提取) of a person barred from withdrawals is
 * the person's own money: it goes to staff review, naming the record, instead of being refused.
 */
export function closingWithdrawalReferral(
  restrictions: readonly Restriction[],
): BarReason<'WITHDRAWAL_BAR_REVIEW'> {
  const names = restrictions.map((r) => named(r, 'withdrawals'));
  return {
    code: 'WITHDRAWAL_BAR_REVIEW',
    message: {
      'zh-CN': `您有${names.map((n) => n['zh-CN']).join('、')}；离退休、出境定居提取为销户提取，转中心工作人员审核`,
      en: `You have ${names.map((n) => n.en).join('; ')}; a closing withdrawal (retirement, settling abroad) goes to staff review`,
    },
  };
}
