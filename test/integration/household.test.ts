/**
 * The household, not the person (DESIGN.md §2b), end to end on the emulators: a married applicant's
 * spouse's HPF loans are fetched from the spouse's centres and the regional index; a co-applying
 * spouse's deposit facts count only after the spouse's own confirmation; an approval holds both
 * spouses' places in the regional loan index.
 */

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { parseRequestKey, type RequestKey } from '../../shared/applications/records.js';
import { sweepListed } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { consentAsCoApplicant } from '../../shared/loans/consent.js';
import { getApplication, recordFactsReply } from '../../shared/loans/decide.js';
import { depositFactsOf } from '../../shared/loans/facts.js';
import { prepay } from '../../shared/loans/prepayment.js';
import { type LoanApplicationRecord, loanIndexKey } from '../../shared/loans/store.js';
import { newMessage, parseEnvelope } from '../../shared/messaging/envelope.js';
import {
  CentreRepository,
  centreRepository,
  type TransactItem,
} from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { centreKey } from '../../shared/persistence/table.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { type Depositor, makeDepositor, randomIdNumber } from '../support/depositors.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy, propertyReplyTo } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

const XUZHOU: CityCode = '320300';
const LINYI: CityCode = '371300';
const ZAOZHUANG: CityCode = '370400';

const region = useLocalRegion();

const loanBody = (lendingCity: CityCode, household: Record<string, unknown>) => ({
  lendingCity,
  propertyCity: lendingCity,
  housePriceFen: 100_000_000,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment' as const,
  declaredHomeOrder: 'first' as const,
  otherMonthlyDebtFen: 0,
  ...household,
});

const married = (spouse: { idNumber: string }, coApplies: boolean) => ({
  maritalStatus: 'married',
  spouseIdNumber: spouse.idNumber,
  spouseCoApplies: coApplies,
});

const citizenToken = (idNumber: string) =>
  region.api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });

async function apply(applicant: { idNumber: string }, body: Record<string, unknown>) {
  return region.api.request('POST', '/v1/me/loan-applications', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    token: await citizenToken(applicant.idNumber),
    json: body,
  });
}

/** Applies naming a home in the lending city the applicant bought. */
async function applied(applicant: { idNumber: string }, body: Record<string, unknown>): Promise<string> {
  const home = await homeBoughtBy(applicant.idNumber, body.lendingCity as CityCode);
  const accepted = await apply(applicant, { ...body, ...home });
  expect(accepted.status).toBe(202);
  return ((await accepted.json()) as { applicationId: string }).applicationId;
}

async function consentRequest(reader: { idNumber: string }, applicationId: string) {
  return region.api.request('GET', `/v1/me/loan-applications/${applicationId}/co-applicant-consent`, {
    token: await citizenToken(reader.idNumber),
  });
}

async function consent(spouse: { idNumber: string }, applicationId: string) {
  return region.api.request('POST', `/v1/me/loan-applications/${applicationId}/co-applicant-consent`, {
    token: await citizenToken(spouse.idNumber),
  });
}

/**
 * A married applicant's application at 徐州 for a home they bought there, recorded with its
 * requests unsent (the inboxes unreachable): the test answers, loses or re-sends them itself.
 */
async function unsentMarriedApplication(
  applicant: Depositor,
  spouse: Depositor,
  coApplies: boolean,
  correlationId: string,
  options: { replyDeadlineMs?: number } = {},
) {
  const home = await homeBoughtBy(applicant.idNumber, XUZHOU);
  return withInboxesUnreachable(
    () =>
      acceptLoanApplication(centreRepository(XUZHOU), {
        lendingCity: XUZHOU,
        idNumber: applicant.idNumber,
        personKey: applicant.personKey,
        request: { ...loanBody(XUZHOU, {}), ...home },
        household: { maritalStatus: 'married', spouse: { idNumber: spouse.idNumber, coApplies } },
        channel: 'online',
        acceptedBy: 'test',
        correlationId,
      }),
    options,
  );
}

/** The spouse confirms through the gateway: only then is anything about them asked for. */
async function confirmedBy(spouse: { idNumber: string }, applicationId: string): Promise<void> {
  expect((await consent(spouse, applicationId)).status).toBe(200);
}

