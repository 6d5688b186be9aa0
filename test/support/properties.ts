/**
 * Records of a property city's register (网签备案) for purchase withdrawal and loan tests, written
 * as the housing authority's feed writes them (shared/property/register.ts).
 */
import { randomBytes } from 'node:crypto';
import { addDays } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import type { LoanApplicationRecord } from '../../shared/loans/store.js';
import { newMessage } from '../../shared/messaging/envelope.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import {
  fileHousingAuthorityRecord,
  getPropertyRecord,
  propertyFactsOf,
} from '../../shared/property/register.js';

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

/** The loan request's fields naming a filed record of `city` the person bought (¥1,000,000 unless told). */
export async function homeBoughtBy(
  idNumber: string,
  city: CityCode,
  registeredPriceFen = 100_000_000,
): Promise<{ propertyCity: CityCode; onlineSigningNo: string }> {
  return {
    propertyCity: city,
    onlineSigningNo: await registerProperty(city, [idNumber], { registeredPriceFen }),
  };
}

/** The property city's reply to a loan application's `property:<city>` request, as its worker would send it. */
export async function propertyReplyTo(application: LoanApplicationRecord) {
  const city = application.request.propertyCity;
  const request = application.requests[`property:${city}`];
  const onlineSigningNo = application.request.onlineSigningNo;
  if (!request || !onlineSigningNo) throw new Error('the application names no record');
  const record = await getPropertyRecord(centreRepository(city), onlineSigningNo);
  return newMessage(
    'property-facts-reply',
    {
      from: city,
      to: application.city,
      correlationId: 'test',
      deadline: new Date(application.factsDeadline),
    },
    {
      inReplyTo: request.requestId,
      payload: {
        applicationId: application.applicationId,
        onlineSigningNo,
        property: propertyFactsOf(record, application.personKey),
      },
    },
  );
}
