/**
 * Cross-centre risk checks survive a crash between the committed work and the case (issue 12): the
 * work is resumed or asked again, and the case is raised then, once. Faults are injected by wrapping
 * the real repository.
 */
import { describe, expect, it } from '@jest/globals';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { remit } from '../../shared/deposits/remittance.js';
import { openEmployerAccount, openPersonalAccount } from '../../shared/deposits/store.js';
import { duplicateDepositCaseId } from '../../shared/enforcement/risk.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { cancelRecord } from '../../shared/property/register.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { getWithdrawal } from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomUscc } from '../support/depositors.js';
import { useLocalRegion } from '../support/local-region.js';
import { registerProperty } from '../support/properties.js';
import { eventually } from '../support/region.js';

const region = useLocalRegion();
const LINYI: CityCode = '371300';
const SHANGQIU: CityCode = '411400';

/** The repository, dying on the first call of `operation` on a key with `prefix` (a crash there). */
function crashingOn(real: CentreRepository, operation: 'get' | 'update', prefix: string): CentreRepository {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== operation) return Reflect.get(target, prop, receiver);
      return async (first: { PK?: string; Key?: { PK: string } }, ...rest: unknown[]) => {
        const pk = first.PK ?? first.Key?.PK ?? '';
        if (pk.startsWith(prefix)) throw new Error('injected crash');
        return (target[operation] as (...args: unknown[]) => Promise<unknown>).call(target, first, ...rest);
      };
    },
  });
}

async function casesIn(city: CityCode, caseId: string) {
  const token = await region.api.token({ sub: 'risk-reader', role: 'staff', city });
  const answer = (await (await region.api.request('GET', '/v1/staff/risk-cases', { token })).json()) as {
    cases: { caseId: string }[];
  };
  return answer.cases.filter((c) => c.caseId === caseId);
}

describe('a crash before the risk case', () => {
  it('of a cancellation after a paid purchase withdrawal: asking to cancel again raises it in each centre, once', async () => {
    const buyer = await makeDepositor([SHANGQIU], 12);
    const onlineSigningNo = await registerProperty(LINYI, [buyer.idNumber]);
    const token = await region.api.token({ sub: 'buyer', role: 'citizen', idNumber: buyer.idNumber });
    const accepted = await region.api.request('POST', '/v1/me/withdrawals', {
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: {
        type: 'purchase',
        personalAccountNo: buyer.accounts[SHANGQIU],
        bankAccount: { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国银行' },
        amountFen: 10_000,
        property: { onlineSigningNo, city: LINYI },
      },
    });
    const id = ((await accepted.json()) as { applicationId: string }).applicationId;
    const paid = await eventually(async () => {
      const w = await getWithdrawal(centreRepository(SHANGQIU), id);
      return w && w.status !== 'awaiting_facts' ? w : undefined;
    });
    expect(paid.status).toBe('paid');
    // The cancellation commits; the process dies before it reads the tally for the risk check.
    await expect(
      cancelRecord(
        crashingOn(centreRepository(LINYI), 'get', 'R#PROPERTY'),
        onlineSigningNo,
        { reason: '撤销备案', evidenceRef: '临住建撤〔2026〕3号' },
        { subject: 'ly-a', city: LINYI },
        new Date(),
      ),
    ).rejects.toThrow('injected crash');
    const caseId = `${LINYI}#${onlineSigningNo}`;
    expect(await casesIn(LINYI, caseId)).toHaveLength(0);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const again = await region.api.request(
        'POST',
        `/v1/staff/property-records/${onlineSigningNo}/cancellation`,
        {
          token: await region.api.token({ sub: 'ly-a', role: 'staff', city: LINYI }),
          json: { reasonZh: '住建局撤销备案通知', evidenceRef: '临住建撤〔2026〕3号' },
        },
      );
      expect(again.status).toBe(409);
    }
    expect(await casesIn(LINYI, caseId)).toHaveLength(1);
    expect(await casesIn(SHANGQIU, caseId)).toHaveLength(1);
  });

  it('of a remittance chunk (重复缴存): the resumed remittance notes the month and raises it in each centre, once', async () => {
    const person = await makeDepositor([SHANGQIU], 1);
    const month = addMonths(monthOf(toBeijingDate(new Date())), -1);
    const linyi = centreRepository(LINYI);
    const opened = await openEmployerAccount(linyi, {
      uscc: randomUscc(LINYI),
      usccCheckCharacterValid: true,
      name: '临沂测试单位',
      address: '临沂市兰山区 1 号',
      contactName: '测试',
      contactPhone: '13800000000',
      payday: 10,
      openedAt: `${month}-01T00:00:00.000Z`,
      openedBy: 'test',
    });
    if (!opened.opened) throw new Error('employer not opened');
    const { employerAccountNo } = opened.record;
    const params = parametersInForce(LINYI, toBeijingDate(new Date()));
    await openPersonalAccount(linyi, {
      employerAccountNo,
      personKey: person.personKey,
      name: '测试人',
      idNumberMasked: maskIdNumber(person.idNumber),
      monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 1200,
      ruleVersion: params.ruleVersion,
      openedAt: `${month}-01T00:00:00.000Z`,
    });
    const input = {
      employerAccountNo,
      month,
      idempotencyKey: `risk-${month}-${crypto.randomUUID()}`,
      now: new Date(`${month}-10T02:00:00Z`),
    };
    await expect(remit(crashingOn(linyi, 'update', 'R#DEPOSITMONTH'), input)).rejects.toThrow(
      'injected crash',
    );
    await remit(linyi, input);
    await remit(linyi, input);
    const caseId = duplicateDepositCaseId(person.personKey, month);
    expect(await casesIn(LINYI, caseId)).toHaveLength(1);
    expect(await casesIn(SHANGQIU, caseId)).toHaveLength(1);
  });
});
