/**
 * Joint enforcement in the local region (issue 12): a record confirmed in 临沂 refuses the person's
 * loan in 徐州 and withdrawal in 商丘, naming the record and 临沂 (never its evidence); an unconfirmed
 * one does nothing; a lifted one stops refusing, and only its own bar goes. Four eyes at both ends;
 * another centre's staff can neither lift nor read the evidence. The citizen sees the restriction
 * and every disclosure made for their loan application; the centre's audit shows each action.
 */
import { describe, expect, it } from '@jest/globals';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { changeDepositTerms, getEmployer, getPersonalAccount } from '../../shared/deposits/store.js';
import { duplicateDepositCaseId, noteDepositMonth } from '../../shared/enforcement/risk.js';
import { getLoan } from '../../shared/loans/disburse.js';
import { answerDepositFactsRequest } from '../../shared/loans/facts.js';
import { violationKey } from '../../shared/loans/store.js';
import { type MessageOf, parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository, workerRepository } from '../../shared/persistence/centre-repository.js';
import { getWithdrawal, type WithdrawalRecord } from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy, registerProperty } from '../support/properties.js';
import { eventually } from '../support/region.js';

const region = useLocalRegion();

const LINYI: CityCode = '371300';
const XUZHOU: CityCode = '320300';
const SHANGQIU: CityCode = '411400';
const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国银行商丘分行' };
const EVIDENCE = '临公积金稽查卷〔2026〕88号-机密';
const FACTS = '伪造购房合同骗提住房公积金 12 万元（稽查笔录）';

const key = () => `enf-${crypto.randomUUID()}`;
const staff = (city: CityCode, sub: string) => region.api.token({ sub, role: 'staff', city });
const citizen = (idNumber: string) =>
  region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });

async function post(path: string, token: string, json: unknown, idempotencyKey: string | undefined = key()) {
  const response = await region.api.request('POST', path, {
    token,
    json,
    ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(path: string, token: string) {
  const response = await region.api.request('GET', path, { token });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function recordBody(idNumber: string, kind: string) {
  return {
    subject: { idNumber },
    kind,
    facts: FACTS,
    evidenceRefs: [EVIDENCE],
    decisionDocument: { number: '临公积金罚〔2026〕7号', date: toBeijingDate(new Date()) },
    objection: '对本决定不服的，可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼。',
  };
}

/** Recorded by one 临沂 staff member and confirmed by another: its id. */
async function confirmedRecord(idNumber: string, kind: string): Promise<string> {
  const recorded = await post(
    '/v1/staff/enforcement-records',
    await staff(LINYI, 'ly-a'),
    recordBody(idNumber, kind),
  );
  expect(recorded.status).toBe(201);
  const id = String(recorded.body.recordId);
  const confirmed = await post(
    `/v1/staff/enforcement-records/${id}/confirmation`,
    await staff(LINYI, 'ly-b'),
    { outcome: 'confirm' },
  );
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.status).toBe('approved');
  return id;
}

const loanRequest = (home: { propertyCity: CityCode; onlineSigningNo: string }) => ({
  lendingCity: XUZHOU,
  ...home,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment',
  declaredHomeOrder: 'first',
  otherMonthlyDebtFen: 0,
  maritalStatus: 'single',
});

async function applyForLoan(idNumber: string) {
  const accepted = await post(
    '/v1/me/loan-applications',
    await citizen(idNumber),
    loanRequest(await homeBoughtBy(idNumber, XUZHOU)),
  );
  expect(accepted.status).toBe(202);
  return decided(XUZHOU, String(accepted.body.applicationId));
}

async function withdraw(idNumber: string, body: Record<string, unknown>): Promise<WithdrawalRecord> {
  const accepted = await post('/v1/me/withdrawals', await citizen(idNumber), body);
  expect(accepted.status).toBe(202);
  const id = String(accepted.body.applicationId);
  return eventually(
    async () => {
      const w = await getWithdrawal(centreRepository(SHANGQIU), id);
      return w && w.status !== 'awaiting_facts' ? w : undefined;
    },
    20_000,
    `a decision on ${id}`,
  );
}

async function purchaseInShangqiu(idNumber: string, accountNo: string) {
  const onlineSigningNo = await registerProperty(SHANGQIU, [idNumber]);
  return withdraw(idNumber, {
    type: 'purchase',
    personalAccountNo: accountNo,
    bankAccount: bank,
    amountFen: 10_000,
    property: { onlineSigningNo, city: SHANGQIU },
  });
}

describe('a record confirmed in 临沂 is enforced in every centre', () => {
  it('refuses the loan in 徐州 and the withdrawal in 商丘 naming it; a lift removes only its own bar', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const accountNo = person.accounts[SHANGQIU] as string;
    const loanBar = await confirmedRecord(person.idNumber, 'fraudulent-loan');
    const withdrawalBar = await confirmedRecord(person.idNumber, 'fraudulent-withdrawal');

    const loan = await applyForLoan(person.idNumber);
    expect(loan.status).toBe('rejected');
    const loanReason = loan.reasons?.find((r) => r.code === 'ON_VIOLATION_LIST');
    expect(loanReason?.message['zh-CN']).toContain(`临沂住房公积金中心的记录 ${loanBar}`);
    expect(loanReason?.message['zh-CN']).not.toContain(withdrawalBar);
    const withdrawal = await purchaseInShangqiu(person.idNumber, accountNo);
    expect(withdrawal.status).toBe('rejected');
    expect(withdrawal.reasons?.map((r) => r.code)).toEqual(['WITHDRAWAL_BARRED']);
    expect(withdrawal.reasons?.[0]?.message.en).toContain(`record ${withdrawalBar} of the Linyi HPF centre`);
    expect(withdrawal.payoutFen).toBeUndefined();
    // Never the evidence or the facts, to the applicant or to the deciding centre's record.
    for (const text of [JSON.stringify(loan), JSON.stringify(withdrawal)]) {
      expect(text).not.toContain(EVIDENCE);
      expect(text).not.toContain('伪造购房合同');
    }

    // The citizen sees both, until when, and whom to contact.
    const mine = await get('/v1/me/restrictions', await citizen(person.idNumber));
    expect(mine.status).toBe(200);
    const restrictions = mine.body.restrictions as {
      recordId: string;
      city: string;
      bars: { service: string }[];
    }[];
    expect(restrictions.map((r) => [r.recordId, r.city, r.bars.map((b) => b.service)])).toEqual([
      [loanBar, LINYI, ['loans']],
      [withdrawalBar, LINYI, ['withdrawals']],
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(EVIDENCE);

    // ...and every disclosure made for the loan application: 商丘 told 徐州 its deposit facts.
    const disclosures = (await get('/v1/me/disclosures', await citizen(person.idNumber))).body
      .disclosures as {
      disclosedBy: string;
      learntBy: string;
      applicationId: string;
      fields: string[];
      purpose: string;
    }[];
    const forLoan = disclosures.filter((d) => d.applicationId === loan.applicationId);
    // Its deposit facts from 商丘 and from 徐州 itself (no account there), the home's record from 徐州's register.
    expect(forLoan.map((d) => [d.disclosedBy, d.learntBy, d.purpose]).sort()).toEqual(
      [
        [SHANGQIU, XUZHOU, 'loan-application'],
        [XUZHOU, XUZHOU, 'loan-application'],
        [XUZHOU, XUZHOU, 'loan-application'],
      ].sort(),
    );
    expect(forLoan.map((d) => d.fields.includes('registeredPriceFen'))).toContain(true);
    expect(forLoan.find((d) => d.disclosedBy === SHANGQIU)?.fields).toContain('balanceFen');
    expect(JSON.stringify(disclosures)).not.toMatch(/requestId|correlationId|personKey/);

    // 徐州's staff can neither lift it nor read its evidence.
    const xuzhouStaff = await staff(XUZHOU, 'xz-a');
    expect((await get(`/v1/staff/enforcement-records/${loanBar}`, xuzhouStaff)).status).toBe(404);
    expect(
      (await post(`/v1/staff/enforcement-records/${loanBar}/lift`, xuzhouStaff, { reasonZh: '撤销' })).status,
    ).toBe(404);
    const own = await get(`/v1/staff/enforcement-records/${loanBar}`, await staff(LINYI, 'ly-c'));
    expect((own.body.record as { evidenceRefs: string[] }).evidenceRefs).toEqual([EVIDENCE]);

    // Lift, four eyes: asked by one, the same person cannot confirm, another does.
    const asked = await post(`/v1/staff/enforcement-records/${loanBar}/lift`, await staff(LINYI, 'ly-a'), {
      reasonZh: '行政复议决定撤销原处理决定',
    });
    expect(asked.status).toBe(200);
    const self = await post(
      `/v1/staff/enforcement-records/${loanBar}/lift/confirmation`,
      await staff(LINYI, 'ly-a'),
      {
        outcome: 'confirm',
      },
    );
    expect([self.status, self.body.code]).toEqual([403, 'OWN_DECISION']);
    // Still in force while the lift waits.
    expect((await applyForLoan(person.idNumber)).status).toBe('rejected');
    const lifted = await post(
      `/v1/staff/enforcement-records/${loanBar}/lift/confirmation`,
      await staff(LINYI, 'ly-b'),
      {
        outcome: 'confirm',
      },
    );
    expect([lifted.status, lifted.body.status]).toEqual([200, 'withdrawn']);

    // The regional entry keeps the other record only.
    const entry = await centreRepository(XUZHOU).get(violationKey(person.personKey), { consistent: true });
    expect(Object.keys(entry ?? {}).filter((name) => name.startsWith('record#'))).toEqual([
      `record#${withdrawalBar}`,
    ]);
    expect((await applyForLoan(person.idNumber)).status).toBe('approved');
    expect((await purchaseInShangqiu(person.idNumber, accountNo)).reasons?.[0]?.code).toBe(
      'WITHDRAWAL_BARRED',
    );

    // The 临沂 audit has each step; a lookup is not needed here.
    const today = toBeijingDate(new Date());
    const audit = await get(
      `/v1/staff/audit?from=${today}&to=${today}&limit=1000`,
      await staff(LINYI, 'ly-c'),
    );
    const actions = (audit.body.lines as { action: string; applicationId: string }[])
      .filter((l) => l.applicationId === loanBar)
      .map((l) => l.action);
    expect(actions).toEqual([
      'record-enforcement',
      'confirm-enforcement',
      'request-enforcement-lift',
      'confirm-enforcement-lift',
    ]);
  });

  it('an unconfirmed record does nothing, and its recorder cannot confirm it', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const recorder = await staff(LINYI, 'ly-a');
    const recorded = await post(
      '/v1/staff/enforcement-records',
      recorder,
      recordBody(person.idNumber, 'fraudulent-loan'),
    );
    expect([recorded.status, recorded.body.status]).toEqual([201, 'pending_confirmation']);
    const id = String(recorded.body.recordId);
    const self = await post(`/v1/staff/enforcement-records/${id}/confirmation`, recorder, {
      outcome: 'confirm',
    });
    expect([self.status, self.body.code]).toEqual([403, 'OWN_DECISION']);
    // Staff of another centre do not even find it.
    const other = await post(
      `/v1/staff/enforcement-records/${id}/confirmation`,
      await staff(XUZHOU, 'xz-b'),
      {
        outcome: 'confirm',
      },
    );
    expect(other.status).toBe(404);
    expect((await applyForLoan(person.idNumber)).status).toBe('approved');
    expect((await get('/v1/me/restrictions', await citizen(person.idNumber))).body.restrictions).toEqual([]);
    // Returned by the second staff member, with a reason: it never takes effect.
    const returned = await post(
      `/v1/staff/enforcement-records/${id}/confirmation`,
      await staff(LINYI, 'ly-b'),
      {
        outcome: 'return',
        reasonZh: '证据不足',
      },
    );
    expect(returned.body.status).toBe('rejected');
    const lift = await post(`/v1/staff/enforcement-records/${id}/lift`, recorder, { reasonZh: '无' });
    expect([lift.status, lift.body.code]).toEqual([409, 'ENFORCEMENT_RECORD_NOT_IN_FORCE']);
  });

  it('a closing withdrawal of a barred person goes to staff review, and two staff can pay it', async () => {
    const person = await makeDepositor([SHANGQIU], 6, randomIdNumber(1958, 'male'));
    const id = await confirmedRecord(person.idNumber, 'fraudulent-withdrawal');
    const retirement = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: person.accounts[SHANGQIU],
      bankAccount: bank,
    });
    expect(retirement.status).toBe('review');
    expect(retirement.reasons?.map((r) => r.code)).toEqual(['WITHDRAWAL_BAR_REVIEW']);
    expect(retirement.reasons?.[0]?.message['zh-CN']).toContain(id);
    // The region-wide look-up for the case in hand: 商丘's staff name their own application, never an ID number.
    const lookup = await post(
      '/v1/staff/enforcement-lookups',
      await staff(SHANGQIU, 'sq-a'),
      { applicationId: retirement.applicationId },
      undefined,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body.applicant).toEqual([
      expect.objectContaining({ recordId: id, city: LINYI, kind: 'fraudulent-withdrawal' }),
    ]);
    expect(JSON.stringify(lookup.body)).not.toContain(EVIDENCE);
    // Another centre's staff cannot look up 商丘's case.
    const foreign = await post(
      '/v1/staff/enforcement-lookups',
      await staff(XUZHOU, 'xz-a'),
      { applicationId: retirement.applicationId },
      undefined,
    );
    expect(foreign.status).toBe(404);
    const decided = await post(
      `/v1/staff/applications/${retirement.applicationId}/decision`,
      await staff(SHANGQIU, 'sq-a'),
      { outcome: 'approve' },
      undefined,
    );
    expect(decided.status).toBe(200);
    const confirmed = await post(
      `/v1/staff/applications/${retirement.applicationId}/confirmation`,
      await staff(SHANGQIU, 'sq-b'),
      { outcome: 'confirm' },
    );
    expect([confirmed.status, confirmed.body.status]).toEqual([200, 'paid']);
    // Once decided it is no longer a case in hand; the look-up it had is in 商丘's audit.
    const closed = await post(
      '/v1/staff/enforcement-lookups',
      await staff(SHANGQIU, 'sq-a'),
      { applicationId: retirement.applicationId },
      undefined,
    );
    expect([closed.status, closed.body.code]).toEqual([409, 'ENFORCEMENT_LOOKUP_CASE_CLOSED']);
    const today = toBeijingDate(new Date());
    const audit = await get(
      `/v1/staff/audit?from=${today}&to=${today}&limit=1000`,
      await staff(SHANGQIU, 'sq-c'),
    );
    const lines = (audit.body.lines as { action: string; applicationId: string; staff: string }[]).filter(
      (l) => l.applicationId === retirement.applicationId,
    );
    expect(lines.map((l) => [l.action, l.staff])).toEqual(
      expect.arrayContaining([
        ['enforcement-lookup', 'sq-a'],
        ['decide', 'sq-a'],
        ['confirm', 'sq-b'],
      ]),
    );
    expect(lines.filter((l) => l.action === 'enforcement-lookup')).toHaveLength(1);
  });

  it('the look-up is a disclosure of the recording centre: the person sees it, once per look-up', async () => {
    const person = await makeDepositor([SHANGQIU], 6, randomIdNumber(1958, 'male'));
    await confirmedRecord(person.idNumber, 'fraudulent-withdrawal');
    const retirement = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: person.accounts[SHANGQIU],
      bankAccount: bank,
    });
    const lookups = await Promise.all(
      Array.from({ length: 3 }, async () =>
        post(
          '/v1/staff/enforcement-lookups',
          await staff(SHANGQIU, 'sq-a'),
          { applicationId: retirement.applicationId },
          undefined,
        ),
      ),
    );
    expect(lookups.map((l) => l.status)).toEqual([200, 200, 200]);
    const seen = await get('/v1/me/disclosures', await citizen(person.idNumber));
    const ofLookups = (seen.body.disclosures as Record<string, unknown>[]).filter(
      (d) => d.purpose === 'enforcement-lookup',
    );
    expect(ofLookups).toHaveLength(3);
    for (const d of ofLookups) {
      expect(d).toMatchObject({ applicationId: retirement.applicationId });
      expect(JSON.stringify(d)).toContain(LINYI);
      expect(JSON.stringify(d)).toContain(SHANGQIU);
      expect(JSON.stringify(d)).not.toContain(EVIDENCE);
    }
  });

  it('a loan approved before a 骗贷 record is not disbursed once the record is in force', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const loan = await applyForLoan(person.idNumber);
    expect(loan.status).toBe('approved');
    const id = await confirmedRecord(person.idNumber, 'fraudulent-loan');
    const disbursed = await region.api.request('POST', `/v1/staff/loans/${loan.loanId}/disbursement`, {
      token: await staff(XUZHOU, 'xz-a'),
      headers: { 'idempotency-key': key() },
    });
    expect(disbursed.status).toBe(422);
    const problem = (await disbursed.json()) as {
      code: string;
      reasons: { code: string; message: Record<string, string> }[];
    };
    expect(problem.code).toBe('LOAN_BARRED');
    expect(problem.reasons.map((r) => r.code)).toEqual(['ON_VIOLATION_LIST']);
    expect(problem.reasons[0]?.message['zh-CN']).toContain(id);
    expect(JSON.stringify(problem)).not.toContain(EVIDENCE);
    expect(await getLoan(centreRepository(XUZHOU), loan.loanId as string)).toBeUndefined();
  });

  it('a decision dated before the Regulations or before the person’s birth, or an ID number in the text, is a 400', async () => {
    const person = await makeDepositor([SHANGQIU], 6, randomIdNumber(2000, 'male'));
    const token = await staff(LINYI, 'ly-a');
    const base = recordBody(person.idNumber, 'fraudulent-withdrawal');
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { decisionDocument: { ...base.decisionDocument, date: '1990-01-01' } },
        'decisionDocument.date',
        'DATE_BEFORE_REGULATIONS',
      ],
      [
        { decisionDocument: { ...base.decisionDocument, date: '1999-05-01' } },
        'decisionDocument.date',
        'DATE_BEFORE_BIRTH',
      ],
      [{ facts: `当事人身份证号 ${person.idNumber} 骗提` }, 'facts', 'TEXT_CONTAINS_ID_NUMBER'],
      [
        { evidenceRefs: [EVIDENCE, `卷 ${person.idNumber.toLowerCase()}`] },
        'evidenceRefs.1',
        'TEXT_CONTAINS_ID_NUMBER',
      ],
    ];
    for (const [change, field, code] of cases) {
      const refused = await post('/v1/staff/enforcement-records', token, { ...base, ...change });
      expect([refused.status, refused.body.errors]).toEqual([
        400,
        [expect.objectContaining({ field, code })],
      ]);
    }
  });

  it('the answer to recording keeps no facts or evidence (it is kept for replays outside the centre)', async () => {
    const person = await makeDepositor([SHANGQIU], 6);
    const recorded = await post(
      '/v1/staff/enforcement-records',
      await staff(LINYI, 'ly-a'),
      recordBody(person.idNumber, 'other'),
    );
    expect(recorded.status).toBe(201);
    expect(JSON.stringify(recorded.body)).not.toContain(EVIDENCE);
    expect(JSON.stringify(recorded.body)).not.toContain(FACTS);
    const shown = await get(
      `/v1/staff/enforcement-records/${recorded.body.recordId}`,
      await staff(LINYI, 'ly-b'),
    );
    expect(shown.body.record).toMatchObject({ facts: FACTS, evidenceRefs: [EVIDENCE] });
  });

  it('the same Idempotency-Key answers the first record; with another body it is refused', async () => {
    const idNumber = randomIdNumber();
    const token = await staff(LINYI, 'ly-a');
    const k = key();
    const first = await post('/v1/staff/enforcement-records', token, recordBody(idNumber, 'other'), k);
    const again = await post('/v1/staff/enforcement-records', token, recordBody(idNumber, 'other'), k);
    expect(again.body.recordId).toBe(first.body.recordId);
    const reused = await post(
      '/v1/staff/enforcement-records',
      token,
      recordBody(idNumber, 'fraudulent-loan'),
      k,
    );
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    // An employer kind against a person, and a decision dated in the future, are 400s naming the field.
    const wrongKind = await post(
      '/v1/staff/enforcement-records',
      token,
      recordBody(idNumber, 'employer-arrears'),
    );
    expect(wrongKind.status).toBe(400);
    const future = await post('/v1/staff/enforcement-records', token, {
      ...recordBody(idNumber, 'other'),
      decisionDocument: { number: 'x', date: '2099-01-01' },
    });
    expect(JSON.stringify(future.body)).toContain('DATE_IN_FUTURE');
    const list = await get('/v1/staff/enforcement-records', token);
    expect((list.body.records as { recordId: string }[]).map((r) => r.recordId)).toContain(
      first.body.recordId,
    );
    expect(
      (await get('/v1/staff/enforcement-records', await staff(XUZHOU, 'xz-a'))).body.records,
    ).not.toContainEqual(expect.objectContaining({ recordId: first.body.recordId }));
  });

  it('an employer in arrears is flagged on its remittances and in its employees’ loan facts, never refused', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const account = await getPersonalAccount(centreRepository(SHANGQIU), person.accounts[SHANGQIU] as string);
    const employer = await getEmployer(centreRepository(SHANGQIU), account?.employerAccountNo as string);
    const uscc = employer?.uscc as string;
    const recorded = await post('/v1/staff/enforcement-records', await staff(LINYI, 'ly-a'), {
      ...recordBody(person.idNumber, 'employer-arrears'),
      subject: { uscc },
    });
    expect(recorded.status).toBe(201);
    const id = String(recorded.body.recordId);
    await post(`/v1/staff/enforcement-records/${id}/confirmation`, await staff(LINYI, 'ly-b'), {
      outcome: 'confirm',
    });

    const loan = await applyForLoan(person.idNumber);
    expect(loan.status).toBe('approved');
    expect(loan.facts[SHANGQIU]).toMatchObject({ employerInArrears: true, onViolationList: false });
    // The employee is not restricted; the employer is told on its remittance.
    expect((await get('/v1/me/restrictions', await citizen(person.idNumber))).body.restrictions).toEqual([]);
    const token = await region.api.token({ sub: 'hr-sq', role: 'employer', uscc, city: SHANGQIU });
    const remitted = await post(`/v1/employers/${employer?.employerAccountNo}/remittances`, token, {
      month: monthOf(toBeijingDate(new Date())),
    });
    expect(remitted.status).toBe(201);
    expect(remitted.body.enforcementFlags).toEqual([
      expect.objectContaining({ recordId: id, city: LINYI, kind: 'employer-arrears' }),
    ]);
  });

  it('races: two confirmers of one record, one wins; records of two centres confirmed at once both stand', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const recorded = await post(
      '/v1/staff/enforcement-records',
      await staff(LINYI, 'ly-a'),
      recordBody(person.idNumber, 'fraudulent-loan'),
    );
    const id = String(recorded.body.recordId);
    const [b, c] = [await staff(LINYI, 'ly-b'), await staff(LINYI, 'ly-c')];
    const answers = await Promise.all(
      [b, c].map((token) =>
        post(`/v1/staff/enforcement-records/${id}/confirmation`, token, { outcome: 'confirm' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const timeline = (await get(`/v1/staff/enforcement-records/${id}`, b)).body.timeline as unknown[];
    expect(timeline).toHaveLength(2);

    // 徐州 and 商丘 each record the same person; both confirmations land at once.
    const other = await Promise.all(
      ([XUZHOU, SHANGQIU] as const).map(async (city) => {
        const r = await post(
          '/v1/staff/enforcement-records',
          await staff(city, `${city}-a`),
          recordBody(person.idNumber, 'fraudulent-withdrawal'),
        );
        return { city, id: String(r.body.recordId) };
      }),
    );
    await Promise.all(
      other.map(async ({ city, id: recordId }) =>
        expect(
          (
            await post(
              `/v1/staff/enforcement-records/${recordId}/confirmation`,
              await staff(city, `${city}-b`),
              {
                outcome: 'confirm',
              },
            )
          ).status,
        ).toBe(200),
      ),
    );
    const mine = (await get('/v1/me/restrictions', await citizen(person.idNumber))).body.restrictions as {
      recordId: string;
      city: string;
    }[];
    expect(mine.map((r) => r.recordId).sort()).toEqual([id, ...other.map((o) => o.id)].sort());
  });

  it('a bar confirmed while a withdrawal waits in review: staff cannot approve it past the rule', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    // A record the register does not hold: the purchase goes to staff review.
    const waiting = await withdraw(person.idNumber, {
      type: 'purchase',
      personalAccountNo: person.accounts[SHANGQIU],
      bankAccount: bank,
      amountFen: 10_000,
      property: { onlineSigningNo: 'WQ-NOT-ON-REGISTER', city: SHANGQIU },
    });
    expect(waiting.status).toBe('review');
    await confirmedRecord(person.idNumber, 'fraudulent-withdrawal');
    const approval = await post(
      `/v1/staff/applications/${waiting.applicationId}/decision`,
      await staff(SHANGQIU, 'sq-a'),
      { outcome: 'approve', approvedFen: 10_000 },
      undefined,
    );
    expect([approval.status, approval.body.code]).toEqual([422, 'NO_COMPUTED_LIMIT']);
    expect(JSON.stringify(approval.body)).toContain('WITHDRAWAL_BARRED');
  });

  it('risk check: a deposit base raised before the loan raises one case in each centre involved, once', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const accountNo = person.accounts[SHANGQIU] as string;
    const account = await getPersonalAccount(centreRepository(SHANGQIU), accountNo);
    const thisMonth = monthOf(toBeijingDate(new Date()));
    const base = account?.monthlyDepositBaseFen as number;
    // The employer raised the base by half this month (as a PATCH effective this month would).
    await centreRepository(SHANGQIU).update({
      Key: { PK: account?.PK as string, SK: account?.SK as string },
      UpdateExpression: 'SET termsHistory = list_append(termsHistory, :raise)',
      ExpressionAttributeValues: {
        ':raise': [
          {
            effectiveMonth: thisMonth,
            monthlyDepositBaseFen: Math.round(base * 1.5),
            employeeRateBasisPoints: 1200,
            employerRateBasisPoints: 1200,
          },
        ],
      },
    });
    const loan = await applyForLoan(person.idNumber);
    expect(loan.facts[SHANGQIU]).toMatchObject({ depositBaseRaisedRecently: true });
    const casesOf = async (city: CityCode) =>
      (
        (await get('/v1/staff/risk-cases', await staff(city, `${city}-risk`))).body.cases as {
          applicationId: string;
        }[]
      ).filter((c) => c.applicationId === loan.applicationId);
    expect(await casesOf(SHANGQIU)).toEqual([
      expect.objectContaining({ check: 'deposit-base-raised', cities: [XUZHOU, SHANGQIU] }),
    ]);
    expect(
      await eventually(
        async () => ((await casesOf(XUZHOU)).length ? casesOf(XUZHOU) : undefined),
        5_000,
        'the case in 徐州',
      ),
    ).toHaveLength(1);
    // The request delivered again: answered again, still one case in each centre.
    const request = parseEnvelope(loan.requests[SHANGQIU]?.message as string);
    await answerDepositFactsRequest(
      request as MessageOf<'deposit-facts-request'>,
      workerRepository(SHANGQIU),
    );
    expect(await casesOf(SHANGQIU)).toHaveLength(1);
    expect(await casesOf(XUZHOU)).toHaveLength(1);
    // Another applicant with a steady base raises none.
    const steady = await makeDepositor([SHANGQIU], 12);
    const steadyLoan = await applyForLoan(steady.idNumber);
    expect(steadyLoan.facts[SHANGQIU]).toMatchObject({ depositBaseRaisedRecently: false });
  });

  it('risk check: a record cancelled after a purchase withdrawal was paid on it raises one case per centre, once', async () => {
    const buyer = await makeDepositor([SHANGQIU], 12);
    const onlineSigningNo = await registerProperty(LINYI, [buyer.idNumber]);
    const paid = await withdraw(buyer.idNumber, {
      type: 'purchase',
      personalAccountNo: buyer.accounts[SHANGQIU],
      bankAccount: bank,
      amountFen: 10_000,
      property: { onlineSigningNo, city: LINYI },
    });
    expect(paid.status).toBe('paid');
    const casesOf = async (city: CityCode) =>
      (
        (await get('/v1/staff/risk-cases', await staff(city, `${city}-risk`))).body.cases as {
          caseId: string;
        }[]
      ).filter((c) => c.caseId === `${LINYI}#${onlineSigningNo}`);
    expect(await casesOf(LINYI)).toEqual([]);
    const cancel = await post(
      `/v1/staff/property-records/${onlineSigningNo}/cancellation`,
      await staff(LINYI, 'ly-a'),
      { reasonZh: '住建局撤销备案通知', evidenceRef: '临住建撤〔2026〕3号' },
      undefined,
    );
    expect(cancel.status).toBe(200);
    for (const city of [LINYI, SHANGQIU]) {
      expect(await casesOf(city)).toEqual([
        expect.objectContaining({
          check: 'record-cancelled-after-withdrawal',
          cities: [LINYI, SHANGQIU],
          details: expect.objectContaining({
            withdrawnFen: 10_000,
            paidBy: [{ city: SHANGQIU, withdrawalId: paid.applicationId }],
          }),
        }),
      ]);
    }
    // The housing authority's feed says so again: still one case in each.
    await registerProperty(LINYI, [buyer.idNumber], { onlineSigningNo, status: 'cancelled' });
    expect(await casesOf(LINYI)).toHaveLength(1);
    expect(await casesOf(SHANGQIU)).toHaveLength(1);
    // A cancelled record nobody withdrew on raises nothing.
    const unused = await registerProperty(LINYI, [buyer.idNumber]);
    await registerProperty(LINYI, [buyer.idNumber], { onlineSigningNo: unused, status: 'cancelled' });
    expect(
      (
        (await get('/v1/staff/risk-cases', await staff(LINYI, 'ly-risk'))).body.cases as { caseId: string }[]
      ).filter((c) => c.caseId === `${LINYI}#${unused}`),
    ).toEqual([]);
  });

  it('risk check: the same person and month deposited by employers in two centres (重复缴存) raises one case in each, once', async () => {
    const person = await makeDepositor([SHANGQIU, LINYI], 2);
    const months = [1, 2].map((back) => addMonths(monthOf(toBeijingDate(new Date())), -back)).sort();
    const casesOf = async (city: CityCode) =>
      (
        (await get('/v1/staff/risk-cases', await staff(city, `${city}-risk`))).body.cases as {
          caseId: string;
        }[]
      ).filter((c) => months.some((m) => c.caseId === duplicateDepositCaseId(person.personKey, m)));
    for (const city of [SHANGQIU, LINYI]) {
      const cases = await casesOf(city);
      expect(cases.map((c) => c.caseId).sort()).toEqual(
        months.map((m) => duplicateDepositCaseId(person.personKey, m)),
      );
      expect(cases[0]).toMatchObject({
        check: 'duplicate-deposit',
        cities: [LINYI, SHANGQIU],
        details: {
          accounts: expect.arrayContaining([
            { city: SHANGQIU, personalAccountNo: person.accounts[SHANGQIU] },
            { city: LINYI, personalAccountNo: person.accounts[LINYI] },
          ]),
        },
      });
      expect(JSON.stringify(cases)).not.toContain(person.personKey);
    }
    // Noted again (a resumed posting): nothing more.
    await noteDepositMonth(
      centreRepository(LINYI),
      [{ personKey: person.personKey, personalAccountNo: person.accounts[LINYI] as string }],
      months[0] as string,
      new Date(),
    );
    expect(await casesOf(LINYI)).toHaveLength(2);
    // One centre only: no case.
    const single = await makeDepositor([SHANGQIU], 2);
    const singleCases = (
      (await get('/v1/staff/risk-cases', await staff(SHANGQIU, 'sq-risk'))).body.cases as { caseId: string }[]
    ).filter((c) => months.some((m) => c.caseId === duplicateDepositCaseId(single.personKey, m)));
    expect(singleCases).toEqual([]);
  });

  it('risk check: a loan applicant’s facts changed between request and disbursement raise one case in each centre, once', async () => {
    const person = await makeDepositor([SHANGQIU], 12);
    const loan = await applyForLoan(person.idNumber);
    expect(loan.status).toBe('approved');
    const recorded = loan.facts[SHANGQIU] as { balanceFen: number; monthlyDepositBaseFen: number };
    // The 商丘 account is sealed (封存) after the facts were recorded, as an employer's change would.
    const repository = centreRepository(SHANGQIU);
    const account = await getPersonalAccount(repository, person.accounts[SHANGQIU] as string);
    if (!account) throw new Error('no account');
    await changeDepositTerms(
      repository,
      account,
      { status: 'sealed', ruleVersion: account.ruleVersion },
      {
        changedBy: 'test-employer',
        changedAt: new Date().toISOString(),
        effectiveMonth: monthOf(toBeijingDate(new Date())),
        changeId: crypto.randomUUID(),
      },
    );
    const casesOf = async (city: CityCode, applicationId: string) =>
      (
        (await get('/v1/staff/risk-cases', await staff(city, `${city}-risk`))).body.cases as {
          applicationId: string;
        }[]
      ).filter((c) => c.applicationId === applicationId);
    const disburse = async (loanId: string) =>
      post(`/v1/staff/loans/${loanId}/disbursement`, await staff(XUZHOU, 'xz-a'), undefined);
    // Flagged, never refused: the loan is made.
    const first = await disburse(loan.loanId as string);
    expect(first.status).toBe(201);
    const changed = {
      city: SHANGQIU,
      recordedAt: expect.any(String),
      changes: [
        { change: 'account-status', before: 'normal', after: 'sealed' },
        { change: 'deposit-base-fell', before: recorded.monthlyDepositBaseFen, after: 0 },
      ],
    };
    for (const city of [XUZHOU, SHANGQIU]) {
      const cases = await casesOf(city, loan.applicationId);
      expect(cases).toEqual([
        expect.objectContaining({
          check: 'loan-facts-changed',
          caseId: loan.applicationId,
          cities: [XUZHOU, SHANGQIU],
          details: { ruleVersion: 'risk-2026-12-01-DEMO', centres: [changed] },
        }),
      ]);
      expect(JSON.stringify(cases)).not.toContain(person.personKey);
      expect(JSON.stringify(cases)).not.toContain(person.idNumber);
    }
    // Asked again (another key): the same loan, nothing more raised.
    const again = await disburse(loan.loanId as string);
    expect([again.status, again.body.loanId]).toEqual([201, first.body.loanId]);
    expect(await casesOf(XUZHOU, loan.applicationId)).toHaveLength(1);
    expect(await casesOf(SHANGQIU, loan.applicationId)).toHaveLength(1);
    // Facts unchanged since the application: disbursed, no case.
    const steady = await makeDepositor([SHANGQIU], 12);
    const steadyLoan = await applyForLoan(steady.idNumber);
    expect((await disburse(steadyLoan.loanId as string)).status).toBe(201);
    expect(await casesOf(XUZHOU, steadyLoan.applicationId)).toEqual([]);
    expect(await casesOf(SHANGQIU, steadyLoan.applicationId)).toEqual([]);
  });
});
