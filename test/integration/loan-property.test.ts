/**
 * A loan's house price comes from the property register (网签备案), not the applicant: the lending
 * centre asks the property city for the record the application names (`property:<city>`), and the
 * registered price bounds the loan. A declared price alone is never approved automatically; a
 * non-buyer is refused and told nothing of the record. Replies delivered twice or lost.
 */
import { describe, expect, it } from '@jest/globals';
import { handleMessage, sendReply } from '../../functions/centre-worker/messages.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication } from '../../shared/loans/decide.js';
import { applicationKey, type LoanRequest } from '../../shared/loans/store.js';
import { parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository, workerRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { type Depositor, makeDepositor } from '../support/depositors.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { newOnlineSigningNo, registerProperty } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

const region = useLocalRegion();

const XUZHOU: CityCode = '320300';
const LINYI: CityCode = '371300';

let keys = 0;
const newKey = () => `lp-${Date.now().toString(36)}-${(keys++).toString(36)}`;

const loan = (overrides: Record<string, unknown> = {}) => ({
  lendingCity: XUZHOU,
  propertyCity: XUZHOU,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment' as const,
  declaredHomeOrder: 'first' as const,
  otherMonthlyDebtFen: 0,
  maritalStatus: 'single' as const,
  ...overrides,
});

async function tokenOf(person: Depositor) {
  return region.api.token({
    sub: `c-${person.idNumber.slice(-6)}`,
    role: 'citizen',
    idNumber: person.idNumber,
  });
}

async function apply(person: Depositor, body: Record<string, unknown>) {
  const token = await tokenOf(person);
  const response = await region.api.request('POST', '/v1/me/loan-applications', {
    token,
    json: body,
    headers: { 'idempotency-key': newKey() },
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { applicationId: string }).applicationId;
}

async function shown(person: Depositor, applicationId: string) {
  const response = await region.api.request('GET', `/v1/me/loan-applications/${applicationId}`, {
    token: await tokenOf(person),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('the price of a loan is the register’s', () => {
  it('registered at ¥100,000, declared at ¥2,000,000: the limit is bounded by ¥100,000', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const no = await registerProperty(XUZHOU, [person.idNumber], { registeredPriceFen: 10_000_000 });
    const id = await apply(
      person,
      loan({ onlineSigningNo: no.toLowerCase(), housePriceFen: 200_000_000, requestedFen: 9_000_000 }),
    );
    const done = await decided(XUZHOU, id);
    const params = parametersInForce(XUZHOU, toBeijingDate(new Date()));
    const priceBoundFen = Math.floor(
      (10_000_000 * (10_000 - params.downPaymentRatioFirstHomeBasisPoints)) / 10_000,
    );
    expect(done.request).toMatchObject({ onlineSigningNo: no, housePriceFen: 200_000_000 });
    expect(done.facts[`property:${XUZHOU}`]).toMatchObject({
      found: true,
      applicantIsBuyer: true,
      status: 'filed',
      registeredPriceFen: 10_000_000,
    });
    expect(done.decision).toMatchObject({ limit: { priceBoundFen, bindingBound: 'price' } });
    // Approved at most at the registered price's bound, below the 90 % asked.
    expect(done.status).toBe('approved');
    expect(Number(done.decision?.approvedFen)).toBeLessThanOrEqual(priceBoundFen);
    // The property city logged what it disclosed, and why, in its own partition.
    const disclosures = await centreRepository(XUZHOU).query(
      centreKey(XUZHOU, 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(
      disclosures.items.filter((d) => d.applicationId === id && d.purpose === 'loan-application'),
    ).toContainEqual(
      expect.objectContaining({ fieldsDisclosed: expect.arrayContaining(['registeredPriceFen']) }),
    );
    // The applicant sees the request to the property city and its answer about them.
    const view = await shown(person, id);
    expect(Object.keys(view.requests as object)).toContain(`property:${XUZHOU}`);
  });

  it('a record in another city is asked of that city; the registered price is used whatever is declared', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const no = await registerProperty(LINYI, [person.idNumber], { registeredPriceFen: 50_000_000 });
    const id = await apply(
      person,
      loan({ propertyCity: LINYI, onlineSigningNo: no, housePriceFen: 30_000_000 }),
    );
    const done = await decided(XUZHOU, id);
    expect(done.status).toBe('approved');
    expect(done.facts[`property:${LINYI}`]).toMatchObject({ registeredPriceFen: 50_000_000 });
    const params = parametersInForce(XUZHOU, toBeijingDate(new Date()));
    expect(done.decision).toMatchObject({
      limit: {
        priceBoundFen: Math.floor(
          (50_000_000 * (10_000 - params.downPaymentRatioFirstHomeBasisPoints)) / 10_000,
        ),
      },
    });
  });

  it('a non-buyer naming someone else’s record is refused and told nothing of it', async () => {
    const [buyer, stranger] = [await makeDepositor([XUZHOU], 24), await makeDepositor([XUZHOU], 24)];
    const no = await registerProperty(XUZHOU, [buyer.idNumber], { registeredPriceFen: 77_700_000 });
    const id = await apply(stranger, loan({ onlineSigningNo: no }));
    const done = await decided(XUZHOU, id);
    expect(done.status).toBe('rejected');
    expect(done.reasons?.map((r) => r.code)).toEqual(['NOT_A_BUYER']);
    expect(done.facts[`property:${XUZHOU}`]).toEqual({ found: true, applicantIsBuyer: false });
    const view = JSON.stringify(await shown(stranger, id));
    expect(view).not.toContain('77700000');
    expect(view).not.toContain(buyer.personKey);
    expect(view).not.toContain('contractDate');
  });

  it('a cancelled record is refused', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const no = await registerProperty(XUZHOU, [person.idNumber], { status: 'cancelled' });
    const done = await decided(XUZHOU, await apply(person, loan({ onlineSigningNo: no })));
    expect(done.status).toBe('rejected');
    expect(done.reasons?.map((r) => r.code)).toEqual(['PROPERTY_RECORD_CANCELLED']);
  });

  it('a record the register does not hold goes to staff, who cannot approve it; entered from paper, it is asked again', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const no = newOnlineSigningNo();
    const done = await decided(XUZHOU, await apply(person, loan({ onlineSigningNo: no })));
    expect(done.status).toBe('review');
    expect(done.reasons?.map((r) => r.code)).toEqual(['PROPERTY_RECORD_NOT_FOUND']);
    const staff = await region.api.token({ sub: 'staff-xz-lp', role: 'staff', city: XUZHOU });
    const approve = await region.api.request(
      'POST',
      `/v1/staff/applications/${done.applicationId}/decision`,
      {
        token: staff,
        json: { outcome: 'approve', approvedFen: 1_000_000, reasonZh: '已核对纸质合同' },
      },
    );
    expect(approve.status).toBe(422);
    expect(await approve.json()).toMatchObject({ code: 'NO_COMPUTED_LIMIT' });
    // Staff enter the record from the paper contract, a second confirms it, and the register is asked again.
    const entered = await region.api.request('POST', '/v1/staff/property-records', {
      token: staff,
      headers: { 'idempotency-key': newKey() },
      json: {
        onlineSigningNo: no,
        city: XUZHOU,
        contractDate: toBeijingDate(new Date()),
        registeredPriceFen: 60_000_000,
        buyers: [{ idNumber: person.idNumber }],
        evidenceRef: 'XZ-DA-0001',
      },
    });
    expect(entered.status).toBe(201);
    const second = await region.api.token({ sub: 'staff-xz-lp2', role: 'staff', city: XUZHOU });
    const confirmed = await region.api.request('POST', `/v1/staff/property-records/${no}/confirmation`, {
      token: second,
      headers: { 'idempotency-key': newKey() },
    });
    expect(confirmed.status).toBe(200);
    const asked = await region.api.request('POST', `/v1/staff/applications/${done.applicationId}/decision`, {
      token: staff,
      headers: { 'idempotency-key': newKey() },
      json: { outcome: 'ask-again' },
    });
    expect(asked.status).toBe(200);
    const again = await decided(XUZHOU, done.applicationId);
    expect(again.status).toBe('approved');
    expect(again.facts[`property:${XUZHOU}`]).toMatchObject({ registeredPriceFen: 60_000_000 });
  });

  it('no onlineSigningNo: a declared price goes to staff review, never approved automatically', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const done = await decided(XUZHOU, await apply(person, loan({ housePriceFen: 100_000_000 })));
    expect(done.status).toBe('review');
    expect(done.reasons?.map((r) => r.code)).toEqual(['PROPERTY_RECORD_NOT_NAMED']);
    expect(done.reasons?.[0]?.message['zh-CN']).toContain('网签备案号');
    expect(done.reasons?.[0]?.message.en).toContain('online-signing record');
    expect(Object.keys(done.requests).some((key) => key.startsWith('property:'))).toBe(false);
    expect(done.timeline.some((t) => t.status === 'approved')).toBe(false);
  });
});

describe('property-facts replies to a loan delivered twice or lost', () => {
  /** A loan application recorded with its requests, none of which reached its centre. */
  async function unsent(person: Depositor, overrides: Partial<LoanRequest> = {}) {
    const no = await registerProperty(XUZHOU, [person.idNumber], { registeredPriceFen: 100_000_000 });
    const { maritalStatus: _m, lendingCity: _l, ...request } = loan({ onlineSigningNo: no, ...overrides });
    return withInboxesUnreachable(() =>
      acceptLoanApplication(centreRepository(XUZHOU), {
        lendingCity: XUZHOU,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: request as LoanRequest,
        channel: 'online',
        household: { maritalStatus: 'single' },
        acceptedBy: 'test',
        correlationId: 'loan-property',
        idempotencyScope: newKey(),
      }),
    );
  }

  it('a property-facts reply delivered twice changes nothing', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const application = await unsent(person);
    const request = parseEnvelope(application.requests[`property:${XUZHOU}`]?.message ?? '');
    expect(request).toMatchObject({
      type: 'property-facts-request',
      payload: { purpose: 'loan-application' },
    });
    // The property city handles the same request twice: two replies reach the lending centre.
    const deps = { city: XUZHOU, repository: workerRepository(XUZHOU) };
    await sendReply(await handleMessage(request, deps));
    await sendReply(await handleMessage(request, deps));
    const key = applicationKey(XUZHOU, application.applicationId);
    await eventually(
      async () => {
        const dropped = await centreRepository(XUZHOU).query(key.PK, {
          sortKeyCondition: 'begins_with(SK, :reply)',
          ExpressionAttributeValues: { ':reply': 'REPLY#' },
          ConsistentRead: true,
        });
        return dropped.items.length === 1 ? dropped.items : undefined;
      },
      10_000,
      'the second reply dropped',
    );
    const recorded = await getApplication(centreRepository(XUZHOU), application.applicationId);
    expect(recorded?.status).toBe('awaiting_facts');
    expect(recorded?.version).toBe(1);
    expect(recorded?.requests[`property:${XUZHOU}`]?.answeredAt).toBeDefined();
    // The deposit-facts requests go now; the decision is taken once.
    expect((await sweepApplications(centreRepository(XUZHOU))).resent).toBe(1);
    const done = await decided(XUZHOU, application.applicationId);
    expect(done.status).toBe('approved');
    expect(done.timeline.filter((t) => t.status === 'approved')).toHaveLength(1);
  });

  it('a lost property-facts reply is re-sent by the sweep, and then decided', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const application = await unsent(person);
    // Sent long ago, never answered: the replies were lost on the way back.
    for (const key of Object.keys(application.requests)) {
      await centreRepository(XUZHOU).update({
        Key: applicationKey(XUZHOU, application.applicationId),
        UpdateExpression: 'SET requests.#key.sentAt = :long',
        ExpressionAttributeNames: { '#key': key },
        ExpressionAttributeValues: { ':long': new Date(Date.now() - 3_600_000).toISOString() },
      });
    }
    const report = await sweepApplications(centreRepository(XUZHOU));
    expect(report.resent).toBe(2);
    const done = await decided(XUZHOU, application.applicationId);
    expect(done.status).toBe('approved');
    expect(done.facts[`property:${XUZHOU}`]).toMatchObject({ registeredPriceFen: 100_000_000 });
  });

  it('a register that never answers is named to the applicant as the property city’s', async () => {
    const person = await makeDepositor([XUZHOU], 24);
    const application = await unsent(person);
    await centreRepository(XUZHOU).update({
      Key: applicationKey(XUZHOU, application.applicationId),
      UpdateExpression: 'SET factsDeadline = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
    });
    expect((await sweepApplications(centreRepository(XUZHOU))).toReview).toBeGreaterThanOrEqual(1);
    const reviewed = await getApplication(centreRepository(XUZHOU), application.applicationId);
    expect(reviewed?.status).toBe('review');
    expect(reviewed?.reasons?.[0]?.message['zh-CN']).toContain('徐州的网签备案登记');
    expect(reviewed?.reasons?.[0]?.message.en).toContain('the property register of');
  });
});
