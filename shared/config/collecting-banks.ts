/**
 * Each centre's collecting banks (归集银行): the only agents whose confirmation of a voluntary
 * deposit's payment credits an account. A sales office or another bank branch accepts
 * applications, but does not hold the centre's money and cannot say it arrived. DEMO data: a real
 * centre lists the banks of its collection accounts (and, in time, their signed notifications).
 */
import { CITY_CODES, type CityCode } from './cities.js';

const COLLECTING_BANKS = new Map<CityCode, readonly string[]>(
  CITY_CODES.map((city) => [city, [`BANK-${city}`, ...(city === '320300' ? ['XZ-BANK-0001'] : [])]]),
);

export function isCollectingBank(city: CityCode, agentOrgId: string): boolean {
  return COLLECTING_BANKS.get(city)?.includes(agentOrgId) ?? false;
}
