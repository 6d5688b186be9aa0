/**
 * A caller only ever sees its own records: a citizen their own (the person key of the token's ID
 * number), an employer its own accounts (the credit code and centre in the token). Anything else
 * is a 404, never a 403, so that nobody learns which ids exist.
 */
import { type CityCode, isCityCode } from '../config/cities.js';
import { type EmployerRecord, getEmployer } from '../deposits/store.js';
import { DomainError } from '../errors/domain-error.js';
import { personKey } from '../identity/person-key.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import type { Caller } from './caller.js';

/**
 * The centre that holds a record, from its id: account numbers, application, loan and withdrawal
 * ids all begin with the centre's six-digit code. Not one of the ten: 404.
 */
export function cityOf(id: string): CityCode {
  const city = id.slice(0, 6);
  if (!isCityCode(city)) throw new DomainError('NOT_FOUND');
  return city;
}

/** A citizen's own record, or 404 (absent, or another person's). */
export async function ownRecordOr404<T extends { personKey: string }>(
  record: T | undefined,
  caller: Extract<Caller, { role: 'citizen' }>,
): Promise<T> {
  if (!record || record.personKey !== (await personKey(caller.idNumber))) throw new DomainError('NOT_FOUND');
  return record;
}

export async function ownEmployer(
  caller: Caller | undefined,
  employerAccountNo: string,
): Promise<{ repository: CentreRepository; employer: EmployerRecord }> {
  if (caller?.role !== 'employer') throw new DomainError('NOT_FOUND');
  const repository = centreRepository(cityOf(employerAccountNo));
  const employer = await getEmployer(repository, employerAccountNo);
  // The token names the employer (credit code) and the centre it acts in (a branch elsewhere has its own).
  if (!employer || employer.uscc !== caller.uscc || employer.city !== caller.city)
    throw new DomainError('NOT_FOUND');
  return { repository, employer };
}
