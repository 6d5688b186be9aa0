/**
 * Depositors for loan and withdrawal tests, made through the same store functions the handlers
 * use: an employer per centre, an account, and months of remittances with their real value dates.
 */
import { randomInt } from 'node:crypto';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { remit } from '../../shared/deposits/remittance.js';
import {
  changeDepositTerms,
  getPersonalAccount,
  openEmployerAccount,
  openPersonalAccount,
} from '../../shared/deposits/store.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { usccCheckCharacter } from '../../shared/identity/uscc.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function randomUscc(city: string): string {
  let first17 = `91${city}`;
  while (first17.length < 17) first17 += USCC_CHARSET[randomInt(USCC_CHARSET.length)];
  return first17 + usccCheckCharacter(first17);
}

/**
 * A valid ID number of someone born in `birthYear` (default: 1988–1997, young enough for any loan
 * term here), of the given sex (the 17th digit: odd for men) or either.
 */
export function randomIdNumber(birthYear = 1988 + randomInt(10), sex?: 'male' | 'female'): string {
  const order =
    randomInt(100) * 10 +
    (sex === undefined ? randomInt(10) : sex === 'male' ? 1 + 2 * randomInt(5) : 2 * randomInt(5));
  const first17 = `320302${birthYear}${String(1 + randomInt(12)).padStart(2, '0')}${String(1 + randomInt(28)).padStart(2, '0')}${String(order).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

export interface Depositor {
  idNumber: string;
  personKey: string;
  accounts: Partial<Record<CityCode, string>>;
}

/**
 * A person with an account in each centre, remitted for the `months` months before this one
 * (so the run of continuous months is `months` as of today), at 3 × the minimum wage and 12 %.
 */
export async function makeDepositor(
  cities: readonly CityCode[],
  months = 12,
  idNumber = randomIdNumber(),
): Promise<Depositor> {
  const now = new Date();
  const thisMonth = monthOf(toBeijingDate(now));
  const firstMonth = addMonths(thisMonth, -months);
  const depositor: Depositor = { idNumber, personKey: await personKey(idNumber), accounts: {} };
  for (const city of cities) {
    const repository = centreRepository(city);
    const employer = await openEmployerAccount(repository, {
      uscc: randomUscc(city),
      usccCheckCharacterValid: true,
      name: '测试单位',
      address: '测试路 1 号',
      contactName: '测试',
      contactPhone: '13800000000',
      payday: 10,
      openedAt: `${firstMonth}-01T00:00:00.000Z`,
      openedBy: 'test',
    });
    if (!employer.opened) throw new Error('a random credit code collided');
    const params = parametersInForce(city, toBeijingDate(now));
    const account = await openPersonalAccount(repository, {
      employerAccountNo: employer.record.employerAccountNo,
      personKey: depositor.personKey,
      name: '测试人',
      idNumberMasked: maskIdNumber(idNumber),
      monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 1200,
      ruleVersion: params.ruleVersion,
      openedAt: `${firstMonth}-01T00:00:00.000Z`,
    });
    if (!account.opened) throw new Error('the person already has an account there');
    depositor.accounts[city] = account.record.personalAccountNo;
    for (let m = 0; m < months; m++) {
      const month = addMonths(firstMonth, m);
      await remit(repository, {
        employerAccountNo: employer.record.employerAccountNo,
        month,
        idempotencyKey: `test-${employer.record.employerAccountNo}-${month}`,
        now: new Date(`${month}-10T02:00:00Z`),
      });
    }
  }
  return depositor;
}

/** The employer seals (封存) the account from this month, as its change of status does. */
export async function sealAccount(city: CityCode, personalAccountNo: string): Promise<void> {
  const repository = centreRepository(city);
  const account = await getPersonalAccount(repository, personalAccountNo);
  if (!account) throw new Error(`no account ${personalAccountNo}`);
  await changeDepositTerms(
    repository,
    account,
    { status: 'sealed', ruleVersion: account.ruleVersion },
    {
      changedBy: 'test-employer',
      changedAt: new Date().toISOString(),
      effectiveMonth: new Date().toISOString().slice(0, 7),
      changeId: crypto.randomUUID(),
    },
  );
}
