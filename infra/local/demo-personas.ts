/**
 * Who the dev identity provider's sign-in page offers (infra/local/dev-idp-oauth.ts): the demo
 * depositors of the seed (demo-deposits.ts), each centre's demo employer (and the walk-through's
 * 济宁 employer, not yet registered), one agent (a bank branch) and two staff members (a decision and its confirmation need two) of every city. DEMO data only.
 */
import { createHash } from 'node:crypto';
import { CITIES, CITY_CODES } from '../../shared/config/cities.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { usccCheckCharacter } from '../../shared/identity/uscc.js';
import { demoEmployerUscc, demoPeople } from './demo-deposits.js';
import type { DevIdpPersona } from './dev-idp-oauth.js';

const subject = (role: string, identity: string) =>
  `dev-${role}-${createHash('sha256').update(`${role}:${identity}`).digest('hex').slice(0, 12)}`;

/** The walk-through's 济宁 enterprise: not registered by the seed, it registers itself (开户). */
export function demoNewEmployerUscc(): string {
  const first17 = '91370800MA3C7Q2K1';
  return first17 + usccCheckCharacter(first17);
}

export function demoPersonas(): DevIdpPersona[] {
  const citizens = demoPeople()
    .sort((a, b) => b.centres.length - a.centres.length)
    .map((person): DevIdpPersona => {
      const cities = person.centres.map((c) => CITIES[c]);
      return {
        id: `citizen-${person.idNumber.slice(-6)}`,
        group: 'citizen',
        city: person.centres[0] as DevIdpPersona['city'],
        labelZh: `${person.name}（${maskIdNumber(person.idNumber)}）· 账户：${cities.map((c) => c.nameZh).join('、')}`,
        labelEn: `${person.name} (${maskIdNumber(person.idNumber)}), accounts in ${cities.map((c) => c.nameEn).join(' and ')}`,
        claims: { sub: subject('citizen', person.idNumber), role: 'citizen', idNumber: person.idNumber },
      };
    });
  const perCity = CITY_CODES.flatMap((city): DevIdpPersona[] => {
    const { nameZh, nameEn } = CITIES[city];
    const uscc = demoEmployerUscc(city);
    return [
      {
        id: `employer-${city}`,
        group: 'employer',
        city,
        labelZh: `${nameZh}市淮海示范科技有限公司（演示）· ${uscc}`,
        labelEn: `${nameEn}'s demo employer ${uscc}`,
        claims: { sub: `demo-employer-${city}`, role: 'employer', uscc, city },
      },
      {
        id: `agent-${city}`,
        group: 'agent',
        city,
        labelZh: `${nameZh} 受托银行网点 ${city}-BANK-0001`,
        labelEn: `${nameEn} agent bank branch ${city}-BANK-0001`,
        claims: { sub: `demo-agent-${city}`, role: 'agent', city, agentOrgId: `${city}-BANK-0001` },
      },
      ...(['A', 'B'] as const).map(
        (clerk): DevIdpPersona => ({
          id: `staff-${city}-${clerk}`,
          group: 'staff',
          city,
          labelZh: `${nameZh}中心工作人员 ${clerk}`,
          labelEn: `${nameEn} centre staff member ${clerk}`,
          claims: { sub: `demo-staff-${city}-${clerk}`, role: 'staff', city },
        }),
      ),
    ];
  });
  const newEmployer: DevIdpPersona = {
    id: 'employer-370800-new',
    group: 'employer',
    city: '370800',
    labelZh: `济宁运河文旅有限公司（演示，未开户）· ${demoNewEmployerUscc()}`,
    labelEn: `Jining's not yet registered demo employer ${demoNewEmployerUscc()}`,
    claims: {
      sub: 'demo-employer-370800-new',
      role: 'employer',
      uscc: demoNewEmployerUscc(),
      city: '370800',
    },
  };
  return [...citizens, ...perCity, newEmployer, ...voluntaryPersonas(), ...LIST_PERSONAS];
}

// ── Voluntary deposits and the citizen's restrictions (portal pages) ──
/**
 * People with no employer anywhere: each may open a voluntary account (灵活就业人员自愿缴存), and
 * their restrictions page starts empty. DEMO ID numbers, valid in form only.
 */
export const DEMO_SELF_EMPLOYED = [
  { name: '钱自缴', idNumber: demoIdNumber('3203021988-06-18071') },
  { name: '冯灵活', idNumber: demoIdNumber('3713021991-09-02082') },
  { name: '褚公示', idNumber: demoIdNumber('3714021987-03-11093') },
] as const;

function demoIdNumber(spec: string): string {
  const first17 = spec.replaceAll('-', '');
  return first17 + idNumberCheckCharacter(first17);
}

/** The self-employed citizens, and each centre's collecting bank (归集银行: confirms a voluntary deposit's payment). */
function voluntaryPersonas(): DevIdpPersona[] {
  const people = DEMO_SELF_EMPLOYED.map(
    (person): DevIdpPersona => ({
      id: `citizen-self-${person.idNumber.slice(-6)}`,
      group: 'citizen',
      city: '320300',
      labelZh: `${person.name}（${maskIdNumber(person.idNumber)}）· 灵活就业，无单位账户`,
      labelEn: `${person.name} (${maskIdNumber(person.idNumber)}), self-employed, no employer account`,
      claims: { sub: subject('citizen', person.idNumber), role: 'citizen', idNumber: person.idNumber },
    }),
  );
  const banks = CITY_CODES.map(
    (city): DevIdpPersona => ({
      id: `agent-collecting-${city}`,
      group: 'agent',
      city,
      labelZh: `${CITIES[city].nameZh} 归集银行 BANK-${city}`,
      labelEn: `${CITIES[city].nameEn} collecting bank BANK-${city}`,
      claims: { sub: `demo-collecting-${city}`, role: 'agent', city, agentOrgId: `BANK-${city}` },
    }),
  );
  return [...people, ...banks];
}

/**
 * 我的办件 and 退票 browser tests (test/browser/my-applications.test.ts): citizens the seed gives no
 * account, so that the test makes all they hold and no other test's data is theirs. DEMO only.
 */
const listCitizen = (first17: string, labelZh: string, labelEn: string): DevIdpPersona => {
  const idNumber = first17 + idNumberCheckCharacter(first17);
  return {
    id: `citizen-list-${idNumber.slice(-6)}`,
    group: 'citizen',
    city: '340600',
    labelZh: `${labelZh}（${maskIdNumber(idNumber)}）· 浏览器测试用，无演示账户`,
    labelEn: `${labelEn} (${maskIdNumber(idNumber)}), for the browser tests, no demo account`,
    claims: { sub: subject('citizen', idNumber), role: 'citizen', idNumber },
  };
};
export const LIST_PERSONAS: readonly DevIdpPersona[] = [
  listCitizen('34060219910304771', '办件甲', 'Applicant A'),
  listCitizen('34060219920405772', '办件乙', 'Applicant B'),
  listCitizen('34060219930506773', '退票丙', 'Payee C'),
];
