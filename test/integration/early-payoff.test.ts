/**
 * EARLY_PAYOFF on the emulators, through the gateway: a depositor borrows (application → facts over
 * the inboxes → approval → disbursement by staff), then repays in part (shorter term, lower
 * instalment) or in full. Money moves once per Idempotency-Key; a conflicting transaction is retried.
 */
import { describe, expect, it } from '@jest/globals';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { dueDateIn, type PrepayResult, prepay } from '../../shared/loans/prepayment.js';
import { postCentreRepayments } from '../../shared/loans/repayments.js';
import {
  actualDaysBetween,
  type Instalment,
  partialPeriodInterestFen,
  scheduleAfterPrepayment,
} from '../../shared/loans/schedule.js';
import {
  activeLoanLinkKey,
  type LoanApplicationRecord,
  loanIndexKey,
  loanKey,
  personLoanKey,
} from '../../shared/loans/store.js';
import {
  CentreRepository,
  centreRepository,
  type TransactItem,
} from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { type Depositor, makeDepositor } from '../support/depositors.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy } from '../support/properties.js';

const region = useLocalRegion();

interface LoanView {
  loanId: string;
  status: 'active' | 'repaid';
  principalFen: number;
  outstandingPrincipalFen: number;
  annualRateHundredthsBp: number;
  method: 'equal-installment' | 'equal-principal';
  termMonths: number;
  contractTermMonths?: number;
  contractDate: string;
  firstDueMonth: string;
  paidInstalments: number;
  prepaymentCount?: number;
  nextInstalment: Instalment | null;
  schedule: (Instalment & { kind?: string })[];
}

const applicationBody = (lendingCity: CityCode) => ({
  lendingCity,
  propertyCity: lendingCity,
  housePriceFen: 100_000_000,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment' as const,
  declaredHomeOrder: 'first' as const,
  otherMonthlyDebtFen: 0,
  maritalStatus: 'single' as const,
});

const citizenToken = (idNumber: string) =>
  region.api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });

/** Applies naming a home in the lending city the person bought. */
async function apply(
  person: Depositor,
  token: string,
  lendingCity: CityCode,
): Promise<LoanApplicationRecord> {
  const accepted = await region.api.request('POST', '/v1/me/loan-applications', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    token,
    json: { ...applicationBody(lendingCity), ...(await homeBoughtBy(person.idNumber, lendingCity)) },
  });
  expect(accepted.status).toBe(202);
  const { applicationId } = (await accepted.json()) as { applicationId: string };
  return decided(lendingCity, applicationId);
}

/** A depositor of `depositCity` with a disbursed loan from `lendingCity`. */
async function borrower(
  depositCity: CityCode,
  lendingCity: CityCode,
): Promise<{ person: Depositor; token: string; loanId: string }> {
  const person = await makeDepositor([depositCity], 12);
  const token = await citizenToken(person.idNumber);
  const application = await apply(person, token, lendingCity);
  expect(application.status).toBe('approved');
  const staff = await region.api.token({ sub: `staff-${lendingCity}`, role: 'staff', city: lendingCity });
  const disbursed = await region.api.request('POST', `/v1/staff/loans/${application.loanId}/disbursement`, {
    headers: { 'idempotency-key': crypto.randomUUID() },
    token: staff,
  });
  expect(disbursed.status).toBe(201);
  return { person, token, loanId: application.loanId as string };
}