/** The spouse's confirmation at the store, its requests kept unsent: the application as it is then. */
async function confirmedAtStore(
  application: LoanApplicationRecord,
  spouse: Depositor,
  options: { replyDeadlineMs?: number } = {},
) {
  await withInboxesUnreachable(
    () =>
      consentAsCoApplicant(centreRepository(application.city), {
        applicationId: application.applicationId,
        callerPersonKey: spouse.personKey,
        by: 'spouse-test',
        correlationId: 'confirmed-at-store',
        now: new Date(),
      }),
    options,
  );
  return (await getApplication(
    centreRepository(application.city),
    application.applicationId,
  )) as LoanApplicationRecord;
}

const codes = (application: LoanApplicationRecord) => application.reasons?.map((r) => r.code) ?? [];

/** Someone's running HPF loan at a centre, as that centre's records show it. */
async function runningLoanAt(city: CityCode, person: Depositor) {
  await centreRepository(city).put({
    PK: centreKey(city, 'PERSON', person.personKey),
    SK: `LOAN#${city}-OLD-${person.personKey.slice(0, 6)}-L`,
    loanId: `${city}-OLD-L`,
    status: 'active',
  });
}

describe('the spouse’s HPF loans count for the household', () => {
  it('a spouse’s outstanding loan in another city refuses the application, naming the spouse, not the city', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const spouse = await makeDepositor([ZAOZHUANG], 12);
    await runningLoanAt(ZAOZHUANG, spouse);
    const applicationId = await applied(applicant, loanBody(XUZHOU, married(spouse, false)));
    await confirmedBy(spouse, applicationId);
    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('rejected');
    expect(codes(done)).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
    expect(codes(done)).not.toContain('OUTSTANDING_HPF_LOAN');
    const reason = done.reasons?.find((r) => r.code === 'SPOUSE_OUTSTANDING_HPF_LOAN');
    expect(reason?.message['zh-CN']).toContain('配偶');
    expect(reason?.message.en).toContain('spouse');
    expect(JSON.stringify(reason)).not.toMatch(/枣庄|Zaozhuang/);
    // 枣庄 disclosed the spouse's HPF loans only, for this application, and recorded just that.
    expect(done.facts[`spouse:${ZAOZHUANG}`]).toEqual({ outstandingHpfLoans: 1 });
    const disclosures = await centreRepository(ZAOZHUANG).query(
      centreKey(ZAOZHUANG, 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(disclosures.items.filter((d) => d.applicationId === applicationId)).toEqual([
      expect.objectContaining({
        askedBy: XUZHOU,
        purpose: 'loan-application-spouse',
        personKey: spouse.personKey,
        fieldsDisclosed: ['outstandingHpfLoans'],
      }),
    ]);
    // The applicant sees the reason and the masked spouse, not where the spouse's records are.
    const view = (await (
      await region.api.request('GET', `/v1/me/loan-applications/${applicationId}`, {
        token: await citizenToken(applicant.idNumber),
      })
    ).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(view.facts ?? {})).toEqual(expect.not.arrayContaining([`spouse:${ZAOZHUANG}`]));
    expect(Object.keys(view.requests ?? {}).sort()).toEqual([LINYI, XUZHOU, `property:${XUZHOU}`].sort());
    expect(view.household).toEqual({
      maritalStatus: 'married',
      spouse: {
        idNumberMasked: expect.stringMatching(/\*/),
        coApplies: false,
        consentedAt: expect.any(String),
      },
    });
    expect(JSON.stringify(view)).not.toContain(spouse.personKey);
  });

  it('a spouse’s loan held in the regional index refuses too', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const spouse = await makeDepositor([], 0);
    await centreRepository(XUZHOU).put({
      ...loanIndexKey(spouse.personKey),
      status: 'active',
      role: 'borrower',
      lendingCity: '341300',
      applicationId: '341300-20250101-OLDLOAN001',
      loanId: '341300-20250101-OLDLOAN001-L',
      repaidLoans: 0,
      updatedAt: new Date().toISOString(),
    });
    const applicationId = await applied(applicant, loanBody(XUZHOU, married(spouse, false)));
    await confirmedBy(spouse, applicationId);
    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('rejected');
    expect(codes(done)).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
  });

  it('a stranger named as the spouse is never asked about, never held, and never told about', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const stranger = await makeDepositor([ZAOZHUANG], 12);
    await runningLoanAt(ZAOZHUANG, stranger);
    const application = await unsentMarriedApplication(applicant, stranger, false, 'stranger-as-spouse', {
      replyDeadlineMs: 4_000,
    });
    // Only the applicant's centres (and the property register) are asked; nothing goes to the stranger's centre.
    expect(Object.keys(application.requests).sort()).toEqual([LINYI, XUZHOU, `property:${XUZHOU}`].sort());
    // Only this application: a whole-centre sweep with no resend interval (or on a clock seconds
    // ahead) would act on the open applications other test files hold in this centre too.
    await sweepListed(centreRepository(XUZHOU), [application], { resendAfterMs: 0 });
    await eventually(
      async () => {
        const current = await getApplication(centreRepository(XUZHOU), application.applicationId);
        return current && Object.values(current.requests).every((r) => r?.answeredAt) ? current : undefined;
      },
      20_000,
      'the applicant’s answers',
    );
    await sweepListed(centreRepository(XUZHOU), [application], { now: new Date(application.factsDeadline) });
    const reviewed = (await getApplication(
      centreRepository(XUZHOU),
      application.applicationId,
    )) as LoanApplicationRecord;
    // To staff, saying the spouse has not confirmed: not a word about the stranger's loan.
    expect(reviewed.status).toBe('review');
    expect(codes(reviewed)).toEqual(['SPOUSE_CONFIRMATION_MISSING']);
    expect(JSON.stringify(reviewed)).not.toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
    const disclosures = await centreRepository(ZAOZHUANG).query(
      centreKey(ZAOZHUANG, 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(disclosures.items.filter((d) => d.applicationId === application.applicationId)).toEqual([]);
    // Staff cannot approve what the rule cannot judge; the stranger's place is untouched.
    const staffToken = await region.api.token({ sub: 'staff-stranger', role: 'staff', city: XUZHOU });
    const approve = await region.api.request(
      'POST',
      `/v1/staff/applications/${application.applicationId}/decision`,
      {
        token: staffToken,
        json: { outcome: 'approve' },
      },
    );
    expect(approve.status).toBe(422);
    expect(
      await centreRepository(XUZHOU).get(loanIndexKey(stranger.personKey), { consistent: true }),
    ).toBeUndefined();
  });
});

describe('a co-applying spouse', () => {
  it('counts only after their own consent; nobody else can consent; consenting twice answers the same', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const spouse = await makeDepositor([XUZHOU], 12);
    const applicationId = await applied(applicant, loanBody(XUZHOU, married(spouse, true)));
    // The applicant's facts and the spouse's loans come in; the application still waits.
    const waiting = await eventually(
      async () => {
        const application = await getApplication(centreRepository(XUZHOU), applicationId);
        return application && Object.values(application.requests).every((r) => r?.answeredAt)
          ? application
          : undefined;
      },
      20_000,
      'the applicant’s answers',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await getApplication(centreRepository(XUZHOU), applicationId);
    expect(before?.status).toBe('awaiting_facts');
    expect(before?.awaitsConfirmation).toBe('spouse-confirmation');
    // Before consent nothing about the spouse was asked for.
    expect(Object.keys(waiting.requests).sort()).toEqual([LINYI, XUZHOU, `property:${XUZHOU}`].sort());

    // Not the spouse: the application does not exist for them.
    const stranger = await makeDepositor([], 0);
    expect((await consent(stranger, applicationId)).status).toBe(404);
    expect((await consent(applicant, applicationId)).status).toBe(404);
    expect((await consent(spouse, `${XUZHOU}-20990101-NOSUCHAPP1`)).status).toBe(404);

    // What the spouse is asked to confirm, read before confirming: by the spouse alone.
    for (const reader of [stranger, applicant])
      expect((await consentRequest(reader, applicationId)).status).toBe(404);
    const asked = await consentRequest(spouse, applicationId);
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({
      applicationId,
      lendingCity: XUZHOU,
      applicantIdNumberMasked: maskIdNumber(applicant.idNumber),
      requestedFen: loanBody(XUZHOU, married(spouse, true)).requestedFen,
      termMonths: loanBody(XUZHOU, married(spouse, true)).termMonths,
      coApplies: true,
      status: 'awaiting_facts',
      consentedAt: null,
      open: true,
    });

    const first = await consent(spouse, applicationId);
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toEqual({ applicationId, coApplicantConsentedAt: expect.any(String) });
    await expect((await consentRequest(spouse, applicationId)).json()).resolves.toMatchObject({
      consentedAt: (answer as { coApplicantConsentedAt: string }).coApplicantConsentedAt,
      open: false,
    });
    const again = await consent(spouse, applicationId);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);

    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('approved');
    expect(done.facts[`coapplicant:${XUZHOU}`]).toMatchObject({ accountStatus: 'normal' });
    const consentEntries = done.timeline.filter((t) => t.event === 'co-applicant-consented');
    expect(consentEntries).toEqual([
      expect.objectContaining({ by: 'co-applicant', status: 'awaiting_facts' }),
    ]);
    // The balance bound and the income are the household's: applicant + co-applicant.
    const now = new Date();
    const own = await depositFactsOf(centreRepository(LINYI), applicant.personKey, now);
    const theirs = await depositFactsOf(centreRepository(XUZHOU), spouse.personKey, now);
    const params = parametersInForce(XUZHOU, toBeijingDate(now));
    const limit = (done.decision as { limit: { balanceBoundFen: number; capFen: number } }).limit;
    expect(limit.balanceBoundFen).toBe((own.balanceFen + theirs.balanceFen) * params.balanceMultiple);
    expect(limit.capFen).toBe(params.loanCapCoupleFen);
    const income = Math.floor(
      ((own.monthlyDepositBaseFen + theirs.monthlyDepositBaseFen) * params.repaymentIncomeRatioBasisPoints) /
        10_000,
    );
    expect(
      (done.decision as { limit: { availableMonthlyPaymentFen: number } }).limit.availableMonthlyPaymentFen,
    ).toBe(income);
    // The spouse's centre disclosed the deposit facts once, after the consent, for that purpose.
    const disclosures = await centreRepository(XUZHOU).query(
      centreKey(XUZHOU, 'DISCLOSURE', toBeijingDate(now).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(
      disclosures.items
        .filter((d) => d.applicationId === applicationId && d.personKey === spouse.personKey)
        .map((d) => d.purpose)
        .sort(),
    ).toEqual(['loan-application-co-applicant', 'loan-application-spouse']);

    // Consenting after the decision, for one already consented: still the same answer.
    expect(await (await consent(spouse, applicationId)).json()).toEqual(answer);
  });

  it('twenty consents at once: one consent recorded, one set of requests sent, every answer the same', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const spouse = await makeDepositor([XUZHOU], 12);
    const applicationId = await applied(applicant, loanBody(XUZHOU, married(spouse, true)));
    const answers = await Promise.all(Array.from({ length: 20 }, () => consent(spouse, applicationId)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(
      answers.map((a) => a.json() as Promise<{ coApplicantConsentedAt: string }>),
    );
    expect(new Set(bodies.map((b) => b.coApplicantConsentedAt)).size).toBe(1);
    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('approved');
    expect(done.timeline.filter((t) => t.event === 'co-applicant-consented')).toHaveLength(1);
    // The spouse's centre disclosed each fact once: one request of each kind reached it.
    const disclosures = await centreRepository(XUZHOU).query(
      centreKey(XUZHOU, 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(
      disclosures.items
        .filter((d) => d.applicationId === applicationId && d.personKey === spouse.personKey)
        .map((d) => d.purpose)
        .sort(),
    ).toEqual(['loan-application-co-applicant', 'loan-application-spouse']);
  });

  it('without consent it goes to staff at the facts deadline, and a consent after the decision is a 409', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    const spouse = await makeDepositor([XUZHOU], 12);
    const application = await unsentMarriedApplication(applicant, spouse, true, 'no-consent', {
      replyDeadlineMs: 5_000,
    });
    // Every centre answers (the sweep sends what the unreachable inboxes lost)…
    await sweepListed(centreRepository(XUZHOU), [application], { resendAfterMs: 0 });
    await eventually(
      async () => {
        const current = await getApplication(centreRepository(XUZHOU), application.applicationId);
        return current && Object.values(current.requests).every((r) => r?.answeredAt) ? current : undefined;
      },
      20_000,
      'the answers',
    );
    // …but no consent: at the deadline (the sweep's clock), to staff, saying so.
    await sweepListed(centreRepository(XUZHOU), [application], { now: new Date(application.factsDeadline) });
    const reviewed = await getApplication(centreRepository(XUZHOU), application.applicationId);
    expect(reviewed?.status).toBe('review');
    expect(codes(reviewed as LoanApplicationRecord)).toEqual(['SPOUSE_CONFIRMATION_MISSING']);

    const staff = (sub: string) => region.api.token({ sub, role: 'staff', city: XUZHOU });
    const refused = await region.api.request(
      'POST',
      `/v1/staff/applications/${application.applicationId}/decision`,
      { token: await staff('staff-a'), json: { outcome: 'reject', reasonZh: '共同申请人未确认。' } },
    );
    expect(refused.status).toBe(200);
    const confirmed = await region.api.request(
      'POST',
      `/v1/staff/applications/${application.applicationId}/confirmation`,
      {
        token: await staff('staff-b'),
        headers: { 'idempotency-key': crypto.randomUUID() },
        json: { outcome: 'confirm' },
      },
    );
    expect(confirmed.status).toBe(200);

    const late = await consent(spouse, application.applicationId);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'CO_APPLICANT_CONSENT_CLOSED' });
    const after = await getApplication(centreRepository(XUZHOU), application.applicationId);
    expect(after?.status).toBe('rejected');
    expect(after?.household.spouse?.consentedAt).toBeUndefined();
  });
});

/** A repository that remembers each transaction it writes. */
function recordingRepository(city: CityCode) {
  const transactions: (readonly TransactItem[])[] = [];
  const repository = new (class extends CentreRepository {
    override async transactWrite(items: readonly TransactItem[]) {
      transactions.push(items);
      return super.transactWrite(items);
    }
  })(city, dynamoDocumentClient(), tableName());
  return { repository, transactions };
}

/** The answer a centre gives to one of the application's requests, as its worker would. */
async function answerTo(application: LoanApplicationRecord, key: RequestKey) {
  if (parseRequestKey(key).party === 'property') return propertyReplyTo(application);
  const request = parseEnvelope(application.requests[key]?.message ?? '');
  if (request.type !== 'deposit-facts-request') throw new Error('not a facts request');
  const { city } = parseRequestKey(key);
  const full = await depositFactsOf(centreRepository(city), request.payload.personKey, new Date());
  return newMessage(
    'deposit-facts-reply',
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
        facts:
          request.payload.purpose === 'loan-application-spouse'
            ? { outstandingHpfLoans: full.outstandingHpfLoans }
            : full,
      },
    },
  );
}

