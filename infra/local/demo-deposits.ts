/**
 * Demo employers and depositors for the local region: in every centre one employer (单位) with
 * three employees and six months of remittances (菏泽's missed one, for the back-pay walk-through);
 * two people hold accounts in two centres (徐州 and 临沂, 宿州 and 商丘). The local region's
 * walk-through makes a couple of two of them (a 临沂 borrower and a 徐州 depositor,
 * infra/local/region.ts). Everything goes through the same store functions as the handlers, with
 * deterministic keys, so seeding again changes nothing. All names and numbers are DEMO data: the
 * ID numbers are valid in form only.
 */

import { addMonths, monthOf, type YearMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITIES, CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { remit } from '../../shared/deposits/remittance.js';
import {
  changeDepositTerms,
  getPersonalAccount,
  openAccountOfPerson,
  openEmployerAccount,
  openPersonalAccount,
} from '../../shared/deposits/store.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { usccCheckCharacter } from '../../shared/identity/uscc.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';

export const DEMO_HISTORY_MONTHS = 6;

/** 菏泽's demo employer missed one month, three months ago: the README back-pays it (补缴). */
export const DEMO_BACK_PAY_CITY: CityCode = '371700';
export function demoMissedMonth(now: Date): YearMonth {
  return addMonths(monthOf(toBeijingDate(now)), -3);
}

export interface DemoPerson {
  name: string;
  idNumber: string;
  /** Base in each centre where the person works (a second centre: a former or second job). */
  centres: readonly CityCode[];
}

function idNumber(city: CityCode, birthDate: string, sequence: string): string {
  const first17 = `${city.slice(0, 4)}02${birthDate.replaceAll('-', '')}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** The credit code of a centre's demo employer. */
export function demoEmployerUscc(city: CityCode): string {
  // 9 = registered by market regulation, 1 = enterprise, the city, then a demo organisation code.
  const first17 = `91${city}MA0HPF${city.slice(2, 4)}`.slice(0, 17).padEnd(17, '0');
  return first17 + usccCheckCharacter(first17);
}

const GIVEN_NAMES = ['建国', '秀英', '志强', '丽娟', '海涛', '晓燕', '文博', '雪梅', '国栋', '春兰'];
const FAMILY_NAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];

/** The people of the demo: three per centre, the first of two centres working in a second one too. */
export function demoPeople(): DemoPerson[] {
  const people: DemoPerson[] = CITY_CODES.flatMap((city, c) =>
    [0, 1, 2].map((i) => ({
      name: `${FAMILY_NAMES[(c + i) % 10]}${GIVEN_NAMES[(c * 3 + i) % 10]}`,
      idNumber: idNumber(city, `19${85 + i}-0${(c % 9) + 1}-1${i}`, `${c}${i}${(c + i) % 2 === 0 ? 2 : 1}`),
      centres: [city],
    })),
  );
  // 临沂 371300 index 8 and 宿州 341300 index 3: their first person also works in 徐州 / 商丘.
  const linyi = people[8 * 3];
  const suzhou = people[3 * 3];
  if (linyi) linyi.centres = ['371300', '320300'];
  if (suzhou) suzhou.centres = ['341300', '411400'];
  people.push(DEMO_MOVER);
  return people;
}

/**
 * 转移接续 walk-through: a person who left the 临沂 employer for the 徐州 one; the 临沂 employer
 * sealed the account (封存) once the last month was remitted, so it may move to 徐州.
 */
export const DEMO_MOVER: DemoPerson = {
  name: '孙迁移',
  idNumber: idNumber('371300', '1990-05-20', '881'),
  centres: ['371300', '320300'],
};
export const DEMO_MOVER_SEALED_CITY: CityCode = '371300';

export interface DemoDepositsSummary {
  employers: number;
  accounts: number;
  remittances: number;
  people: DemoPerson[];
  /** 菏泽's demo employer and the month it missed, for the back-pay walk-through. */
  backPay: { employerAccountNo: string; personalAccountNos: string[]; missedMonth: YearMonth };
  /** DEMO_MOVER's sealed 临沂 account, to transfer to 徐州. */
  moverAccountNo: string;
}

/** A base within every version's limits: 2.5 × the minimum wage, rounded to the yuan. */
function demoBaseFen(city: CityCode, onDate: string, person: number): number {
  const params = parametersInForce(city, onDate);
  return Math.round((params.minimumMonthlyWageFen * (25 + person * 5)) / 1000) * 100;
}

export async function seedDemoDeposits(now: Date): Promise<DemoDepositsSummary> {
  const people = demoPeople();
  const thisMonth = monthOf(toBeijingDate(now));
  const firstMonth = addMonths(thisMonth, -DEMO_HISTORY_MONTHS);
  const openedAt = new Date(`${firstMonth}-01T02:00:00Z`);
  const summary: DemoDepositsSummary = {
    employers: 0,
    accounts: 0,
    remittances: 0,
    people,
    backPay: { employerAccountNo: '', personalAccountNos: [], missedMonth: demoMissedMonth(now) },
    moverAccountNo: '',
  };

  for (const city of CITY_CODES) {
    const repository = centreRepository(city);
    const code = demoEmployerUscc(city);
    const employer = await openEmployerAccount(repository, {
      uscc: code,
      usccCheckCharacterValid: true,
      name: `${CITIES[city].nameZh}市淮海示范科技有限公司（演示）`,
      address: `${CITIES[city].provinceZh}省${CITIES[city].nameZh}市示范路 1 号（演示）`,
      contactName: '孙会计',
      contactPhone: '13800000000',
      payday: 10,
      openedAt: openedAt.toISOString(),
      openedBy: 'demo-seed',
    });
    const employerAccountNo = employer.opened
      ? employer.record.employerAccountNo
      : employer.employerAccountNo;
    summary.employers += 1;
    const staff = people.filter((p) => p.centres.includes(city));
    for (const [i, person] of staff.entries()) {
      const params = parametersInForce(city, toBeijingDate(openedAt));
      const opened = await openPersonalAccount(repository, {
        employerAccountNo,
        personKey: await personKey(person.idNumber),
        name: person.name,
        idNumberMasked: maskIdNumber(person.idNumber),
        monthlyDepositBaseFen: demoBaseFen(city, toBeijingDate(now), i),
        employeeRateBasisPoints: 1200 - i * 200,
        employerRateBasisPoints: 1200 - i * 200,
        ruleVersion: params.ruleVersion,
        openedAt: openedAt.toISOString(),
      });
      if (city === DEMO_BACK_PAY_CITY) {
        summary.backPay.employerAccountNo = employerAccountNo;
        summary.backPay.personalAccountNos.push(
          opened.opened ? opened.record.personalAccountNo : opened.personalAccountNo,
        );
      }
      summary.accounts += 1;
    }
    for (let m = 0; m < DEMO_HISTORY_MONTHS; m++) {
      const month = addMonths(firstMonth, m);
      if (city === DEMO_BACK_PAY_CITY && month === demoMissedMonth(now)) continue;
      // Remitted on payday of the month, so the ledger's value dates are spread over the history.
      await remit(repository, {
        employerAccountNo,
        month,
        idempotencyKey: `demo-seed-${employerAccountNo}-${month}`,
        now: new Date(`${month}-10T02:00:00Z`),
      });
      summary.remittances += 1;
    }
  }
  summary.moverAccountNo = await sealMoverAccount(now);
  return summary;
}

/** The mover's 临沂 employer seals the account (a change record like DEPOSIT_CHANGE's); once only. */
async function sealMoverAccount(now: Date): Promise<string> {
  const repository = centreRepository(DEMO_MOVER_SEALED_CITY);
  const accountNo = await openAccountOfPerson(repository, await personKey(DEMO_MOVER.idNumber));
  const account = accountNo ? await getPersonalAccount(repository, accountNo) : undefined;
  // Already sealed, or moved by an earlier walk-through (closed; the link then gone): left as it is.
  if (account?.status === 'normal') {
    await changeDepositTerms(
      repository,
      account,
      { status: 'sealed', ruleVersion: account.ruleVersion },
      {
        changedBy: 'demo-seed',
        changedAt: now.toISOString(),
        effectiveMonth: monthOf(toBeijingDate(now)),
        changeId: 'demo-mover-sealed',
      },
    );
  }
  return accountNo ?? '(moved already: npm start -- --fresh seeds it again)';
}
