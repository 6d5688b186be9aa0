/**
 * Demo records of the property register (网签备案), written as a housing authority's feed would
 * write them (shared/property/register.ts), so the purchase withdrawal walk-through has real
 * records to name. All numbers are DEMO data. Buyers are demo depositors (demo-deposits.ts):
 * - XZ2026-001234 (徐州): bought together by the 临沂 + 徐州 depositor ($CITIZEN) and a 临沂-only
 *   depositor ($BORROWER), registered price 1,500,000 yuan: two buyers withdrawing from two
 *   centres share that one cap;
 * - LY2026-000318 (临沂): one buyer, the third 临沂 depositor, 880,000 yuan;
 * - XZ2025-009876 (徐州): cancelled (撤销备案), naming $CITIZEN: a withdrawal on it is refused.
 * Contract dates are days before the seeding, so the records stay within the withdrawal period.
 */
import { addDays } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { fileHousingAuthorityRecord } from '../../shared/property/register.js';
import type { DemoPerson } from './demo-deposits.js';

export async function seedDemoProperties(people: readonly DemoPerson[], now: Date): Promise<number> {
  const twoCentres = people.find((p) => p.centres.join() === '371300,320300');
  const linyiOnly = people.filter((p) => p.centres.join() === '371300');
  const [borrower, third] = linyiOnly;
  if (!twoCentres || !borrower || !third) throw new Error('the demo depositors of 临沂 are missing');
  const buyer = async (person: DemoPerson) => ({
    personKey: await personKey(person.idNumber),
    idNumberMasked: maskIdNumber(person.idNumber),
  });
  const today = toBeijingDate(now);
  const records: {
    city: CityCode;
    onlineSigningNo: string;
    daysAgo: number;
    yuan: number;
    buyers: DemoPerson[];
    status: 'filed' | 'cancelled';
  }[] = [
    {
      city: '320300',
      onlineSigningNo: 'XZ2026-001234',
      daysAgo: 40,
      yuan: 1_500_000,
      buyers: [twoCentres, borrower],
      status: 'filed',
    },
    {
      city: '371300',
      onlineSigningNo: 'LY2026-000318',
      daysAgo: 75,
      yuan: 880_000,
      buyers: [third],
      status: 'filed',
    },
    {
      city: '320300',
      onlineSigningNo: 'XZ2025-009876',
      daysAgo: 200,
      yuan: 1_100_000,
      buyers: [twoCentres],
      status: 'cancelled',
    },
  ];
  for (const record of records) {
    await fileHousingAuthorityRecord(
      centreRepository(record.city),
      {
        onlineSigningNo: record.onlineSigningNo,
        contractDate: addDays(today, -record.daysAgo),
        registeredPriceFen: record.yuan * 100,
        buyers: await Promise.all(record.buyers.map(buyer)),
        status: record.status,
      },
      now,
    );
  }
  return records.length;
}