describe('a spouse’s centre that never answers', () => {
  it('sends the application to staff without telling the applicant where the spouse’s account is', async () => {
    const applicant = await makeDepositor([XUZHOU], 12);
    const spouse = await makeDepositor(['371700'], 12);
    const application = await unsentMarriedApplication(applicant, spouse, false, 'silent-spouse', {
      replyDeadlineMs: 3_000,
    });
    const confirmed = await confirmedAtStore(application, spouse, { replyDeadlineMs: 3_000 });
    // Every answer but 菏泽's about the spouse.
    for (const key of [XUZHOU, `spouse:${XUZHOU}`, `property:${XUZHOU}`] as const) {
      expect(await recordFactsReply(await answerTo(confirmed, key), centreRepository(XUZHOU))).toBe(
        'recorded',
      );
    }
    await sweepListed(centreRepository(XUZHOU), [confirmed], { now: new Date(confirmed.factsDeadline) });
    const reviewed = (await getApplication(
      centreRepository(XUZHOU),
      application.applicationId,
    )) as LoanApplicationRecord & { missingFactsFrom: string[] };
    expect(reviewed.status).toBe('review');
    expect(reviewed.missingFactsFrom).toEqual(['spouse:371700']);
    const reason = reviewed.reasons?.find((r) => r.code === 'FACTS_NOT_RECEIVED');
    expect(reason?.message['zh-CN']).toContain('配偶');
    expect(JSON.stringify(reason)).not.toMatch(/菏泽|Heze/);
    const view = (await (
      await region.api.request('GET', `/v1/me/loan-applications/${application.applicationId}`, {
        token: await citizenToken(applicant.idNumber),
      })
    ).json()) as { missingFactsFrom: string[] };
    expect(view.missingFactsFrom).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('371700');
  });
});

