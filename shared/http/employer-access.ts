/**
 * An employer acts only on its own accounts: the centre comes from the account number, the
 * owner from the credit code in the token. Anything else is a 404, so that an employer cannot
 * learn which account numbers exist.
 */
import { type CityCode, isCityCode } from '../config/cities.js';
import { type EmployerRecord, getEmployer } from '../deposits/store.js';
import { DomainError } from '../errors/domain-error.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import type { Caller } from './caller.js';

/** The centre that holds an account, from the account number's first six digits. */
export function centreOfAccount(accountNo: string): CityCode | undefined {
  const city = accountNo.slice(0, 6);
  return isCityCode(city) ? city : undefined;
}

export async function ownEmployer(
  caller: Caller | undefined,
  employerAccountNo: string,
): Promise<{ repository: CentreRepository; employer: EmployerRecord }> {
  const city = centreOfAccount(employerAccountNo);
  if (caller?.role !== 'employer' || !city) throw new DomainError('NOT_FOUND');
  const repository = centreRepository(city);
  const employer = await getEmployer(repository, employerAccountNo);
  // The token names the employer (credit code) and the centre it acts in (a branch elsewhere has its own).
  if (!employer || employer.uscc !== caller.uscc || employer.city !== caller.city)
    throw new DomainError('NOT_FOUND');
  return { repository, employer };
}
