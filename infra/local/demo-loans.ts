/**
 * Demo regional lending statistics: loans the centres granted before this platform recorded them,
 * by lending city × deposit city. DEMO figures (`demo: true`), shown apart from the loans the
 * platform itself disburses. 徐州's total echoes the programme's published order of magnitude
 * (about 1,100 loans, 486 million yuan, to depositors of other region cities).
 */
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { REGIONAL_LOAN_STATS_PK } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

const XUZHOU_FROM: Partial<Record<CityCode, [loans: number, yuan: number]>> = {
  '321300': [312, 136_000_000],
  '320700': [198, 88_000_000],
  '341300': [176, 77_000_000],
  '340600': [121, 53_000_000],
  '371300': [109, 48_000_000],
  '370400': [77, 34_000_000],
  '411400': [61, 27_000_000],
  '370800': [32, 14_000_000],
  '371700': [18, 9_000_000],
};

export async function seedDemoLoanStatistics(): Promise<number> {
  const repository = centreRepository('320300');
  let cells = 0;
  for (const depositCity of CITY_CODES) {
    const figures = XUZHOU_FROM[depositCity];
    if (!figures) continue;
    await repository.put({
      PK: REGIONAL_LOAN_STATS_PK,
      SK: `DEMO#320300#${depositCity}`,
      lendingCity: '320300',
      depositCity,
      loanCount: figures[0],
      amountFen: figures[1] * 100,
      demo: true,
    });
    cells += 1;
  }
  return cells;
}