describe('both spouses’ places in the regional loan index', () => {
  it('are reserved in the approval’s transaction, made active together, and released together', async () => {
    const applicant = await makeDepositor([XUZHOU], 12);
    const spouse = await makeDepositor([LINYI], 12);
    const application = await unsentMarriedApplication(applicant, spouse, false, 'two-places');
    const confirmed = await confirmedAtStore(application, spouse);
    // The same centre is asked about each spouse: the answers are told apart by the request.
    expect(Object.keys(confirmed.requests).sort()).toEqual(
      [XUZHOU, `spouse:${LINYI}`, `spouse:${XUZHOU}`, `property:${XUZHOU}`].sort(),
    );
    const { repository, transactions } = recordingRepository(XUZHOU);
    for (const key of Object.keys(confirmed.requests) as RequestKey[]) {
      expect(await recordFactsReply(await answerTo(confirmed, key), repository)).toBe('recorded');
    }
    const done = await getApplication(repository, application.applicationId);
    expect(done?.status).toBe('approved');
    const indexPK = (person: Depositor) => loanIndexKey(person.personKey).PK;
    const approval = transactions.find((items) =>
      items.some((item) => item.Update?.Key?.PK === application.PK),
    );
    const reservations = (approval ?? []).filter((item) => item.Put).map((item) => item.Put?.Item?.PK);
    expect(reservations.sort()).toEqual([indexPK(applicant), indexPK(spouse)].sort());
    const place = (person: Depositor) =>
      centreRepository(XUZHOU).get(loanIndexKey(person.personKey), { consistent: true });
    expect(await place(applicant)).toMatchObject({ status: 'reserved', role: 'borrower' });
    expect(await place(spouse)).toMatchObject({
      status: 'reserved',
      role: 'spouse',
      applicationId: application.applicationId,
    });

    const staff = await region.api.token({ sub: 'staff-xz', role: 'staff', city: XUZHOU });
    const disbursed = await region.api.request('POST', `/v1/staff/loans/${done?.loanId}/disbursement`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token: staff,
    });
    expect(disbursed.status).toBe(201);
    expect(await disbursed.json()).not.toHaveProperty('spousePersonKey');
    expect(await place(spouse)).toMatchObject({ status: 'active', loanId: done?.loanId });

    // Paid off: both places free, one repaid loan counted (the borrower's), not two.
    await prepay(centreRepository(XUZHOU), {
      loanId: done?.loanId as string,
      personKey: applicant.personKey,
      kind: 'full',
      idempotencyKey: crypto.randomUUID(),
      now: new Date(),
    });
    expect(await place(applicant)).toMatchObject({ status: 'released', repaidLoans: 1 });
    expect(await place(spouse)).toMatchObject({ status: 'released', repaidLoans: 0 });
  });

  it('the two spouses applying at two centres at once: at most one approval for the household', async () => {
    const a = await makeDepositor([XUZHOU], 12);
    const b = await makeDepositor([LINYI], 12);
    const [first, second] = await Promise.all([
      applied(a, loanBody(XUZHOU, married(b, false))),
      applied(b, loanBody(LINYI, married(a, false))),
    ]);
    // Each confirms the other's application at once: both are then decided together.
    await Promise.all([confirmedBy(b, first), confirmedBy(a, second)]);
    const outcomes = await Promise.all([decided(XUZHOU, first), decided(LINYI, second)]);
    expect(outcomes.filter((o) => o.status === 'approved')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status !== 'approved') as LoanApplicationRecord;
    expect(refused.status).toBe('rejected');
    expect(codes(refused)).toContain('SPOUSE_OUTSTANDING_HPF_LOAN');
  });

  it('the spouse’s place holds even when they apply as unmarried; withdrawing the approval releases both', async () => {
    const applicant = await makeDepositor([XUZHOU], 12);
    const spouse = await makeDepositor([LINYI], 12);
    const applicationId = await applied(applicant, loanBody(XUZHOU, married(spouse, false)));
    await confirmedBy(spouse, applicationId);
    expect((await decided(XUZHOU, applicationId)).status).toBe('approved');
    const alone = await decided(LINYI, await applied(spouse, loanBody(LINYI, { maritalStatus: 'divorced' })));
    expect(alone.status).toBe('rejected');
    expect(codes(alone)).toContain('OUTSTANDING_HPF_LOAN');
    const withdrawn = await region.api.request(
      'POST',
      `/v1/me/loan-applications/${applicationId}/withdrawal`,
      {
        token: await citizenToken(applicant.idNumber),
      },
    );
    expect(withdrawn.status).toBe(200);
    for (const person of [applicant, spouse]) {
      expect(
        await centreRepository(XUZHOU).get(loanIndexKey(person.personKey), { consistent: true }),
      ).toMatchObject({ status: 'released' });
    }
  });
});

