/** Joint-enforcement restrictions as the regional entry holds them, for rule tests. */
import type { CityCode } from '../../../shared/config/cities.js';
import type { Restriction } from '../../../shared/enforcement/rules.js';

/** A confirmed 骗贷 record of `city` barring loans until `until` (exclusive). */
export function loanBar(city: CityCode, until: string): Restriction {
  return {
    recordId: `${city}-E-0000000000000001`,
    city,
    kind: 'fraudulent-loan',
    decisionDocumentNo: '公积金处字〔2026〕1号',
    decisionDate: '2026-10-01',
    until: { loans: until },
    ruleVersion: 'enforcement-2026-09-20',
    objection: '可自收到决定书之日起六十日内申请行政复议',
    confirmedAt: '2026-10-02T02:00:00.000Z',
  };
}