async function showLoan(token: string, loanId: string): Promise<LoanView> {
  const response = await region.api.request('GET', `/v1/me/loans/${loanId}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as LoanView;
}

function prepayOver(token: string, loanId: string, key: string | undefined, json: unknown) {
  return region.api.request('POST', `/v1/me/loans/${loanId}/prepayments`, {
    token,
    json,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
}

const newKey = (what: string) => `${what}-${crypto.randomUUID()}`;
const sumOf = (instalments: readonly Instalment[], pick: (i: Instalment) => number) =>
  instalments.reduce((sum, i) => sum + pick(i), 0);
const today = () => toBeijingDate(new Date());

async function prepaymentRecords(city: CityCode, loanId: string) {
  const page = await centreRepository(city).query(loanKey(city, loanId).PK, {
    sortKeyCondition: 'begins_with(SK, :prepayment)',
    ExpressionAttributeValues: { ':prepayment': 'PREPAYMENT#' },
    ConsistentRead: true,
  });
  return page.items;
}

/** The loan's unpaid instalments (from the borrower's view) as `scheduleAfterPrepayment` would expect. */
function expectedAfter(loan: LoanView, prepaymentFen: number, choice: 'shorter-term' | 'lower-instalment') {
  const unpaid = loan.schedule.filter((i) => i.number > loan.paidInstalments);
  return scheduleAfterPrepayment({
    remainingPrincipalFen: loan.outstandingPrincipalFen,
    annualRateHundredthsBp: loan.annualRateHundredthsBp,
    remainingTermMonths: unpaid.length,
    method: loan.method,
    firstDueMonth: unpaid[0]?.dueMonth as string,
    prepaymentFen,
    choice,
  });
}

describe('partial prepayment (提前部分还款)', () => {
  it('shorter term, then lower instalment: the new schedule to the fen; a replay pays nothing twice', async () => {
    // 宿州 → 徐州: the 临沂 → 徐州 statistics cell is loans.test.ts's, which counts it exactly.
    const { token, loanId } = await borrower('341300', '320300');
    const before = await showLoan(token, loanId);
    expect(before).toMatchObject({
      status: 'active',
      outstandingPrincipalFen: 20_000_000,
      paidInstalments: 0,
    });

    // Refusals first; none of them records anything.
    const noKey = await prepayOver(token, loanId, undefined, { kind: 'full' });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ in: 'header', field: 'Idempotency-Key', code: 'REQUIRED' }],
    });
    const noChoice = await prepayOver(token, loanId, newKey('c'), { kind: 'partial', amountFen: 5_000_000 });
    expect(noChoice.status).toBe(400);
    expect(await noChoice.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ in: 'body', field: 'choice', code: 'REQUIRED' }],
    });
    const small = await prepayOver(token, loanId, newKey('s'), {
      kind: 'partial',
      amountFen: 999_999,
      choice: 'shorter-term',
    });
    expect(small.status).toBe(422);
    expect(await small.json()).toMatchObject({ code: 'PREPAYMENT_BELOW_MINIMUM', minimumFen: 1_000_000 });
    const all = await prepayOver(token, loanId, newKey('a'), {
      kind: 'partial',
      amountFen: 20_000_000,
      choice: 'lower-instalment',
    });
    expect(all.status).toBe(422);
    expect(await all.json()).toMatchObject({
      code: 'PREPAYMENT_COVERS_LOAN',
      suggestedKind: 'full',
      payoff: { principalFen: 20_000_000 },
      message: { 'zh-CN': expect.stringContaining('提前结清') },
    });
    expect(await prepaymentRecords('320300', loanId)).toHaveLength(0);

    // 1. 50,000 yuan, shorter term.
    const shorterKey = newKey('shorter');
    const shorterBody = { kind: 'partial', amountFen: 5_000_000, choice: 'shorter-term' };
    const first = await prepayOver(token, loanId, shorterKey, shorterBody);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstAnswer = (await first.json()) as Pick<PrepayResult, 'prepayment' | 'loan'>;
    const shorter = expectedAfter(before, 5_000_000, 'shorter-term');
    const days = actualDaysBetween(before.contractDate, today());
    expect(firstAnswer.prepayment).toMatchObject({
      prepaymentId: `${loanId}-P1`,
      kind: 'partial',
      choice: 'shorter-term',
      principalFen: 5_000_000,
      interestFen: partialPeriodInterestFen(5_000_000, before.annualRateHundredthsBp, days),
      interestFromDate: before.contractDate,
      outstandingBeforeFen: 20_000_000,
      outstandingAfterFen: 15_000_000,
      previousRemainingTermMonths: 240,
      newRemainingTermMonths: shorter.termMonths,
      previousMonthlyPaymentFen: shorter.previousMonthlyPaymentFen,
      newMonthlyPaymentFen: shorter.monthlyPaymentFen,
      interestSavedFen: shorter.interestSavedFen,
      paidOn: today(),
    });
    expect(firstAnswer.prepayment.totalFen).toBe(5_000_000 + firstAnswer.prepayment.interestFen);
    expect(shorter.termMonths).toBeLessThan(240);
    expect(firstAnswer.loan).toEqual({
      loanId,
      status: 'active',
      outstandingPrincipalFen: 15_000_000,
      paidInstalments: 0,
      remainingTermMonths: shorter.termMonths,
      nextInstalment: shorter.instalments[0],
    });
    const afterShorter = await showLoan(token, loanId);
    expect(afterShorter.outstandingPrincipalFen).toBe(15_000_000);
    expect(afterShorter.schedule).toEqual(shorter.instalments);
    expect(sumOf(afterShorter.schedule, (i) => i.principalFen)).toBe(15_000_000);
    expect(afterShorter).toMatchObject({
      termMonths: shorter.termMonths,
      contractTermMonths: 240,
      prepaymentCount: 1,
    });

    // The same request again: the same answer, said to be a replay; nothing paid twice.
    const replay = await prepayOver(token, loanId, shorterKey, shorterBody);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(firstAnswer);
    expect((await showLoan(token, loanId)).outstandingPrincipalFen).toBe(15_000_000);
    // The same key for another prepayment is refused.
    const reused = await prepayOver(token, loanId, shorterKey, { ...shorterBody, amountFen: 6_000_000 });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    // Nobody else can prepay it, or learn that it exists.
    const stranger = await citizenToken((await makeDepositor([], 0)).idNumber);
    expect((await prepayOver(stranger, loanId, newKey('x'), shorterBody)).status).toBe(404);
    expect((await prepayOver(token, '320300-NO-SUCH-L', newKey('x'), { kind: 'full' })).status).toBe(404);

    // 2. 30,000 yuan, lower instalment: the (shortened) term stays, the instalment falls.
    const lower = expectedAfter(afterShorter, 3_000_000, 'lower-instalment');
    const second = await prepayOver(token, loanId, newKey('lower'), {
      kind: 'partial',
      amountFen: 3_000_000,
      choice: 'lower-instalment',
    });
    expect(second.status).toBe(201);
    const secondAnswer = (await second.json()) as Pick<PrepayResult, 'prepayment' | 'loan'>;
    expect(secondAnswer.prepayment).toMatchObject({
      prepaymentId: `${loanId}-P2`,
      choice: 'lower-instalment',
      outstandingBeforeFen: 15_000_000,
      outstandingAfterFen: 12_000_000,
      previousRemainingTermMonths: shorter.termMonths,
      newRemainingTermMonths: shorter.termMonths,
      newMonthlyPaymentFen: lower.monthlyPaymentFen,
      interestSavedFen: lower.interestSavedFen,
    });
    expect(lower.monthlyPaymentFen).toBeLessThan(shorter.monthlyPaymentFen);
    const afterLower = await showLoan(token, loanId);
    expect(afterLower.schedule).toEqual(lower.instalments);
    expect(sumOf(afterLower.schedule, (i) => i.principalFen)).toBe(12_000_000);
    expect(afterLower.nextInstalment).toEqual(lower.instalments[0]);
    expect(await prepaymentRecords('320300', loanId)).toHaveLength(2);

    // 3. The same request sent twice at once (a client retrying too early): one prepayment, one answer.
    const twiceKey = newKey('twice');
    const twiceBody = { kind: 'partial', amountFen: 1_000_000, choice: 'shorter-term' };
    const both = await Promise.all([
      prepayOver(token, loanId, twiceKey, twiceBody),
      prepayOver(token, loanId, twiceKey, twiceBody),
    ]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both.map((r) => r.headers.get('idempotent-replayed')).sort()).toEqual([null, 'true'].sort());
    const [one, other] = await Promise.all(both.map((r) => r.json()));
    expect(one).toEqual(other);
    expect((await showLoan(token, loanId)).outstandingPrincipalFen).toBe(11_000_000);
    expect(await prepaymentRecords('320300', loanId)).toHaveLength(3);
  });
});

describe('full payoff (提前结清)', () => {
  it('repays the loan, releases the regional loan index, and a new loan elsewhere is a second home', async () => {
    const { person, token, loanId } = await borrower('321300', '320700');
    const before = await showLoan(token, loanId);
    const key = newKey('full');
    const paid = await prepayOver(token, loanId, key, { kind: 'full' });
    expect(paid.status).toBe(201);
    const answer = (await paid.json()) as Pick<PrepayResult, 'prepayment' | 'loan'>;
    const interestFen = partialPeriodInterestFen(
      20_000_000,
      before.annualRateHundredthsBp,
      actualDaysBetween(before.contractDate, today()),
    );
    expect(answer.prepayment).toMatchObject({
      kind: 'full',
      principalFen: 20_000_000,
      interestFen,
      totalFen: 20_000_000 + interestFen,
      outstandingAfterFen: 0,
      previousRemainingTermMonths: 240,
      newRemainingTermMonths: 0,
      interestSavedFen: sumOf(before.schedule, (i) => i.interestFen),
    });
    expect(answer.loan).toEqual({
      loanId,
      status: 'repaid',
      outstandingPrincipalFen: 0,
      paidInstalments: 1,
      remainingTermMonths: 0,
      nextInstalment: null,
    });

    const repaid = await showLoan(token, loanId);
    expect(repaid).toMatchObject({ status: 'repaid', outstandingPrincipalFen: 0, nextInstalment: null });
    expect(repaid.schedule).toEqual([
      expect.objectContaining({
        number: 1,
        kind: 'payoff',
        principalFen: 20_000_000,
        interestFen,
        remainingPrincipalFen: 0,
      }),
    ]);
    const repository = centreRepository('320700');
    expect(await repository.get(loanIndexKey(person.personKey), { consistent: true })).toMatchObject({
      status: 'released',
      loanId,
      repaidLoans: 1,
    });
    expect(await repository.get(activeLoanLinkKey('320700', loanId), { consistent: true })).toBeUndefined();
    expect(
      await repository.get(personLoanKey('320700', person.personKey, loanId), { consistent: true }),
    ).toMatchObject({ status: 'repaid' });

    // Replayed: the same answer, nothing paid or counted twice. A new key: the loan is not active.
    const replay = await prepayOver(token, loanId, key, { kind: 'full' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(answer);
    const again = await prepayOver(token, loanId, newKey('again'), { kind: 'full' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: 'LOAN_NOT_ACTIVE',
      message: { 'zh-CN': expect.any(String), en: expect.any(String) },
    });
    expect(await repository.get(loanIndexKey(person.personKey), { consistent: true })).toMatchObject({
      repaidLoans: 1,
    });
    expect(await prepaymentRecords('320700', loanId)).toHaveLength(1);

    // Another centre now lends again: not refused for an outstanding loan, but a second home.
    const next = await apply(person, token, '321300');
    const decision = next.decision as { homeOrder: string; reasons: { code: string }[] };
    expect(decision.homeOrder).toBe('second');
    expect(next.reasons?.map((r) => r.code) ?? []).not.toContain('OUTSTANDING_HPF_LOAN');
    expect(decision.reasons.map((r) => r.code)).toContain('TREATED_AS_SECOND_HOME');
    expect(next.status).toBe('approved');
  });
});

describe('conflicts (the lending centre here is 菏泽 371700, where no other test posts repayments)', () => {
  const city: CityCode = '371700';

  /** A repository whose first transaction meets `interference` (then runs, or is thrown away). */
  function interfering(interference: (items: readonly TransactItem[]) => Promise<'run' | 'throw'>) {
    const state = { calls: 0 };
    const repository = new (class extends CentreRepository {
      override async transactWrite(items: readonly TransactItem[]) {
        state.calls += 1;
        if (state.calls === 1 && (await interference(items)) === 'throw') {
          throw Object.assign(new Error('Transaction cancelled'), {
            name: 'TransactionCanceledException',
            CancellationReasons: items.map(() => ({ Code: 'TransactionConflict' })),
          });
        }
        return super.transactWrite(items);
      }
    })(city, dynamoDocumentClient(), tableName());
    return { repository, state };
  }

  it('an injected conflict, then an instalment posted meanwhile: retried, each effect once', async () => {
    const { person, token, loanId } = await borrower('370800', city);
    const start = await showLoan(token, loanId);

    // 1. A TransactionConflict on the first attempt.
    const conflicted = interfering(async () => 'throw');
    const key = newKey('conflict');
    const input = {
      loanId,
      personKey: person.personKey,
      kind: 'partial' as const,
      amountFen: 4_000_000,
      choice: 'lower-instalment' as const,
      idempotencyKey: key,
    };
    const result = await prepay(conflicted.repository, { ...input, now: new Date() });
    expect(conflicted.state.calls).toBe(2);
    expect(result.replayed).toBe(false);
    const afterConflict = await showLoan(token, loanId);
    expect(afterConflict.outstandingPrincipalFen).toBe(16_000_000);
    expect(afterConflict.schedule).toEqual(expectedAfter(start, 4_000_000, 'lower-instalment').instalments);
    const replayed = await prepay(centreRepository(city), { ...input, now: new Date() });
    expect(replayed).toEqual({ ...result, replayed: true });
    expect(await prepaymentRecords(city, loanId)).toHaveLength(1);

    // 2. The month's instalment is collected between the read and the write: the version moved, the
    // prepayment is recomputed on what is then outstanding, from the following month.
    const raced = interfering(async () => {
      await postCentreRepayments(
        centreRepository(city),
        start.firstDueMonth,
        new Date(`${start.firstDueMonth}-01T02:00:00+08:00`),
      );
      return 'run';
    });
    const second = await prepay(raced.repository, {
      loanId,
      personKey: person.personKey,
      kind: 'partial',
      amountFen: 2_000_000,
      choice: 'shorter-term',
      idempotencyKey: newKey('race'),
      now: new Date(),
    });
    expect(raced.state.calls).toBe(2);
    const firstInstalment = afterConflict.schedule[0] as Instalment;
    const outstandingBefore = 16_000_000 - firstInstalment.principalFen;
    expect(second.prepayment).toMatchObject({
      outstandingBeforeFen: outstandingBefore,
      outstandingAfterFen: outstandingBefore - 2_000_000,
      // The instalment was collected before its due date: interest is paid beyond today.
      interestDays: 0,
      interestFen: 0,
    });
    const afterRace = await showLoan(token, loanId);
    expect(afterRace.paidInstalments).toBe(1);
    expect(afterRace.schedule[0]).toEqual(firstInstalment);
    expect(afterRace.schedule.slice(1)).toEqual(
      expectedAfter(
        { ...afterConflict, paidInstalments: 1, outstandingPrincipalFen: outstandingBefore },
        2_000_000,
        'shorter-term',
      ).instalments.map((i) => ({ ...i, number: i.number + 1 })),
    );
    expect(sumOf(afterRace.schedule.slice(1), (i) => i.principalFen)).toBe(outstandingBefore - 2_000_000);

    // 3. Paid off 45 days from now (after the first due date): interest for the actual days since it.
    const payDay = new Date(Date.now() + 45 * 86_400_000);
    const payoff = await prepay(centreRepository(city), {
      loanId,
      personKey: person.personKey,
      kind: 'full',
      idempotencyKey: newKey('payoff'),
      now: payDay,
    });
    const lastDue = dueDateIn(start.firstDueMonth, start.contractDate);
    const days = actualDaysBetween(lastDue, toBeijingDate(payDay));
    expect(days).toBeGreaterThan(0);
    expect(payoff.prepayment).toMatchObject({
      principalFen: afterRace.outstandingPrincipalFen,
      interestFromDate: lastDue,
      interestDays: days,
      interestFen: partialPeriodInterestFen(
        afterRace.outstandingPrincipalFen,
        afterRace.annualRateHundredthsBp,
        days,
      ),
    });
    expect(payoff.loan.status).toBe('repaid');
    const index = await centreRepository(city).get(loanIndexKey(person.personKey), { consistent: true });
    expect(index).toMatchObject({ status: 'released', repaidLoans: 1 });
    // Principal: the instalment, three prepayments; nothing twice.
    const repaid = await showLoan(token, loanId);
    expect(sumOf(repaid.schedule, (i) => i.principalFen) + 4_000_000 + 2_000_000).toBe(20_000_000);
    expect(await prepaymentRecords(city, loanId)).toHaveLength(3);
  });
});