describe('the household as declared', () => {
  const fieldsOf = async (response: Response) =>
    ((await response.json()) as { errors: { field: string; code: string }[] }).errors;

  it('marital status is required', async () => {
    const applicant = await makeDepositor([], 0);
    const refused = await apply(applicant, loanBody(XUZHOU, {}));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await fieldsOf(refused)).toEqual([expect.objectContaining({ field: 'maritalStatus' })]);
  });

  it('married without the spouse’s ID number is a 400 naming it, online and at an agent', async () => {
    const applicant = await makeDepositor([], 0);
    const refused = await apply(
      applicant,
      loanBody(XUZHOU, { maritalStatus: 'married', spouseCoApplies: false }),
    );
    expect(refused.status).toBe(400);
    expect(await fieldsOf(refused)).toEqual([
      expect.objectContaining({ field: 'spouseIdNumber', code: 'SPOUSE_ID_REQUIRED' }),
    ]);
    const agent = await region.api.token({
      sub: 'agent-1',
      role: 'agent',
      city: XUZHOU,
      agentOrgId: 'XZ-BANK-0001',
    });
    const atAgent = await region.api.request('POST', '/v1/agent/loan-applications', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token: agent,
      json: {
        ...loanBody(XUZHOU, { maritalStatus: 'married', spouseCoApplies: true }),
        idNumber: applicant.idNumber,
      },
    });
    expect(atAgent.status).toBe(400);
    expect(await fieldsOf(atAgent)).toEqual([expect.objectContaining({ field: 'spouseIdNumber' })]);
  });

  it('the spouse’s ID number cannot be the applicant’s own (a lowercase x too), nor malformed', async () => {
    let own = randomIdNumber();
    while (!own.endsWith('X')) own = randomIdNumber();
    const applicant = { idNumber: own };
    const same = await apply(applicant, loanBody(XUZHOU, married({ idNumber: own.toLowerCase() }, false)));
    expect(same.status).toBe(400);
    expect(await fieldsOf(same)).toEqual([
      expect.objectContaining({ field: 'spouseIdNumber', code: 'SPOUSE_ID_IS_OWN' }),
    ]);
    const malformed = await apply(
      applicant,
      loanBody(XUZHOU, married({ idNumber: '32030219900101123' }, false)),
    );
    expect(malformed.status).toBe(400);
    expect(await fieldsOf(malformed)).toEqual([expect.objectContaining({ field: 'spouseIdNumber' })]);
    const single = await apply(applicant, {
      ...loanBody(XUZHOU, married({ idNumber: randomIdNumber() }, false)),
      maritalStatus: 'single',
    });
    expect(single.status).toBe(400);
  });

  it('the spouse’s ID number is never stored in clear (the whole table scanned)', async () => {
    const applicant = await makeDepositor([LINYI], 12);
    let spouseId = randomIdNumber();
    while (!spouseId.endsWith('X')) spouseId = randomIdNumber();
    const spouse = await makeDepositor([XUZHOU], 12, spouseId);
    // Sent with a lowercase x: normalised, and stored as neither.
    const applicationId = await applied(
      applicant,
      loanBody(XUZHOU, married({ idNumber: spouseId.toLowerCase() }, true)),
    );
    expect((await consent(spouse, applicationId)).status).toBe(200);
    const done = await decided(XUZHOU, applicationId);
    expect(done.household.spouse).toMatchObject({ personKey: spouse.personKey, coApplies: true });
    let startKey: Record<string, unknown> | undefined;
    let scanned = 0;
    do {
      const page = await dynamoDocumentClient().send(
        new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        const text = JSON.stringify(item).toUpperCase();
        expect(text.includes(spouseId)).toBe(false);
      }
      scanned += page.Items?.length ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(scanned).toBeGreaterThan(0);
  });
});
