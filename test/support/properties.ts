/**
 * Records of a property city's register (网签备案) for purchase withdrawal tests, written as the
 * housing authority's feed writes them (shared/property/register.ts).
 */
import { randomBytes } from 'node:crypto';
import { addDays } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { fileHousingAuthorityRecord } from '../../shared/property/register.js';

export const newOnlineSigningNo = () => `WQ-${randomBytes(5).toString('hex').toUpperCase()}`;

/** A filed record (by default) of `city` naming the buyers, signed `daysAgo` days ago; its number. */
export async function registerProperty(
  city: CityCode,
  buyers: readonly string[],
  options: {
    registeredPriceFen?: number;
    daysAgo?: number;
    status?: 'filed' | 'cancelled';
    onlineSigningNo?: string;
  } = {},
): Promise<string> {
  const onlineSigningNo = options.onlineSigningNo ?? newOnlineSigningNo();
  await fileHousingAuthorityRecord(
    centreRepository(city),
    {
      onlineSigningNo,
      contractDate: addDays(toBeijingDate(new Date()), -(options.daysAgo ?? 30)),
      registeredPriceFen: options.registeredPriceFen ?? 90_000_000,
      buyers: await Promise.all(
        buyers.map(async (idNumber) => ({
          personKey: await personKey(idNumber),
          idNumberMasked: maskIdNumber(idNumber),
        })),
      ),
      status: options.status ?? 'filed',
    },
    new Date(),
  );
  return onlineSigningNo;
}
